"""'Mijn gegevens': the person's own download and removal request. Every page is about the
logged-in person only; another person's download or request is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from noloc_portal.audit.services import record_security_event
from noloc_portal.privacy import services
from noloc_portal.privacy.forms import RemovalRequestForm
from noloc_portal.privacy.models import AccountRemovalRequest, DataExport, ExportState
from noloc_portal.privacy.permissions import can_download_export, can_withdraw_removal


def _render_mine(request, *, form=None, status=200):
    user = request.user
    open_request = services.open_removal_request(user)
    export = services.latest_export(user)
    return render(
        request,
        "privacy/mine.html",
        {
            "export": export,
            "export_stale": export is not None and services.is_stale(export),
            "export_lifetime_days": services.EXPORT_LIFETIME.days,
            "open_request": open_request,
            "handled_requests": AccountRemovalRequest.objects.filter(user=user)
            .exclude(state="requested")
            .order_by("-requested_at")[:5],
            "form": None if open_request else (form or RemovalRequestForm(user=user)),
        },
        status=status,
    )


@login_required
@never_cache
def mine(request):
    return _render_mine(request)


@login_required
@require_POST
def export_request(request):
    export = services.request_data_export(user=request.user)
    export.refresh_from_db()  # a build without a broker is done by now
    if export.is_pending:
        messages.success(
            request,
            _(
                "Je download wordt gemaakt. Dat kan even duren; deze pagina laat zien wanneer "
                "hij klaar is."
            ),
        )
    return redirect("privacy:mine")


def _own_export(request, key) -> DataExport:
    export = get_object_or_404(DataExport, key=key)
    if not can_download_export(request.user, export):
        raise Http404
    return export


def export_label(export: DataExport) -> str:
    if export.state == ExportState.DONE:
        return _("Download je gegevens (zip, %(size)s)") % {"size": filesizeformat(export.size)}
    if export.state == ExportState.FAILED:
        return _("Het maken van de download is mislukt. Probeer het opnieuw.")
    return _("De download wordt gemaakt (%(state)s)…") % {
        "state": export.get_state_display().lower()
    }


@login_required
@never_cache
def export_status(request, key):
    """The state of the download as JSON; the page asks every few seconds (portal.js,
    ``data-render-job``) and shows the link once it is done."""
    export = _own_export(request, key)
    done = export.state == ExportState.DONE
    return JsonResponse(
        {
            "state": export.state,
            "label": export_label(export),
            "url": reverse("privacy:export_download", args=[export.key]) if done else "",
        }
    )


@login_required
def export_download(request, key):
    export = _own_export(request, key)
    if export.state != ExportState.DONE:
        raise Http404
    record_security_event(
        action="privacy.export_downloaded", actor=request.user, target=export, request=request
    )
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"mijn-gegevens-noloc-{export.finished_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )


@login_required
@require_POST
def removal_request(request):
    form = RemovalRequestForm(request.POST, user=request.user)
    if not form.is_valid():
        return _render_mine(request, form=form)
    try:
        services.request_removal(user=request.user, reason=form.cleaned_data["reason"])
    except services.RemovalError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Je verzoek is ontvangen. Je krijgt een e-mail ter bevestiging; het secretariaat "
                "laat je weten wanneer het is afgehandeld."
            ),
        )
    return redirect("privacy:mine")


@login_required
@require_POST
def removal_withdraw(request, pk):
    removal = get_object_or_404(AccountRemovalRequest, pk=pk)
    if removal.user_id != request.user.pk:
        raise Http404
    if not can_withdraw_removal(request.user, removal):
        messages.info(request, _("Dit verzoek is al afgehandeld."))
        return redirect("privacy:mine")
    try:
        services.withdraw_removal(request=removal, by=request.user)
    except services.RemovalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Je verzoek om verwijdering is ingetrokken."))
    return redirect("privacy:mine")
