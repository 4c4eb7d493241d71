"""Read queries of the registrations (AS-5) that the public register, the professional's start
page and the certificate share (style.md §1). Each list costs the same number of queries for any
number of rows (style.md §5).

What the public sees of a registration is a :class:`PublicEntry`, built here and nowhere else:
the name, the register, the period and the place only when the professional chose to show it.
A page or PDF given a ``PublicEntry`` cannot show more of the person (no e-mail address, no
membership number) by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.urls import reverse

from assessments.models import Registration
from noloc_portal.pdf.models import RenderJob
from noloc_portal.prepared import Pageable, PreparedQuery
from portfolios import registry

# The render kind of a registration's certificate (built by assessments.certificates).
CERTIFICATE = "registration_certificate"


def register_choices() -> list[tuple[str, str]]:
    """The registers of the registered frameworks as ``(code, Dutch label)``, each once (an
    initial and a recertification framework of one register share it)."""
    labels: dict[str, str] = {}
    for framework in registry.frameworks():
        if framework.register_code:
            labels.setdefault(framework.register_code, str(framework.register_label))
    return sorted(labels.items(), key=lambda item: item[1])


def register_label(code: str) -> str:
    """The Dutch name of a register (``jobcoach`` -> "Register Jobcoach"); the code itself for a
    register no framework names any more."""
    return dict(register_choices()).get(code, code)


def current_registrations(*, as_of: date) -> QuerySet[Registration]:
    """Registrations in force on ``as_of`` (started, not yet ended) of a person with a name: the
    public register lists these, and only these. A registration whose owner has no name is left
    out rather than shown under their e-mail address."""
    return Registration.objects.filter(valid_from__lte=as_of, valid_until__gte=as_of).exclude(
        owner__full_name=""
    )


def public_register(
    *, as_of: date, name: str = "", place: str = "", register: str = ""
) -> QuerySet[Registration]:
    """The public register on ``as_of``, by name: each part of ``name`` must occur in the
    person's name, ``place`` in their place, and a place only matches when they show it."""
    queryset = current_registrations(as_of=as_of).select_related("owner")
    for part in name.split():
        queryset = queryset.filter(owner__full_name__icontains=part)
    if place.strip():
        queryset = queryset.filter(
            owner__show_place_in_register=True, owner__place__icontains=place.strip()
        )
    if register:
        queryset = queryset.filter(register=register)
    return queryset.order_by("owner__full_name", "register", "pk")


# The register as most visits see it, whole or of one register, compiled once per process; a
# search by name or place has SQL of its own for every number of words.
_PUBLIC_REGISTER = PreparedQuery(lambda as_of: public_register(as_of=as_of), as_of=date)
_PUBLIC_REGISTER_OF = PreparedQuery(
    lambda as_of, register: public_register(as_of=as_of, register=register),
    as_of=date,
    register=str,
)


def public_register_for_page(
    *, as_of: date, name: str = "", place: str = "", register: str = ""
) -> Pageable | QuerySet[Registration]:
    """:func:`public_register` for a paginator."""
    if name.split() or place.strip():
        return public_register(as_of=as_of, name=name, place=place, register=register)
    if register:
        return _PUBLIC_REGISTER_OF.pageable(as_of=as_of, register=register)
    return _PUBLIC_REGISTER.pageable(as_of=as_of)


def public_registration(public_id: UUID, *, as_of: date) -> Registration | None:
    """The current registration behind an entry of the public register, else None (unknown,
    expired or not yet started: the register knows no more than that)."""
    return (
        current_registrations(as_of=as_of)
        .select_related("owner")
        .filter(public_id=public_id)
        .first()
    )


def verification_url(registration: Registration) -> str:
    """The absolute address of the registration's entry in the public register, as printed on
    its certificate."""
    return settings.SITE_URL.rstrip("/") + reverse("register:entry", args=[registration.public_id])


@dataclass(frozen=True)
class PublicEntry:
    """What the public register shows of one registration."""

    public_id: UUID
    name: str
    register: str
    valid_from: date
    valid_until: date
    place: str

    @classmethod
    def of(
        cls,
        registration: Registration,
        *,
        place: str | None = None,
        show_place: bool | None = None,
    ) -> PublicEntry:
        """The entry of ``registration``; ``place`` and ``show_place`` preview a choice the
        owner has not saved yet."""
        owner = registration.owner
        place = owner.place if place is None else place
        show_place = owner.show_place_in_register if show_place is None else show_place
        return cls(
            public_id=registration.public_id,
            name=owner.full_name,
            register=register_label(registration.register),
            valid_from=registration.valid_from,
            valid_until=registration.valid_until,
            place=place.strip() if show_place else "",
        )


# --- the professional's own registrations ---------------------------------------------------


@dataclass(frozen=True)
class OwnRegistration:
    """A registration as its owner (or the secretariat) reads it, with its latest certificate."""

    registration: Registration
    register: str
    status: str  # "current", "future" or "past"
    certificate: RenderJob | None

    @property
    def current(self) -> bool:
        return self.status == "current"


def _status(registration: Registration, as_of: date) -> str:
    if registration.valid_from > as_of:
        return "future"
    if registration.valid_until < as_of:
        return "past"
    return "current"


def latest_certificates(registrations: list[Registration]) -> dict[int, RenderJob]:
    """The newest certificate version of each registration, in one query."""
    if not registrations:
        return {}
    jobs = RenderJob.objects.filter(
        kind=CERTIFICATE,
        content_type=ContentType.objects.get_for_model(Registration),
        object_id__in=[registration.pk for registration in registrations],
    ).only(*_CERTIFICATE_FIELDS)
    return _newest_per_registration(jobs)


_CERTIFICATE_FIELDS = ("pk", "object_id", "version", "state", "page_count")


def _newest_per_registration(jobs) -> dict[int, RenderJob]:
    latest: dict[int, RenderJob] = {}
    for job in jobs:
        if job.object_id not in latest or job.version > latest[job.object_id].version:
            latest[job.object_id] = job
    return latest


# The certificates of every registration of an owner, for the start page (as
# latest_certificates, with a fixed shape: compiled once per process).
_CERTIFICATES_OF = PreparedQuery(
    lambda owner, content_type: RenderJob.objects.filter(
        kind=CERTIFICATE,
        content_type_id=content_type,
        object_id__in=Registration.objects.filter(owner=owner).values("pk"),
    ).only(*_CERTIFICATE_FIELDS),
    owner=int,
    content_type=int,
)


# Every start page asks this: compiled once per process (noloc_portal.prepared).
_REGISTRATIONS_OF = PreparedQuery(
    lambda owner: (
        Registration.objects.filter(owner=owner)
        .select_related("owner")
        .order_by("-valid_until", "-pk")
    ),
    owner=int,
)


def own_registrations(
    user, *, as_of: date, registrations: list[Registration] | None = None
) -> list[OwnRegistration]:
    """Every registration of ``user``: current and coming ones first, then the past ones, each
    newest first, with its latest certificate. Two queries for any number; one when the
    registrations are given (``recertification_selectors.start_page_registrations``, newest
    first)."""
    if registrations is None:
        registrations = _REGISTRATIONS_OF(owner=user.pk)
    certificates = {}
    if registrations:
        content_type = ContentType.objects.get_for_model(Registration).pk
        certificates = _newest_per_registration(
            _CERTIFICATES_OF(owner=user.pk, content_type=content_type)
        )
    rows = [
        OwnRegistration(
            registration=registration,
            register=register_label(registration.register),
            status=_status(registration, as_of),
            certificate=certificates.get(registration.pk),
        )
        for registration in registrations
    ]
    order = {"current": 0, "future": 1, "past": 2}
    return sorted(rows, key=lambda row: order[row.status])


def listed_registrations(user, *, as_of: date) -> list[OwnRegistration]:
    """The registrations of ``user`` the public register shows now or will show (current and
    coming ones, earliest first), without their certificates: what the owner's preview shows."""
    registrations = (
        Registration.objects.filter(owner=user, valid_until__gte=as_of)
        .select_related("owner")
        .order_by("valid_from", "pk")
    )
    return [
        OwnRegistration(
            registration=registration,
            register=register_label(registration.register),
            status=_status(registration, as_of),
            certificate=None,
        )
        for registration in registrations
    ]


def own_registration(registration: Registration, *, as_of: date) -> OwnRegistration:
    return OwnRegistration(
        registration=registration,
        register=register_label(registration.register),
        status=_status(registration, as_of),
        certificate=latest_certificates([registration]).get(registration.pk),
    )


def registration_for(pk: int) -> Registration:
    """A registration with its owner; raises Registration.DoesNotExist."""
    return Registration.objects.select_related("owner").get(pk=pk)
