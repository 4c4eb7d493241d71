"""Form parts every framework's pages share, and the form that starts a portfolio."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from noloc_portal.documents.validation import EVIDENCE_KINDS, check_upload
from portfolios import registry

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UploadField(forms.FileField):
    """A file checked for type (by extension and content) and size, with Dutch messages."""

    def __init__(self, *args, kinds=EVIDENCE_KINDS, **kwargs):
        self.kinds = kinds
        kwargs.setdefault("required", False)
        accept = ",".join(kind.content_type for kind in kinds)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "size") and upload is not initial:
            check_upload(upload, self.kinds)
        return upload


class NewPortfolioForm(forms.Form):
    """The framework to start, plus the fields each framework asks when a portfolio starts."""

    framework = forms.ChoiceField(
        label=_("Welk portfolio wil je starten?"),
        choices=registry.framework_choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        frameworks = registry.frameworks()
        self.fields["framework"].initial = frameworks[0].code if frameworks else None
        for framework in frameworks:
            if framework.start_fields is not None:
                self.fields.update(framework.start_fields(user))

    def clean(self):
        data = super().clean()
        data["framework"] = data.get("framework") or self.fields["framework"].initial
        return data
