"""Input parsing for the circle pages. Business rules live in services.py."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kwaliteitskringen.models import (
    AnnualReport,
    Application,
    Circle,
    FoundingRequest,
    Meeting,
    Membership,
    Programme,
    ProgrammeItem,
    Subgroup,
)
from kwaliteitskringen.regions import region_choices
from noloc_portal.documents.validation import REPORT_KINDS, check_upload
from noloc_portal.forms import BoundedModelForm, ChooseFilesAgain, EventDateField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name or obj.email


class ApplicationForm(ChooseFilesAgain, forms.Form):
    cv = forms.FileField(
        label=_("Je cv"),
        help_text=_("PDF, Word (.docx), PNG of JPEG."),
        error_messages={"required": _("Voeg je cv toe.")},
    )
    expectations = forms.CharField(
        label=_("Wat verwacht je van de kring, en wat breng je mee?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        error_messages={"required": _("Beschrijf je verwachtingen van de kring.")},
    )

    def clean_cv(self):
        upload = self.cleaned_data["cv"]
        check_upload(upload, REPORT_KINDS)
        return upload


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Geef een reden op.")},
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Toelichting (optioneel)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class TrialFeeForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Betaalde bijdrage (€)"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        error_messages={"required": _("Vul het betaalde bedrag in.")},
    )


def _current_members(circle: Circle, year: int):
    from noloc_portal.accounts.models import User

    return User.objects.filter(
        circle_memberships__circle=circle,
        circle_memberships__year=year,
        circle_memberships__state__in=["active", "renewed"],
    ).order_by("full_name", "email")


class CircleSettingsForm(BoundedModelForm):
    class Meta(BoundedModelForm.Meta):
        model = Circle
        fields = [
            "status",
            "capacity",
            "region",
            "description",
            "objective",
            "secretary",
            "treasurer",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "objective": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        members = _current_members(self.instance, year)
        for name in ("secretary", "treasurer"):
            self.fields[name] = MemberChoiceField(
                queryset=members,
                required=False,
                label=self.fields[name].label,
                empty_label=_("— geen —"),
            )


class ContributionForm(forms.Form):
    participant = MemberChoiceField(queryset=None, label=_("Deelnemer"))
    date = EventDateField(label=_("Datum"), widget=DateInput())
    description = forms.CharField(
        label=_("Bijdrage"),
        max_length=300,
        help_text=_("Bijvoorbeeld: workshop gegeven, casus ingebracht, boek besproken."),
    )

    def __init__(self, *args, circle: Circle, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = _current_members(circle, year)

    def with_choices_read(self) -> ContributionForm:
        """The participants read once into a list, for a form that is only drawn: its HTML is
        kept per process by what it shows (noloc_portal.lists.form_html), which reads the
        choices as well. Validation still checks against the query."""
        field = self.fields["participant"]
        # As values, named as label_from_instance names them: as users, the 200 members of a
        # large circle cost a quarter of the members tab.
        members = field.queryset.values_list("pk", "full_name", "email")
        field.choices = [("", field.empty_label)] + [
            (pk, full_name or email) for pk, full_name, email in members
        ]
        return self


class CostShareForm(forms.Form):
    member = MemberChoiceField(queryset=None, label=_("Deelnemer"))
    amount = forms.DecimalField(
        label=_("Bedrag (€)"), min_value=0.01, max_digits=7, decimal_places=2
    )
    description = forms.CharField(label=_("Omschrijving"), max_length=200)

    def __init__(self, *args, circle: Circle, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = _current_members(circle, year)


class SplitForm(forms.Form):
    name = forms.CharField(label=_("Naam van de nieuwe kring"), max_length=200)
    region = forms.CharField(label=_("Regio"), max_length=100)
    memberships = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Deelnemers die overstappen"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    applications = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Aanmelders (wachtlijst) die meegaan"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, circle: Circle, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["memberships"].queryset = Membership.objects.filter(
            circle=circle, year=year, state__in=["active", "renewed"]
        ).select_related("member")
        self.fields["memberships"].label_from_instance = lambda m: str(m.member)
        self.fields["applications"].queryset = Application.objects.filter(
            circle=circle, state__in=["submitted", "waitlisted"]
        ).select_related("applicant")
        self.fields["applications"].label_from_instance = lambda a: str(a.applicant)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Circle.objects.filter(name__iexact=name).exists():
            raise ValidationError(_("Er bestaat al een kring met deze naam."))
        return name


class MeetingForm(BoundedModelForm):
    class Meta(BoundedModelForm.Meta):
        model = Meeting
        fields = [
            "date",
            "start_time",
            "place",
            "form",
            "theme",
            "host",
            "facilitator",
            "note_taker",
            "agenda",
            "joint_with",
        ]
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 5}),
        }
        field_classes = {"date": EventDateField}
        error_messages = {
            "date": {"required": _("Kies een datum."), "invalid": _("Vul een geldige datum in.")},
            "place": {"required": _("Vul de plaats in.")},
            "theme": {"required": _("Geef de bijeenkomst een thema.")},
            "form": {"required": _("Kies een vorm.")},
        }

    def __init__(self, *args, circle: Circle, year: int, subgroup=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = _current_members(circle, year)
        for name in ("host", "note_taker"):
            self.fields[name] = MemberChoiceField(
                queryset=members,
                required=False,
                label=self.fields[name].label,
                empty_label=_("— nog niet bekend —"),
            )
        if subgroup is not None or self.instance.subgroup_id:
            del self.fields["joint_with"]
        else:
            self.fields["joint_with"] = forms.ModelChoiceField(
                queryset=Circle.objects.exclude(pk=circle.pk).order_by("region", "name"),
                required=False,
                label=_("Samen met kring"),
                empty_label=_("— alleen deze kring —"),
                help_text=_(
                    "Bij een gezamenlijke bijeenkomst staan de deelnemers van beide kringen op "
                    "de presentielijst; ieder één keer."
                ),
            )
        self.fields["facilitator"].help_text = _(
            "Bij intervisie: de naam van de begeleider (telt als verklaring voor JC-A3.1)."
        )


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Aanwezig"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, expected: list[tuple[object, bool]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (user.pk, f"{user}{' (' + str(_('op proef')) + ')' if on_trial else ''}")
            for user, on_trial in expected
        ]


class MeetingReportForm(forms.Form):
    report = forms.CharField(
        label=_("Verslag"),
        widget=forms.Textarea(attrs={"rows": 18, "class": "font-monospace"}),
        max_length=20000,
        error_messages={"required": _("Het verslag is leeg.")},
    )


class DismissSignalForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    note = forms.CharField(
        label=_("Waarom vraagt dit signaal geen actie?"),
        max_length=1000,
        error_messages={"required": _("Schrijf kort op waarom je dit signaal afhandelt.")},
    )


class AnnualReportForm(BoundedModelForm):
    class Meta(BoundedModelForm.Meta):
        model = AnnualReport
        fields = ["objective", "narrative"]
        widgets = {
            "objective": forms.Textarea(attrs={"rows": 3}),
            "narrative": forms.Textarea(attrs={"rows": 10}),
        }


class NameConsentForm(forms.Form):
    name_in_annual_report = forms.BooleanField(
        label=_("Mijn naam mag in de gepubliceerde jaarverslagen van deze kring staan"),
        required=False,
    )


class FoundingRequestForm(BoundedModelForm):
    """A member's request to start a circle; the region is one of the public choices."""

    class Meta(BoundedModelForm.Meta):
        model = FoundingRequest
        fields = ["name", "region", "meeting_place", "rhythm", "motivation"]
        widgets = {"motivation": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "name": _("Bijvoorbeeld: Kwaliteitskring Amersfoort."),
            "meeting_place": _("Een plaats of locatie die goed bereikbaar is voor de deelnemers."),
            "rhythm": _("Bijvoorbeeld: zes keer per jaar op dinsdagavond."),
            "motivation": _("Waarom deze kring, en voor wie? Een paar zinnen is genoeg."),
        }
        error_messages = {
            "name": {"required": _("Geef de kring een naam.")},
            "meeting_place": {"required": _("Vul de beoogde plaats in.")},
            "rhythm": {"required": _("Vul in hoe vaak de kring wil bijeenkomen.")},
            "motivation": {"required": _("Schrijf kort je motivatie op.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = forms.ChoiceField(
            label=_("Regio"),
            choices=[("", _("— kies een regio —")), *region_choices()],
            error_messages={"required": _("Kies een regio.")},
        )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Circle.objects.filter(name__iexact=name).exists():
            raise ValidationError(_("Er bestaat al een kring met deze naam."))
        return name


class InterestForm(forms.Form):
    """Interest in a circle where none has room: nothing of it is ever shown publicly."""

    region = forms.ChoiceField(
        label=_("Je regio"), error_messages={"required": _("Kies je regio.")}
    )
    email = forms.EmailField(
        label=_("Je e-mailadres"),
        max_length=254,
        error_messages={
            "required": _("Vul je e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in."),
        },
    )
    consent = forms.BooleanField(
        label=_(
            "Noloc mag me mailen over een nieuwe kring in mijn regio. Mijn belangstelling "
            "vervalt na een jaar, tenzij ik haar verleng."
        ),
        error_messages={"required": _("Zonder je toestemming kunnen we je niet mailen.")},
    )

    def __init__(self, *args, regions: Iterable[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("— kies je regio —")), *region_choices(regions)]


class ProgrammeItemForm(BoundedModelForm):
    """A member's proposal for the programme (KK-7)."""

    class Meta(BoundedModelForm.Meta):
        model = ProgrammeItem
        fields = ["date", "theme", "form", "host", "place", "note"]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"date": EventDateField}
        error_messages = {
            "date": {"required": _("Kies een datum."), "invalid": _("Vul een geldige datum in.")},
            "theme": {"required": _("Geef het onderdeel een thema.")},
            "form": {"required": _("Kies een vorm.")},
        }

    def __init__(self, *args, programme: Programme, suggested=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        members = _current_members(programme.circle, programme.year)
        if not members.exists():
            members = _current_members(programme.circle, programme.year - 1)
        self.fields["host"] = MemberChoiceField(
            queryset=members,
            required=False,
            label=_("Gastheer/-vrouw (verzorgt de avond)"),
            empty_label=_("— nog niet bekend —"),
            help_text=(
                _("Volgens het rooster is %(name)s aan de beurt.") % {"name": suggested}
                if suggested
                else ""
            ),
        )
        self.fields["place"].help_text = _("Leeg laten als de kring op de vaste plek samenkomt.")
        self.fields["note"].label = _("Toelichting of opzet")

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day.year != self.programme.year:
            raise ValidationError(
                _("Kies een datum in %(year)s, het jaar van dit programma."),
                params={"year": self.programme.year},
            )
        return day


class AgreeProgrammeForm(forms.Form):
    default_place = forms.CharField(
        label=_("Plaats voor onderdelen zonder plaats"),
        max_length=200,
        required=False,
    )


class SubgroupForm(BoundedModelForm):
    class Meta(BoundedModelForm.Meta):
        model = Subgroup
        fields = ["name", "purpose"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"name": {"required": _("Geef de subgroep een naam.")}}

    members = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Wie doen er mee?"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Jijzelf komt er als trekker bij."),
    )

    def __init__(self, *args, circle: Circle, year: int, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = _current_members(circle, year)
        if exclude is not None:
            members = members.exclude(pk=exclude.pk)
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = lambda user: user.full_name or user.email
