"""State changes around a registration (AS-5) after it was made: its certificate, and what the
public register shows of its professional. The registration itself is made by
services.record_decision or by the secretariat in the admin."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Registration
from assessments.permissions import can_edit_register_listing, can_view_registration
from assessments.register_selectors import CERTIFICATE
from noloc_portal.accounts.models import User
from noloc_portal.audit.services import record_security_event
from noloc_portal.pdf.models import RenderJob
from noloc_portal.pdf.services import queue_report


class CertificateError(Exception):
    """A certificate refused; the message is Dutch."""


class ListingError(Exception):
    """A change of the register listing refused; the message is Dutch."""


def queue_certificate(*, registration: Registration, by: User | None) -> RenderJob:
    """Queue a new version of the registration's certificate; it is published to the worker
    after commit, and the versions made before stay downloadable (a certificate made again after
    a change of name shows the new name). By the owner, the certification coordinator or the
    secretariat, or by the system (``by=None``). A version still queued or rendering is returned
    instead of a second one (a double click renders once)."""
    if by is not None and not can_view_registration(by, registration):
        raise CertificateError(_("Je kunt van deze registratie geen certificaat laten maken."))
    return queue_report(kind=CERTIFICATE, target=registration, by=by)


def update_register_listing(*, user: User, by: User, place: str, show_place: bool) -> User:
    """Set the place of ``user`` and whether the public register shows it. Only the professional
    decides this for themselves; the choice is written to the security log (a consent to publish
    the place, or its withdrawal)."""
    if by.pk != user.pk or not can_edit_register_listing(by):
        raise ListingError(_("Alleen de professional zelf kiest wat het register van hen toont."))
    place = " ".join(place.split())
    if show_place and not place:
        raise ListingError(_("Vul een plaats in, of kies ervoor die niet te tonen."))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        changed = locked.place != place or locked.show_place_in_register != show_place
        locked.place = place
        locked.show_place_in_register = show_place
        locked.save(update_fields=["place", "show_place_in_register"])
        if changed:
            record_security_event(
                action="register.listing_changed",
                actor=by,
                target=locked,
                show_place=show_place,
            )
    user.place, user.show_place_in_register = place, show_place
    return locked
