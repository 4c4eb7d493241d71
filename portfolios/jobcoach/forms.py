"""Section forms of the Jobcoach portfolio. Rules live in the engine; forms only parse input."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from noloc_portal.documents.validation import REPORT_KINDS
from noloc_portal.forms import BoundedModelForm, DateField, EventDateField
from noloc_portal.validators import text_limit
from portfolios import hooks
from portfolios.evaluation.common import years_before
from portfolios.forms import DATE_INPUT, UploadField
from portfolios.jobcoach.framework import (
    FIELD_KINDS,
    JOBCOACH_REGISTER,
    ActivityType,
    jobcoach_framework,
)
from portfolios.jobcoach.models import (
    FacilitatorConfirmation,
    JobcoachDetails,
    PEActivity,
    ReflectionMeeting,
)
from portfolios.jobcoach.snapshot import jobcoach_details
from portfolios.models import Portfolio
from portfolios.selectors import previous_portfolio


class WindowTexts:
    """Help texts that name the recertification window say the framework version's years."""

    window_texts: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        framework = jobcoach_framework(version=self.instance.portfolio.framework_version)
        for name, text in self.window_texts.items():
            self.fields[name].help_text = text % {"years": framework.window_years}


class A1Form(WindowTexts, BoundedModelForm):
    cv_upload = UploadField(label=_("Cv"))
    window_texts = {
        "cv_upload": _(
            "PDF, PNG of JPEG. Laat zien: werkervaring, scholing van de afgelopen %(years)s jaar, "
            "je huidige rollen en met welke cliënten, doelgroepen en vragen je werkt."
        )
    }
    statement_upload = UploadField(
        label=_("Verklaring werkzaam als uitvoerend jobcoach"),
        help_text=_("De volledig ingevulde en ondertekende verklaring (PDF, PNG of JPEG)."),
    )

    class Meta(BoundedModelForm.Meta):
        model = JobcoachDetails
        fields = ["a1_statement_signed"]
        labels = {
            "a1_statement_signed": _("De geüploade verklaring is volledig ingevuld en ondertekend")
        }


class A2Form(BoundedModelForm):
    class Meta(BoundedModelForm.Meta):
        model = JobcoachDetails
        fields = ["a2_report"]
        labels = {"a2_report": _("Verantwoording")}
        widgets = {"a2_report": forms.Textarea(attrs={"rows": 12})}
        help_texts = {
            "a2_report": _(
                "Wat had je je voorgenomen, wat heb je wel en niet gedaan, welk "
                "ontwikkeladvies kreeg je bij de vorige (her)certificering en wat deed je "
                "ermee? Liep het anders, leg dan uit waarom en welke weg je koos."
            )
        }


class ReflectionMeetingForm(BoundedModelForm):
    statement_upload = UploadField(
        label=_("Verklaring van de begeleider"),
        help_text=_(
            "Upload de ondertekende verklaring (PDF, PNG of JPEG), of vraag de begeleider "
            "hieronder om de bijeenkomst online te bevestigen."
        ),
    )

    class Meta(BoundedModelForm.Meta):
        model = ReflectionMeeting
        fields = [
            "kind",
            "date",
            "facilitator",
            "facilitator_registration",
            "own_situation",
            "statement_signed",
        ]
        widgets = {"date": DATE_INPUT}
        field_classes = {"date": EventDateField}
        labels = {
            "kind": _("Soort bijeenkomst"),
            "own_situation": _("Ik heb zelf een betekenisvolle situatie ingebracht"),
            "statement_signed": _("De geüploade verklaring is volledig en ondertekend"),
        }
        help_texts = {
            "facilitator": _("Naam van de begeleider van de bijeenkomst."),
            "facilitator_registration": _(
                "Nodig bij supervisie en coaching: de beroepsvereniging waar de begeleider is "
                "geregistreerd, bijvoorbeeld LVSC, NOBCO, Noloc, EIA of STiR."
            ),
        }

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if (
            kind in ("supervision", "coaching")
            and not (data.get("facilitator_registration") or "").strip()
        ):
            self.add_error(
                "facilitator_registration",
                _("Vul in bij welke beroepsvereniging de begeleider is geregistreerd."),
            )
        return data


class ConfirmationRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres van de begeleider"),
        help_text=_(
            "De begeleider krijgt een persoonlijke link (30 dagen geldig, geen account nodig) "
            "om datum, naam en je inbreng te bevestigen of te corrigeren."
        ),
    )


class FacilitatorAnswerForm(forms.Form):
    meeting_date = EventDateField(label=_("Datum van de bijeenkomst"), widget=DATE_INPUT)
    facilitator = forms.CharField(label=_("Naam van de begeleider"), max_length=200)
    own_situation = forms.TypedChoiceField(
        label=_("Heeft de deelnemer een eigen situatie ingebracht?"),
        choices=[("ja", _("Ja")), ("nee", _("Nee"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Toelichting (optioneel)"),
        required=False,
        max_length=text_limit(FacilitatorConfirmation._meta.get_field("facilitator_note")),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReflectionReportForm(BoundedModelForm):
    class Meta(BoundedModelForm.Meta):
        model = JobcoachDetails
        fields = [
            "report_meeting",
            "report_situation",
            "report_motivation",
            "report_insights",
            "report_consequences",
        ]
        labels = {
            "report_meeting": _("Over welke bijeenkomst gaat het verslag?"),
            "report_situation": _("1. De situatie"),
            "report_motivation": _("2. Waarom deze situatie"),
            "report_insights": _("3. Inzichten"),
            "report_consequences": _("4. Wat betekent dit voor je handelen?"),
        }
        help_texts = {
            "report_situation": _(
                "Beschrijf de situatie en je eigen rol daarin. Op welke onderdelen van het "
                "beroepsprofiel raakt ze, en waarom?"
            ),
            "report_motivation": _(
                "Waarom koos je juist deze situatie? Wat raakte je persoonlijk en wat wilde je "
                "bereiken door haar te bespreken?"
            ),
            "report_insights": _(
                "Welke persoonlijke en professionele inzichten leverde het gesprek op, en bij "
                "welke onderdelen van het beroepsprofiel horen ze?"
            ),
            "report_consequences": _(
                "Wat ga je anders doen, wat houd je vast, wat wil je verdiepen of ontwikkelen? "
                "Reflecteer op handelen, voelen, denken en willen."
            ),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 6})
            for name in (
                "report_situation",
                "report_motivation",
                "report_insights",
                "report_consequences",
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["report_meeting"]
        field.queryset = self.instance.portfolio.reflection_meetings.all()
        field.empty_label = _("— kies een bijeenkomst —")


class DevelopmentPlanForm(WindowTexts, BoundedModelForm):
    window_texts = {
        "plan_past": _(
            "Wat waren de belangrijke momenten van de afgelopen %(years)s jaar, wat leerde je "
            "ervan, en wat zegt dat over hoe jij leert?"
        ),
        "plan_future": _(
            "Wat wil je de komende %(years)s jaar bereiken? Welke stappen zet je op korte en "
            "lange termijn, wat heb je nodig, welke obstakels verwacht je en hoe voorkom "
            "je ze? Welke onderdelen van het beroepsprofiel horen erbij?"
        ),
    }

    class Meta(BoundedModelForm.Meta):
        model = JobcoachDetails
        fields = ["plan_present", "plan_past", "plan_future"]
        labels = {
            "plan_present": _("Heden"),
            "plan_past": _("Verleden"),
            "plan_future": _("Toekomst"),
        }
        help_texts = {
            "plan_present": _(
                "Welke ontwikkelingen spelen nu: in je levensfase, je werk, het vak, de "
                "samenleving, de arbeidsmarkt en digitale hulpmiddelen?"
            ),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 8})
            for name in ("plan_present", "plan_past", "plan_future")
        }


class DeclarationForm(BoundedModelForm):
    class Meta(BoundedModelForm.Meta):
        model = Portfolio
        fields = ["declares_code_of_conduct", "declares_complaints_regulation"]
        labels = {
            "declares_code_of_conduct": _("Ik heb de beroepscode gelezen en werk ernaar."),
            "declares_complaints_regulation": _("Ik ken de klachtenregeling."),
        }


_FIELD_LABELS = {
    "date": _("Datum"),
    "start": _("Begin"),
    "end": _("Einde"),
    "sbu": _("Studiebelastingsuren (SBU)"),
    "hours": _("Contacturen"),
    "half_days": _("Aantal dagdelen"),
    "days": _("Aantal hele dagen"),
    "words": _("Aantal woorden"),
    "candidates": _("Aantal begeleide of beoordeelde kandidaten"),
    "isbn": _("ISBN"),
    "facilitator": _("Begeleider"),
}
_FIELD_HELP = {
    "sbu": _("Contacturen plus zelfstudie, zoals de aanbieder ze opgeeft."),
    "end": _("Leeg laten als de rol nog loopt."),
}


class PEActivityForm(BoundedModelForm):
    """The fields one activity type needs, and nothing else (exchange.md, PE activity types)."""

    evidence_upload = UploadField(label=_("Bewijsstuk"), kinds=REPORT_KINDS)

    class Meta(BoundedModelForm.Meta):
        model = PEActivity
        fields = ["title", *FIELD_KINDS]
        widgets = {"date": DATE_INPUT, "start": DATE_INPUT, "end": DATE_INPUT}
        field_classes = dict.fromkeys(("date", "start", "end"), EventDateField)
        labels = {"title": _("Titel of omschrijving")}

    def __init__(self, *args, activity_type: ActivityType, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity_type = activity_type
        for name in list(self.fields):
            if name in ("title", "evidence_upload"):
                continue
            if name not in activity_type.fields:
                del self.fields[name]
                continue
            field = self.fields[name]
            field.label = _FIELD_LABELS[name]
            field.required = name in activity_type.required_fields
            if name in _FIELD_HELP:
                field.help_text = _FIELD_HELP[name]
            if name == "words" and activity_type.min_words:
                field.help_text = _("Een artikel telt mee vanaf %(words)s woorden.") % {
                    "words": activity_type.min_words
                }
            if FIELD_KINDS[name] in ("number", "integer"):
                field.widget.attrs.update({"min": "0", "inputmode": "decimal"})
        self.fields["title"].required = True
        if activity_type.evidence_required:
            self.fields["evidence_upload"].help_text = activity_type.evidence_hint
        else:
            del self.fields["evidence_upload"]

    def clean(self):
        data = super().clean()
        for name in ("sbu", "hours"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("Vul een positief getal in."))
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Het einde ligt vóór het begin."))
        if (
            "half_days" in self.fields
            and not data.get("half_days")
            and not data.get("days")
            and not self.errors
        ):
            raise ValidationError(_("Vul het aantal dagdelen of hele dagen in."))
        return data


def start_fields(user) -> dict[str, forms.Field]:
    """What the start form asks for a Jobcoach recertification: the recertification date.

    When the portal holds the owner's registration in the Register Jobcoach, the date is the
    day it ends and cannot be changed (the start takes it from the registration). Otherwise it
    is typed in, by default one window (four years) after the previous portfolio's."""
    registered_until = hooks.registration_end(owner=user, register=JOBCOACH_REGISTER)
    if registered_until is not None:
        return {
            "recertification_date": DateField(
                label=_("Hercertificeringsdatum"),
                help_text=_(
                    "Alleen bij hercertificering Register Jobcoach: de datum waarop je huidige "
                    "registratie afloopt, zoals het portaal die kent. Alle termijnen (PE-punten, "
                    "aantal reflectiebijeenkomsten) worden hiervan afgeleid."
                ),
                widget=DATE_INPUT,
                required=False,
                disabled=True,
                initial=registered_until,
            )
        }
    previous = previous_portfolio(user)
    last = jobcoach_details(previous).recertification_date if previous else None
    initial = None
    if last:
        window = jobcoach_framework(version=previous.framework_version).window_years
        initial = years_before(last, -window)
    return {
        "recertification_date": DateField(
            label=_("Hercertificeringsdatum"),
            help_text=_(
                "Alleen bij hercertificering Register Jobcoach: de datum waarop je huidige "
                "registratie afloopt. Alle termijnen (PE-punten, aantal reflectiebijeenkomsten) "
                "worden hiervan afgeleid."
            ),
            widget=DATE_INPUT,
            required=False,
            initial=initial,
        )
    }
