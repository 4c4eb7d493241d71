"""Serializers of the portfolio API. The exchange document and the evaluation are produced by
the exchange module and the engine; the serializers for them only describe their shape in the
OpenAPI schema."""

from __future__ import annotations

import copy
from datetime import date

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.reverse import reverse

from portfolios import registry
from portfolios.evaluation.common import Status
from portfolios.models import Portfolio

_LINKS = inline_serializer(
    name="PortfolioLinks",
    fields={
        "self": serializers.URLField(),
        "evaluation": serializers.URLField(),
        "export": serializers.URLField(required=False, help_text="Owner only."),
        "bundle": serializers.URLField(required=False, help_text="Owner only."),
    },
)


class PortfolioSerializer(serializers.ModelSerializer):
    recertification_date = serializers.SerializerMethodField(help_text="Jobcoach only.")
    links = serializers.SerializerMethodField()

    class Meta:
        model = Portfolio
        fields = [
            "id",
            "framework",
            "framework_version",
            "state",
            "recertification_date",
            "created_at",
            "updated_at",
            "submitted_at",
            "links",
        ]
        read_only_fields = fields

    def get_fields(self) -> dict[str, serializers.Field]:
        # ModelSerializer works the fields out from the model on every instance: a fifth of the
        # CPU of the list. They depend on Meta only, so they are built once per class and
        # copied, as DRF copies the declared ones.
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            type(self)._built_fields = built
        return copy.deepcopy(built)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_recertification_date(self, portfolio: Portfolio) -> date | None:
        # The framework's own row holds it (Portfolio.summary_values).
        return portfolio.summary_values.get("recertification_date")

    @extend_schema_field(_LINKS)
    def get_links(self, portfolio: Portfolio) -> dict[str, str]:
        request = self.context["request"]

        def url(name: str) -> str:
            return reverse(f"api-portfolio-{name}", args=[portfolio.pk], request=request)

        links = {"self": url("detail"), "evaluation": url("evaluation")}
        # Export is the owner's right (data portability); others only see that it exists.
        if portfolio.owner_id == request.user.pk:
            links |= {"export": url("export"), "bundle": url("bundle")}
        return links


class PortfolioDocumentSerializer(serializers.Serializer):
    """A ``noloc-portfolio/1`` document. Only the head is listed; the sections of each framework
    are described in docs/exchange.md and shown in the examples. Unknown fields are ignored."""

    format = serializers.ChoiceField(choices=["noloc-portfolio/1"])
    framework = serializers.ChoiceField(choices=registry.framework_choices())
    framework_version = serializers.CharField(
        required=False, help_text="Absent: the version in force on the recertification date."
    )
    recertification_date = serializers.DateField(required=False, help_text="Jobcoach only.")


class BundleUploadSerializer(serializers.Serializer):
    bundle = serializers.FileField(
        help_text="A zip holding portfolio.json and the evidence files it names "
        "(a plain portfolio.json is accepted as well)."
    )


class RuleResultSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Rule ID, e.g. JC-B-TOTAL.")
    status = serializers.ChoiceField(choices=[str(status) for status in Status])
    message = serializers.CharField(help_text="Dutch: what is missing and how to fix it.")
    path = serializers.CharField(help_text="JSON path in the document the rule is about.")


class EvaluationSerializer(serializers.Serializer):
    framework = serializers.ChoiceField(choices=registry.framework_choices())
    framework_version = serializers.CharField()
    as_of = serializers.DateField()
    submittable = serializers.BooleanField(help_text="True exactly when no rule is not_met.")
    rules = RuleResultSerializer(many=True, help_text="Every rule of the framework, every time.")
    pe = serializers.DictField(
        required=False, help_text="Jobcoach only: window, categories, activities, totals."
    )


class ErrorSerializer(serializers.Serializer):
    path = serializers.CharField(help_text="JSON path of the offending value ('' for the file).")
    message = serializers.CharField()


class ErrorsSerializer(serializers.Serializer):
    errors = ErrorSerializer(many=True)
