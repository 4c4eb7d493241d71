"""The public register (AS-5): anyone checks whether a professional is registered, without
logging in. Plus the pages of a registration for its owner, the certification coordinator and the
secretariat (its certificate), and what a professional shows in the register.

The register lists current registrations only, with what :class:`PublicEntry` holds. It is
paginated and each client address may open a limited number of its pages per window
(``REGISTER_LIMIT_PER_ADDRESS`` per ``REGISTER_LIMIT_WINDOW``): checking a claim by hand never
comes near the limit, copying the whole register with a script takes as long as doing it by hand.
The pages ask search engines not to index them, so an expired registration drops off the web as
it drops off the register, and nobody finds a professional's place through a search engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.certificates import certificate_versions
from assessments.models import Registration
from assessments.permissions import can_edit_register_listing, can_view_registration
from assessments.register_forms import RegisterListingForm, RegisterSearchForm
from assessments.register_selectors import (
    PublicEntry,
    listed_registrations,
    own_registration,
    public_register_for_page,
    public_registration,
    registration_for,
    verification_url,
)
from assessments.register_services import (
    CertificateError,
    ListingError,
    queue_certificate,
    update_register_listing,
)
from noloc_portal.accounts.models import User
from noloc_portal.accounts.ratelimit import within_limit
from noloc_portal.lists import RowUrl, form_html, page_of

REGISTER_PAGE_SIZE = 20


def _throttled(request):
    """Count one page of the register for the client address; the 429 page once past the
    limit, else None."""
    window = settings.REGISTER_LIMIT_WINDOW
    if within_limit(
        f"register:address:{get_client_ip_address(request)}",
        limit=settings.REGISTER_LIMIT_PER_ADDRESS,
        window=window,
    ):
        return None
    minutes = max(int(window.total_seconds() // 60), 1)
    return render(request, "assessments/register/throttled.html", {"minutes": minutes}, status=429)


@dataclass(frozen=True)
class RegisterRow:
    entry: PublicEntry
    url: str


@require_http_methods(["GET", "HEAD"])
def search(request):
    """The public register: current registrations by name, searchable by name and place, with a
    filter by register."""
    throttled = _throttled(request)
    if throttled is not None:
        return throttled
    form = RegisterSearchForm(request.GET or None)
    registrations = public_register_for_page(as_of=timezone.localdate(), **form.filters())
    page = page_of(request, registrations, per_page=REGISTER_PAGE_SIZE)
    entry_url = RowUrl("register:entry", key=UUID)
    rows = [
        RegisterRow(entry=PublicEntry.of(registration), url=entry_url(registration.public_id))
        for registration in page
    ]
    return render(
        request,
        "assessments/register/search.html",
        {
            "form": form,
            "search": form_html("assessments/register/_search_form.html", form),
            "page": page,
            "rows": rows,
            "searched": form.searched,
        },
    )


@require_http_methods(["GET", "HEAD"])
def entry(request, public_id: UUID):
    """One entry of the public register (the address on a certificate). A registration that is
    not current, or not known at all, gives the same answer with a 404."""
    throttled = _throttled(request)
    if throttled is not None:
        return throttled
    registration = public_registration(public_id, as_of=timezone.localdate())
    if registration is None:
        return render(request, "assessments/register/not_found.html", status=404)
    return render(
        request, "assessments/register/entry.html", {"entry": PublicEntry.of(registration)}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def certificate(request, pk: int):
    """A registration and its certificate versions; POST makes a new version. For the owner, the
    certification coordinator and the secretariat; a 404 for everyone else."""
    try:
        registration = registration_for(pk)
    except Registration.DoesNotExist:
        raise Http404 from None
    if not can_view_registration(request.user, registration):
        raise Http404
    if request.method == "POST":
        try:
            queue_certificate(registration=registration, by=request.user)
        except CertificateError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Het certificaat wordt gemaakt; de link verschijnt hieronder.")
            )
        return redirect("register:certificate", registration.pk)
    row = own_registration(registration, as_of=timezone.localdate())
    return render(
        request,
        "assessments/register/certificate.html",
        {
            "row": row,
            "registration": registration,
            "is_owner": registration.owner_id == request.user.pk,
            "versions": certificate_versions(registration),
            "entry": PublicEntry.of(registration),
            "public_url": verification_url(registration) if row.current else "",
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def listing(request):
    """What the public register shows of the professional, with a preview of their entry. The
    button "Voorbeeld bekijken" shows the preview of what was typed without saving it."""
    if not can_edit_register_listing(request.user):
        raise Http404
    person = User.objects.get(pk=request.user.pk)  # the form may change it; request.user stays
    form = RegisterListingForm(request.POST or None, instance=person)
    place, show_place = None, None
    if request.method == "POST" and form.is_valid():
        place = form.cleaned_data["place"]
        show_place = form.cleaned_data["show_place_in_register"]
        if "voorbeeld" not in request.POST:
            try:
                update_register_listing(
                    user=request.user, by=request.user, place=place, show_place=show_place
                )
            except ListingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Opgeslagen: zo sta je in het openbare register."))
                return redirect("register:listing")
    previews = [
        {
            "entry": PublicEntry.of(row.registration, place=place, show_place=show_place),
            "upcoming": not row.current,
        }
        for row in listed_registrations(request.user, as_of=timezone.localdate())
    ]
    return render(
        request,
        "assessments/register/listing.html",
        {
            "form": form,
            "previews": previews,
            "previewing": request.method == "POST" and "voorbeeld" in request.POST,
            "has_name": bool(request.user.full_name),
        },
    )
