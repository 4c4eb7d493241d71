"""Read queries about registrations running out and their recertification (AS-5): the owner's
reminders, the start page's prompt, the coordinator's list and the hooks a recertification
portfolio reads (its recertification date, the previous development advice)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Exists, OuterRef, Prefetch, QuerySet, Subquery, Value, When

from assessments.models import DecisionOutcome, Registration, RegistrationReminder
from noloc_portal.prepared import Pageable, PreparedQuery
from portfolios import registry
from portfolios.models import Portfolio, PortfolioState

# The stages of a recertification portfolio that count: one being prepared, one being assessed.
# A decided portfolio made the registration (or was refused); a withdrawn one is gone.
PREPARING = (PortfolioState.DRAFT,)
ASSESSING = (
    PortfolioState.SUBMITTED,
    PortfolioState.IN_ASSESSMENT,
    PortfolioState.SUPPLEMENT_REQUESTED,
    PortfolioState.ADVISED,
)
ACTIVE = (*PREPARING, *ASSESSING)

# The horizons the coordinator's list offers, in months; the reminders go out at the same marks.
HORIZONS = (3, 6, 12)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (later for a negative ``months``); a day the month does
    not have becomes its last day (31 August minus six months is 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def recertification_frameworks(register: str) -> list[registry.Framework]:
    """The frameworks whose portfolio recertifies a registration in ``register``."""
    return [
        framework
        for framework in registry.frameworks()
        if framework.recertification and framework.register_code == register
    ]


def current_registrations() -> QuerySet[Registration]:
    """Registrations nobody has renewed: no registration follows them, and the owner holds no
    registration in the same register that ends later (one entered by the secretariat without
    naming its predecessor)."""
    later = Registration.objects.filter(
        owner=OuterRef("owner"),
        register=OuterRef("register"),
        valid_until__gt=OuterRef("valid_until"),
    )
    return Registration.objects.filter(next__isnull=True).exclude(Exists(later))


def current_registration(*, owner, register: str) -> Registration | None:
    """The owner's registration in ``register`` that a recertification renews: the one that ends
    last (as assessments.services.previous_registration takes it)."""
    return (
        Registration.objects.filter(owner=owner, register=register)
        .order_by("-valid_until", "-pk")
        .first()
    )


def registration_end(*, owner, register: str) -> date | None:
    """portfolios.hooks.registration_end: the end of the registration a new recertification
    portfolio renews."""
    registration = current_registration(owner=owner, register=register)
    return None if registration is None else registration.valid_until


def development_advice(*, portfolio: Portfolio) -> str:
    """portfolios.hooks.development_advice (AS-6): the development advice of the advice the
    portfolio's positive decision rests on."""
    decision = getattr(portfolio, "decision", None)
    if decision is None or decision.outcome != DecisionOutcome.POSITIVE:
        return ""
    return decision.advice.development_advice


def _recertification_portfolios(register: str, owner) -> QuerySet[Portfolio]:
    codes = [framework.code for framework in recertification_frameworks(register)]
    return Portfolio.objects.filter(owner=owner, framework__in=codes, state__in=ACTIVE).order_by(
        "-created_at", "-pk"
    )


def recertification_portfolio(registration: Registration) -> Portfolio | None:
    """The owner's recertification portfolio of the registration's register that is being
    prepared or assessed, the newest if there are several."""
    return _recertification_portfolios(registration.register, registration.owner_id).first()


def with_recertification(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate ``recertification_state`` and ``recertification_pk``: the owner's recertification
    portfolio (as :func:`recertification_portfolio`), one correlated subquery per column, so a
    list costs the same for any number of rows (style.md §5)."""
    registers = {
        framework.register_code
        for framework in registry.frameworks()
        if framework.recertification and framework.register_code
    }

    def column(field: str):
        return Case(
            *(
                When(
                    register=register,
                    then=Subquery(
                        _recertification_portfolios(register, OuterRef("owner")).values(field)[:1]
                    ),
                )
                for register in sorted(registers)
            ),
            default=Value(None),
        )

    return queryset.annotate(recertification_state=column("state"), recertification_pk=column("pk"))


def expiring_registrations(*, as_of: date, months: int) -> QuerySet[Registration]:
    """The current registrations that end from ``as_of`` up to ``months`` later, the soonest
    first, with their owner, the reminders sent and the recertification portfolio's state."""
    return _ending_between(since=as_of, until=months_before(as_of, -months))


def _ending_between(*, since: date, until: date) -> QuerySet[Registration]:
    return (
        with_recertification(
            current_registrations().filter(valid_until__gte=since, valid_until__lte=until)
        )
        .select_related("owner")
        .prefetch_related(
            Prefetch("reminders", queryset=RegistrationReminder.objects.order_by("-months"))
        )
        .order_by("valid_until", "pk")
    )


# The coordinator's list of registrations running out: compiled once per process.
_ENDING_BETWEEN = PreparedQuery(_ending_between, depends_on=registry.codes, since=date, until=date)


def expiring_for_page(*, as_of: date, months: int) -> Pageable:
    """:func:`expiring_registrations` for a paginator, counted and sliced in SQL compiled once."""
    return _ENDING_BETWEEN.pageable(since=as_of, until=months_before(as_of, -months))


@dataclass(frozen=True)
class RecertificationPrompt:
    registration: Registration
    register_label: str
    portfolio: Portfolio | None
    can_start: bool

    @property
    def assessing(self) -> bool:
        return self.portfolio is not None and self.portfolio.state in ASSESSING


def _registrations_of_owner(owner: int) -> QuerySet[Registration]:
    later = Registration.objects.filter(
        owner=OuterRef("owner"),
        register=OuterRef("register"),
        valid_until__gt=OuterRef("valid_until"),
    )
    renewed = Registration.objects.filter(previous=OuterRef("pk"))
    registrations = (
        Registration.objects.filter(owner=owner)
        .select_related("owner")
        # As current_registrations: nobody renewed it, and no later one in its register.
        .annotate(is_current=~Exists(renewed) & ~Exists(later))
    )
    return with_recertification(registrations).order_by("-valid_until", "-pk")


# Every start page asks this: compiled once per process (noloc_portal.prepared).
_REGISTRATIONS_OF_OWNER = PreparedQuery(
    _registrations_of_owner, depends_on=registry.codes, owner=int
)


def start_page_registrations(request) -> list[Registration]:
    """Every registration of the logged-in user, newest first, each with ``is_current`` and its
    recertification portfolio: read once per request for both parts of the start page that show
    them (the prompt to recertify and the table of registrations)."""
    registrations = getattr(request, "_start_page_registrations", None)
    if registrations is None:
        registrations = request._start_page_registrations = (
            _REGISTRATIONS_OF_OWNER(owner=request.user.pk) if request.user.is_authenticated else []
        )
    return registrations


def recertification_prompts(
    user, *, as_of: date, registrations: list[Registration] | None = None
) -> list[RecertificationPrompt]:
    """The start page's prompts: each of the user's current registrations that ends within
    twelve months, with the recertification portfolio in progress, if any. ``registrations``:
    the user's, from :func:`start_page_registrations`; read here when not given."""
    if not user.is_authenticated:
        return []
    if registrations is None:
        registrations = _REGISTRATIONS_OF_OWNER(owner=user.pk)
    until = months_before(as_of, -12)
    ending = sorted(
        (
            registration
            for registration in registrations
            if registration.is_current and as_of <= registration.valid_until <= until
        ),
        key=lambda registration: (registration.valid_until, registration.pk),
    )
    prompts = []
    for registration in ending:
        frameworks = recertification_frameworks(registration.register)
        portfolio = None
        if registration.recertification_pk is not None:
            portfolio = Portfolio(
                pk=registration.recertification_pk,
                state=registration.recertification_state,
                owner=user,
            )
        prompts.append(
            RecertificationPrompt(
                registration=registration,
                register_label=register_label(registration.register),
                portfolio=portfolio,
                can_start=bool(frameworks),
            )
        )
    return prompts


def register_label(register: str) -> str:
    """The Dutch name of a register, from the framework that registers in it."""
    for framework in registry.frameworks():
        if framework.register_code == register:
            return str(framework.register_label)
    return register
