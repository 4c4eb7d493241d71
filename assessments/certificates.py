"""AS-5: the certificate of a registration, rendered by the pdf app as a new version each time.

One A4 page: the professional's name, the register, the period and the address of the entry in
the public register (also as a QR code), where anyone can check that the registration is still
in force. Built from the same public entry the register shows, so the two never disagree.
"""

from __future__ import annotations

from base64 import b64encode

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Registration
from assessments.permissions import can_view_registration
from assessments.register_selectors import CERTIFICATE, PublicEntry, verification_url
from noloc_portal.pdf.models import RenderJob
from noloc_portal.pdf.registry import Report, register_report
from noloc_portal.pdf.services import latest_reports


def _qr_code(url: str) -> str:
    """The address as an SVG data URI for an ``<img>`` (no markup of ours in the page)."""
    # Imported when a certificate is made, not when every process starts (27 ms).
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=0)
    return "data:image/svg+xml;base64," + b64encode(image.to_string()).decode()


@register_report(CERTIFICATE, can_view=can_view_registration)
def build_certificate(registration: Registration) -> Report:
    registration = Registration.objects.select_related("owner").get(pk=registration.pk)
    # The name and register as the register shows them; the place is no part of a certificate.
    entry = PublicEntry.of(registration, show_place=False)
    url = verification_url(registration)
    title = _("Certificaat %(register)s – %(name)s") % {
        "register": entry.register,
        "name": entry.name or registration.owner.email,
    }
    return Report(
        template="assessments/pdf/certificate.html",
        context={
            "title": title,
            "entry": entry,
            "name": entry.name or registration.owner.email,
            "verification_url": url,
            "qr_code": _qr_code(url),
            "generated_at": timezone.now(),
        },
        title=title,
    )


def certificate_versions(registration: Registration) -> list[RenderJob]:
    """Every version of the registration's certificate, newest first."""
    return list(latest_reports(registration, CERTIFICATE))
