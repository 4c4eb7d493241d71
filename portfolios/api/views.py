"""The portfolio API (exchange.md, Commands and endpoints): list, detail, export, bundle,
evaluation, import, and evaluating a document without storing it.

Outsiders get 404 (house style §4), and so does an import by someone who may not start a
portfolio (``can_start_portfolio``, as on the page). Invalid input, wherever it is found (a body or
upload over its limit, a malformed document), gives 400 ``{"errors": [{"path", "message"}]}`` and
writes nothing.
"""

from __future__ import annotations

import io
import json
from datetime import date

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from noloc_portal.prepared import PreparedQuery
from portfolios import registry
from portfolios.api.parsers import BundleUploadHandler, DocumentParser
from portfolios.api.serializers import (
    BundleUploadSerializer,
    ErrorsSerializer,
    EvaluationSerializer,
    PortfolioDocumentSerializer,
    PortfolioSerializer,
)
from portfolios.evaluation import evaluate
from portfolios.evaluation.common import DocumentError
from portfolios.exchange import reader
from portfolios.exchange.bundle import is_bundle
from portfolios.exchange.decode import load_json, read_limited
from portfolios.exchange.document import parse_document
from portfolios.exchange.storage import (
    export_bundle,
    export_document,
    import_bundle,
    import_document,
)
from portfolios.models import Portfolio
from portfolios.permissions import can_start_portfolio, can_view_portfolio
from portfolios.selectors import own_portfolios, portfolios_of
from portfolios.services import evaluate_portfolio, today

EVALUATION = {
    "framework": "jobcoach-recertification",
    "framework_version": "2024.1",
    "as_of": "2026-11-22",
    "submittable": False,
    "rules": [
        {
            "id": "JC-B-TOTAL",
            "status": "not_met",
            "message": "Je hebt 32 van de 75 PE-punten; …",
            "path": "pe_activities",
        }
    ],
    "pe": {
        "window": {"start": "2023-03-31", "end": "2027-03-31"},
        "categories": {
            "1": {"earned": 34, "counted": 32, "literature_earned": 12, "bound": "min 30"},
            "2": {"earned": 0, "counted": 0, "bound": "max 30"},
        },
        "activities": [{"index": 0, "points": 24, "in_window": True}],
        "total_counted": 32,
        "required": 75,
    },
}
ERRORS = {"errors": [{"path": "pe_activities[3].sbu", "message": "must be a positive number"}]}

# One example document per registered framework, from the framework's package.
DOCUMENT_EXAMPLES = [
    OpenApiExample(framework.code, value=framework.example_document, request_only=True)
    for framework in registry.frameworks()
    if framework.example_document is not None
]
EXPORT_EXAMPLES = [
    OpenApiExample(framework.code, value=framework.example_document, response_only=True)
    for framework in registry.frameworks()
    if framework.example_document is not None
]
EVALUATION_EXAMPLE = OpenApiExample("Evaluation", value=EVALUATION, response_only=True)
ERRORS_RESPONSE = OpenApiResponse(
    ErrorsSerializer,
    description="Invalid input; the path names the offending value. Nothing was written.",
    examples=[OpenApiExample("Invalid document", value=ERRORS, response_only=True)],
)
NOT_FOUND = OpenApiResponse(description="No such portfolio, or not yours to see.")
NOT_FOUND_IMPORT = OpenApiResponse(
    description="You may not start a portfolio (not a professional)."
)
AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description="'Today' for the evaluation (default: today). It decides the age of LP-A "
    "reports and LP-C cases and, without a recertification_date, nothing else.",
)
WITHOUT_FILES = OpenApiParameter(
    "without_files",
    OpenApiTypes.BOOL,
    description="Import a plain JSON document that names evidence by dropping the evidence "
    "(without it such a document is refused: only a bundle carries files).",
)


class ZipRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: application/zip``; the bundle itself is a FileResponse."""

    media_type = "application/zip"
    format = "zip"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        # Only errors (404) reach a renderer here; they stay readable JSON.
        return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _errors(error: DocumentError, code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"errors": [{"path": error.path, "message": error.message}]}, status=code)


def _as_of(request: Request) -> date:
    value = request.query_params.get("as_of")
    if value is None:
        return today()
    return reader.req_date({"as_of": value}, "as_of", "")


class InvalidInputIs400:
    """Invalid input found anywhere while a request is handled answers in the error format: a
    DocumentError (also one raised by a parser or upload handler while authentication's CSRF
    check reads the body) and Django's refusals of an oversized body, never its HTML page."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, RequestDataTooBig):
            exc = DocumentError("$", "the request body is larger than the maximum allowed")
        elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
            exc = DocumentError("$", "the request holds more fields than allowed")
        if isinstance(exc, DocumentError):
            return _errors(exc)
        return super().handle_exception(exc)


def _shown_portfolios():
    """Portfolios as the API shows one: with what its framework's summary reads."""
    return Portfolio.objects.select_related(*registry.summary_related())


_ONE_PORTFOLIO = PreparedQuery(
    lambda pk: _shown_portfolios().filter(pk=pk), depends_on=registry.codes, pk=int
)


@extend_schema_view(
    list=extend_schema(
        summary="Your portfolios",
        description="The portfolios of the signed-in professional, newest first.",
    ),
    retrieve=extend_schema(
        summary="One portfolio",
        description="Readable by whoever may read the portfolio (owner, assigned assessor, "
        "certification coordinator once submitted, staff).",
        responses={200: PortfolioSerializer, 404: NOT_FOUND},
    ),
)
class PortfolioViewSet(
    InvalidInputIs400,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PortfolioSerializer
    queryset = Portfolio.objects.all()
    lookup_value_regex = r"\d+"

    def initialize_request(self, request, *args, **kwargs):
        # Before anything reads the body (authentication's CSRF check parses a multipart body
        # too): an uploaded bundle goes to a temporary file, within the bundle limits.
        if self.action_map.get(request.method.lower()) == "import_":
            request.upload_handlers = [BundleUploadHandler(request)]
        return super().initialize_request(request, *args, **kwargs)

    def get_queryset(self):
        if self.action == "list":
            return portfolios_of(self.request.user)
        return _shown_portfolios()

    def list(self, request: Request, *args, **kwargs) -> Response:
        # get_queryset() evaluated, through its prepared query (no paging, no filters).
        return Response(self.get_serializer(own_portfolios(request.user), many=True).data)

    def get_object(self) -> Portfolio:
        # What GenericAPIView.get_object does with get_queryset(), through its prepared query.
        found = _ONE_PORTFOLIO(pk=int(self.kwargs[self.lookup_url_kwarg or self.lookup_field]))
        if not found:
            raise Http404
        portfolio = found[0]
        self.check_object_permissions(self.request, portfolio)
        if self.action in ("export", "bundle"):
            allowed = portfolio.owner_id == self.request.user.pk
        else:
            allowed = can_view_portfolio(self.request.user, portfolio)
        if not allowed:
            raise Http404
        return portfolio

    @extend_schema(
        summary="Export as a document",
        description="The noloc-portfolio/1 document of your own portfolio. Evidence is named "
        "by its file name inside the bundle; fetch the bundle for the files.",
        responses={
            200: OpenApiResponse(PortfolioDocumentSerializer, examples=EXPORT_EXAMPLES),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk=None) -> Response:
        return Response(export_document(self.get_object()))

    @extend_schema(
        summary="Export as a bundle",
        description="A zip holding portfolio.json and every evidence file it names: the whole "
        "portfolio of its owner (data portability). Import it again to get an equal portfolio.",
        responses={
            (200, "application/zip"): OpenApiTypes.BINARY,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, ZipRenderer])
    def bundle(self, request: Request, pk=None):
        portfolio = self.get_object()
        data = export_bundle(portfolio)
        return FileResponse(
            io.BytesIO(data),
            as_attachment=True,
            filename=f"portfolio-{portfolio.pk}.zip",
            content_type="application/zip",
        )

    @extend_schema(
        summary="Evaluation",
        description="The engine's verdict on a draft as it is stored now; once submitted, the "
        "verdict frozen at submit (as of the submission date, as_of is ignored). For whoever "
        "may read the portfolio.",
        parameters=[AS_OF],
        responses={
            200: OpenApiResponse(EvaluationSerializer, examples=[EVALUATION_EXAMPLE]),
            400: ERRORS_RESPONSE,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"])
    def evaluation(self, request: Request, pk=None) -> Response:
        portfolio = self.get_object()
        return Response(evaluate_portfolio(portfolio, as_of=_as_of(request)).to_json())

    @extend_schema(
        summary="Import",
        description="Store a document (JSON body) or a bundle (multipart, field 'bundle') as a "
        "new draft portfolio of yours. Evidence is taken from the bundle; a plain document "
        "that names evidence is refused unless without_files=true.",
        parameters=[WITHOUT_FILES],
        request={
            "application/json": PortfolioDocumentSerializer,
            "multipart/form-data": BundleUploadSerializer,
        },
        examples=DOCUMENT_EXAMPLES,
        responses={201: PortfolioSerializer, 400: ERRORS_RESPONSE, 404: NOT_FOUND_IMPORT},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[DocumentParser, MultiPartParser],
    )
    def import_(self, request: Request) -> Response:
        if not can_start_portfolio(request.user):
            raise Http404
        portfolio = self._import(request)
        serializer = self.get_serializer(portfolio)
        location = reverse("api-portfolio-detail", args=[portfolio.pk], request=request)
        return Response(
            serializer.data, status=status.HTTP_201_CREATED, headers={"Location": location}
        )

    def _import(self, request: Request) -> Portfolio:
        owner = request.user
        without_files = request.query_params.get("without_files", "").lower() in ("1", "true")
        if request.content_type.startswith("multipart/"):
            upload = request.FILES.get("bundle")
            if upload is None:
                raise DocumentError("bundle", "upload the bundle (zip) in the field 'bundle'")
            head = upload.read(4)
            upload.seek(0)
            if is_bundle(head):
                return import_bundle(upload, owner=owner, by=owner)
            data = load_json(read_limited(upload))
        else:
            data = request.data
        return import_document(data, owner=owner, files=None, without_files=without_files, by=owner)


class EvaluateView(InvalidInputIs400, APIView):
    parser_classes = [DocumentParser]

    @extend_schema(
        summary="Evaluate a document",
        description="Evaluate a posted noloc-portfolio/1 document of either framework without "
        "storing anything. Evidence is any non-empty string meaning 'a file is attached'.",
        parameters=[AS_OF],
        request=PortfolioDocumentSerializer,
        examples=DOCUMENT_EXAMPLES,
        responses={
            200: OpenApiResponse(EvaluationSerializer, examples=[EVALUATION_EXAMPLE]),
            400: ERRORS_RESPONSE,
        },
    )
    def post(self, request: Request) -> Response:
        as_of = _as_of(request)
        snapshot = parse_document(request.data)
        return Response(evaluate(snapshot, as_of=as_of).to_json())
