"""Forms of the Loopbaanprofessional portfolio. They parse input; the rules are the engine's."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from noloc_portal.forms import BoundedModelForm, EventDateField
from noloc_portal.validators import text_limit
from portfolios.forms import DATE_INPUT, UploadField
from portfolios.loopbaan.framework import LoopbaanFramework
from portfolios.loopbaan.models import (
    Case,
    CaseTask,
    CaseText,
    CaseTextKind,
    Course,
    LoopbaanDetails,
)

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def route_help(framework: LoopbaanFramework) -> dict[int, str]:
    """The explanation of each route on the chooser (LP-A, domain.md §2), with the framework
    version's values (course hours, report age, level)."""
    values = {
        "hours": framework.course_hours_minimum,
        "years": framework.report_max_age_years,
        "level": next(
            (route.report_min_level for route in framework.routes if route.report_min_level), 6
        ),
    }
    return {
        1: _(
            "Je hebt een hbo- of wo-diploma in het domein mens en organisatie, van een "
            "NVAO-geaccrediteerde instelling en met een CROHO-code. Meer is niet nodig."
        ),
        2: _(
            "Je hebt een ander hbo- of wo-diploma. Daarnaast toon je met certificaten minimaal "
            "%(hours)s uur aan cursussen of trainingen in loopbaanbegeleiding of coaching aan."
        )
        % values,
        3: _(
            "Je hebt geen passend diploma, maar een EVC-procedure liet hbo-niveau (niveau "
            "%(level)s) zien. De rapportage is hooguit %(years)s jaar oud; daarnaast %(hours)s "
            "uur aan cursussen."
        )
        % values,
        4: _(
            "Een assessment bij een geaccrediteerd bureau of een NIP-psycholoog liet minstens "
            "niveau %(level)s zien. Het rapport is hooguit %(years)s jaar oud; daarnaast "
            "%(hours)s uur aan cursussen."
        )
        % values,
    }


@dataclass(frozen=True)
class FieldGroup:
    """Fields of the education form that belong to some routes only."""

    key: str
    routes: tuple[int, ...]
    fields: tuple[str, ...]
    upload: str | None = None
    target: str | None = None

    @property
    def routes_attr(self) -> str:
        return " ".join(str(route) for route in self.routes)


EDUCATION_GROUPS = (
    FieldGroup(
        "diploma",
        (1, 2),
        ("diploma_level", "diploma_signed", "diploma_nvao_accredited"),
        upload="diploma_upload",
        target="diploma",
    ),
    FieldGroup("field", (1,), ("diploma_field_mens_en_organisatie", "diploma_croho")),
    FieldGroup(
        "evc",
        (3,),
        ("evc_date", "evc_level", "evc_provider_recognised"),
        upload="evc_upload",
        target="evc_report",
    ),
    FieldGroup(
        "assessment",
        (4,),
        ("assessment_date", "assessment_level", "assessment_provider_recognised"),
        upload="assessment_upload",
        target="assessment_report",
    ),
)


class EducationForm(BoundedModelForm):
    """LP-A. Only the chosen route's fields are read; the other routes' values are kept."""

    diploma_upload = UploadField(label=_("Diploma (PDF, PNG of JPEG)"))
    evc_upload = UploadField(label=_("EVC-rapportage (PDF, PNG of JPEG)"))
    assessment_upload = UploadField(label=_("Assessmentrapport (PDF, PNG of JPEG)"))

    class Meta(BoundedModelForm.Meta):
        model = LoopbaanDetails
        fields = [
            "route",
            "diploma_level",
            "diploma_field_mens_en_organisatie",
            "diploma_croho",
            "diploma_signed",
            "diploma_nvao_accredited",
            "evc_date",
            "evc_level",
            "evc_provider_recognised",
            "assessment_date",
            "assessment_level",
            "assessment_provider_recognised",
        ]
        widgets = {
            "route": forms.RadioSelect,
            "evc_date": DATE_INPUT,
            "assessment_date": DATE_INPUT,
        }
        labels = {
            "route": _("Met welke route toon je je opleidingsniveau aan?"),
            "diploma_level": _("Niveau van het diploma"),
            "diploma_field_mens_en_organisatie": _(
                "De opleiding valt in het domein mens en organisatie"
            ),
            "diploma_signed": _("Het diploma is ondertekend door de onderwijsinstelling"),
            "diploma_nvao_accredited": _("De onderwijsinstelling is NVAO-geaccrediteerd"),
            "evc_date": _("Datum van de EVC-rapportage"),
            "evc_level": _("Niveau (BOC/NLQF)"),
            "evc_provider_recognised": _("De EVC-aanbieder is erkend"),
            "assessment_date": _("Datum van het assessmentrapport"),
            "assessment_level": _("Aangetoond niveau (NLQF)"),
            "assessment_provider_recognised": _(
                "Afgenomen door een geaccrediteerd bureau of een zelfstandig gevestigde "
                "NIP-psycholoog (arbeid en organisatie)"
            ),
        }
        help_texts = {
            "diploma_croho": _("De code van de opleiding in het CROHO-register, bijv. 34139."),
        }

    def __init__(self, *args, framework: LoopbaanFramework, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.fields["route"].required = False
        self.fields["route"].choices = [
            (
                route.number,
                _("Route %(number)s: %(name)s") % {"number": route.number, "name": route.name},
            )
            for route in framework.routes
        ]
        for name in ("evc_level", "assessment_level"):
            self.fields[name].widget.attrs.update(min=1, max=8)
        age = {"years": framework.report_max_age_years}
        self.fields["evc_date"].help_text = (
            _("De rapportage mag op de dag van indienen hooguit %(years)s jaar oud zijn.") % age
        )
        self.fields["assessment_date"].help_text = (
            _("Het rapport mag op de dag van indienen hooguit %(years)s jaar oud zijn.") % age
        )

    @property
    def chosen_route(self) -> int | None:
        if self.is_bound:
            value = self.data.get(self.add_prefix("route"))
            numbers = {str(route.number): route.number for route in self.framework.routes}
            return numbers.get(value)
        return self.instance.route

    def route_options(self):
        """The route radios with the explanation of each route."""
        helps = route_help(self.framework)
        return [
            {"radio": radio, "help": helps.get(int(radio.data["value"]), "")}
            for radio in self["route"]
        ]

    def groups(self):
        """Each route-specific group with its bound fields and whether it shows now."""
        route = self.chosen_route
        return [
            {
                "group": group,
                "fields": [self[name] for name in group.fields]
                + ([self[group.upload]] if group.upload else []),
                "shown": route in group.routes,
            }
            for group in EDUCATION_GROUPS
        ]

    def clean(self):
        data = super().clean()
        route = data.get("route")
        for group in EDUCATION_GROUPS:
            if route not in group.routes:
                # Not shown, so not posted: keep what is stored (the route may be chosen again).
                for name in (*group.fields, group.upload):
                    data.pop(name, None)
        return data

    def uploads(self):
        """``(model field, upload)`` for every file posted with the chosen route."""
        return [
            (group.target, self.cleaned_data[group.upload])
            for group in EDUCATION_GROUPS
            if group.upload and self.cleaned_data.get(group.upload)
        ]


class CourseForm(BoundedModelForm):
    hours = forms.DecimalField(
        label=_("Studie-uren op het certificaat"),
        min_value=0,
        max_digits=6,
        decimal_places=1,
        required=False,
        # Dutch decimals: "2,5" as well as "2.5".
        localize=True,
    )
    certificate_upload = UploadField(
        label=_("Certificaat"),
        help_text=_("Het ondertekende certificaat met de studie-uren (PDF, PNG of JPEG)."),
    )

    class Meta(BoundedModelForm.Meta):
        model = Course
        fields = ["title", "hours", "quality_mark", "signed"]
        labels = {
            "title": _("Naam van de cursus of training"),
            "quality_mark": _("De cursus heeft een keurmerk"),
            "signed": _("Het certificaat is ondertekend door de opleider"),
        }


class ExperienceForm(BoundedModelForm):
    experience_years = forms.DecimalField(
        label=_("Aantal jaren actief in het vakgebied"),
        min_value=0,
        max_digits=4,
        decimal_places=1,
        required=False,
        # Dutch decimals: "2,5" as well as "2.5".
        localize=True,
    )
    experience_hours = forms.DecimalField(
        label=_("Aantal uren werkervaring als uitvoerend loopbaanprofessional"),
        help_text=_(
            "Alleen begeleiding van cliënten telt; administratie, acquisitie, PR en je eigen "
            "scholing, intervisie of supervisie tellen niet mee."
        ),
        min_value=0,
        max_digits=7,
        decimal_places=1,
        required=False,
        # Dutch decimals: "2,5" as well as "2.5".
        localize=True,
    )
    experience_statement_upload = UploadField(label=_("Verklaring over je werkervaring"))
    working_statement_upload = UploadField(
        label=_("Verklaring dat je nu werkt als uitvoerend loopbaanprofessional")
    )
    cv_upload = UploadField(
        label=_("Cv"),
        help_text=_("Je loopbaan, opleidingen en wat verder van belang is voor het vak."),
    )

    class Meta(BoundedModelForm.Meta):
        model = LoopbaanDetails
        fields = [
            "experience_years",
            "experience_hours",
            "experience_statement_signed",
            "working_statement_signed",
            "motivation",
        ]
        labels = {
            "experience_statement_signed": _(
                "De verklaring over mijn werkervaring is volledig ingevuld en ondertekend"
            ),
            "working_statement_signed": _(
                "De verklaring over mijn huidige werk is volledig ingevuld en ondertekend"
            ),
            "motivation": _("Motivatie en terugblik"),
        }
        help_texts = {
            "motivation": _(
                "Waarom koos je voor dit vak, en hoe heb je je tot nu toe ontwikkeld? Dit telt "
                "niet mee in het oordeel van de assessoren."
            )
        }
        widgets = {"motivation": forms.Textarea(attrs={"rows": 8})}


class DevelopmentPlanForm(BoundedModelForm):
    markup_remembered = True  # one text, the same field for every portfolio (section_page)

    class Meta(BoundedModelForm.Meta):
        model = LoopbaanDetails
        fields = ["development_plan"]
        labels = {"development_plan": _("Je ontwikkelplan")}
        help_texts = {
            "development_plan": _(
                "Hoe zie je de komende vier jaar, in je vak, de samenleving en je eigen "
                "werkomgeving? Wat heeft het maken van dit portfolio je laten zien, wat wil je "
                "verbeteren of verdiepen, welke doelen en stappen stel je, wat heb je daarvoor "
                "nodig en wat kan je tegenhouden? Dit telt niet mee in het oordeel."
            )
        }
        widgets = {"development_plan": forms.Textarea(attrs={"rows": 14})}


class DiversityForm(BoundedModelForm):
    markup_remembered = True  # one text, the same field for every portfolio (section_page)

    class Meta(BoundedModelForm.Meta):
        model = LoopbaanDetails
        fields = ["diversity"]
        labels = {"diversity": _("Waarin verschillen je twee casussen?")}
        help_texts = {
            "diversity": _(
                "Bijvoorbeeld in de vraag van de cliënt, het soort cliënt of opdrachtgever, of "
                "de uitdaging voor jou als begeleider. De assessoren beoordelen dit."
            )
        }
        widgets = {"diversity": forms.Textarea(attrs={"rows": 5})}


class DeclarationsForm(forms.Form):
    code_of_conduct = forms.BooleanField(
        label=_("Ik heb de gedragscode gelezen en werk ernaar"), required=False
    )
    complaints_regulation = forms.BooleanField(
        label=_("Ik ken het klachtenreglement"), required=False
    )
    truthful = forms.BooleanField(
        label=_("Ik heb dit portfolio naar waarheid ingevuld"), required=False
    )


DESCRIBED = "described"
NOT_RELEVANT = "not_relevant"


class CaseForm(forms.Form):
    """One case (LP-C): its details, every task of the framework, the knowledge areas, the
    competences and the attitude questions. Fields are built from the framework version."""

    title = forms.CharField(label=_("Titel"), max_length=300, required=False)
    started = EventDateField(label=_("Begonnen op"), widget=DATE_INPUT, required=False)
    ended = EventDateField(
        label=_("Afgerond op"),
        widget=DATE_INPUT,
        required=False,
    )
    rationale = forms.CharField(
        label=_("Waarom koos je dit traject?"),
        widget=TEXTAREA,
        required=False,
        max_length=text_limit(Case._meta.get_field("rationale")),
    )

    def __init__(self, *args, framework: LoopbaanFramework, case: Case, **kwargs):
        self.framework = framework
        kwargs.setdefault("initial", self._initial(case))
        super().__init__(*args, **kwargs)
        task_limit = text_limit(CaseTask._meta.get_field("text"))
        answer_limit = text_limit(CaseText._meta.get_field("text"))
        self.fields["ended"].help_text = _(
            "Het traject moet in de %(years)s jaar voor het indienen zijn afgerond."
        ) % {"years": framework.case_recency_years}
        for task in framework.tasks:
            self.fields[f"task_{task.number}_state"] = forms.ChoiceField(
                label=_("Taak %(number)s in deze casus") % {"number": task.number},
                choices=[
                    (DESCRIBED, _("Beschreven")),
                    (NOT_RELEVANT, _("Niet relevant in deze casus")),
                ],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                required=False,
            )
            self.fields[f"task_{task.number}_text"] = forms.CharField(
                label=_("Beschrijving"),
                widget=forms.Textarea(attrs={"rows": 6}),
                required=False,
                max_length=task_limit,
            )
            self.fields[f"task_{task.number}_motivation"] = forms.CharField(
                label=_("Waarom was deze taak hier niet relevant?"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=task_limit,
            )
        for area in framework.knowledge_areas:
            self.fields[f"area_{area.key}"] = forms.CharField(
                label=f"{area.number}. {area.name}",
                widget=TEXTAREA,
                required=False,
                max_length=answer_limit,
            )
        for competence in framework.competences:
            self.fields[f"competence_{competence.key}"] = forms.CharField(
                label=competence.name, widget=TEXTAREA, required=False, max_length=answer_limit
            )
        for attitude in framework.attitudes:
            self.fields[f"attitude_{attitude.key}"] = forms.CharField(
                label=attitude.name,
                help_text=attitude.question,
                widget=TEXTAREA,
                required=False,
                max_length=answer_limit,
            )

    @staticmethod
    def _initial(case: Case) -> dict:
        initial = {
            "title": case.title,
            "started": case.started,
            "ended": case.ended,
            "rationale": case.rationale,
        }
        for task in case.tasks.all():
            if task.not_relevant:
                initial[f"task_{task.number}_state"] = NOT_RELEVANT
                initial[f"task_{task.number}_motivation"] = task.text
            else:
                initial[f"task_{task.number}_state"] = DESCRIBED
                initial[f"task_{task.number}_text"] = task.text
        prefixes = {
            CaseTextKind.KNOWLEDGE_AREA: "area",
            CaseTextKind.COMPETENCE: "competence",
            CaseTextKind.ATTITUDE: "attitude",
        }
        for text in case.texts.all():
            initial[f"{prefixes[text.kind]}_{text.key}"] = text.text
        return initial

    def clean(self):
        data = super().clean()
        started, ended = data.get("started"), data.get("ended")
        if started and ended and ended < started:
            self.add_error("ended", _("De einddatum ligt voor de begindatum."))
        return data

    def _value(self, name: str) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "")
        return self.initial.get(name) or ""

    def task_blocks(self):
        """Per task: the framework's task and its three bound fields, with the choice shown."""
        blocks = []
        for task in self.framework.tasks:
            state = self._value(f"task_{task.number}_state")
            blocks.append(
                {
                    "task": task,
                    "state": self[f"task_{task.number}_state"],
                    "text": self[f"task_{task.number}_text"],
                    "motivation": self[f"task_{task.number}_motivation"],
                    "choice": state,
                    "areas": [self.framework.knowledge_area(n) for n in task.suggested_areas],
                    "competences": [
                        self.framework.competence(key) for key in task.suggested_competences
                    ],
                }
            )
        return blocks

    def area_fields(self):
        return [(area, self[f"area_{area.key}"]) for area in self.framework.knowledge_areas]

    def competence_fields(self):
        return [(c, self[f"competence_{c.key}"]) for c in self.framework.competences]

    def attitude_fields(self):
        return [(a, self[f"attitude_{a.key}"]) for a in self.framework.attitudes]

    def tasks_payload(self) -> dict[int, tuple[bool, str]]:
        """``{task number: (not relevant, text)}`` as the service takes it."""
        tasks = {}
        for task in self.framework.tasks:
            state = self.cleaned_data.get(f"task_{task.number}_state")
            text = self.cleaned_data.get(f"task_{task.number}_text", "")
            motivation = self.cleaned_data.get(f"task_{task.number}_motivation", "")
            if not state:
                # No choice made: whatever was typed tells which one is meant.
                state = DESCRIBED if text.strip() or not motivation.strip() else NOT_RELEVANT
            if state == NOT_RELEVANT:
                tasks[task.number] = (True, motivation)
            else:
                tasks[task.number] = (False, text)
        return tasks

    def texts_payload(self) -> dict[tuple[str, str], str]:
        texts = {}
        for area in self.framework.knowledge_areas:
            texts[(CaseTextKind.KNOWLEDGE_AREA, area.key)] = self.cleaned_data[f"area_{area.key}"]
        for c in self.framework.competences:
            texts[(CaseTextKind.COMPETENCE, c.key)] = self.cleaned_data[f"competence_{c.key}"]
        for a in self.framework.attitudes:
            texts[(CaseTextKind.ATTITUDE, a.key)] = self.cleaned_data[f"attitude_{a.key}"]
        return texts
