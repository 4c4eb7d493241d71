"""The start pages of the roles (domain.md §5), in the order the navigation shows them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from noloc_portal.accounts.models import Role
from noloc_portal.remembered_tags import remembered_reverse


@dataclass(frozen=True)
class StartPage:
    role: str
    label: str
    description: str
    url_name: str

    @property
    def url(self) -> str:
        return remembered_reverse(self.url_name)


START_PAGES = (
    StartPage(
        Role.PROFESSIONAL,
        _("Mijn portfolio's"),
        _("Stel je portfolio samen, houd je PE-punten bij en dien in."),
        "portfolios:list",
    ),
    StartPage(
        Role.ASSESSOR,
        _("Toegewezen beoordelingen"),
        _("Portfolio's die aan jou zijn toegewezen om te beoordelen."),
        "assessments:assigned",
    ),
    StartPage(
        Role.CERTIFICATION_COORDINATOR,
        _("Certificering"),
        _("Ingediende portfolio's, toewijzing van assessoren en besluiten."),
        "assessments:certification",
    ),
    StartPage(
        Role.CIRCLE_COORDINATOR,
        _("Mijn kwaliteitskring"),
        _("Leden, bijeenkomsten, jaarverslag en subsidie van je kring."),
        "kwaliteitskringen:mine",
    ),
    StartPage(
        Role.REGIONAL_CHAIR,
        _("Mijn regio"),
        _("De kwaliteitskringen van je regio: signalen, jaarverslagen en subsidie."),
        "kwaliteitskringen:region",
    ),
)


def start_pages_for(user) -> list[StartPage]:
    if not user.is_authenticated:
        return []
    return [page for page in START_PAGES if user.has_role(page.role)]


def reader_start_page(pages: list[StartPage]) -> StartPage | None:
    """Where someone reading another person's portfolio came from (the assessor's or the
    coordinator's list): the first start page that is not the professional's own list."""
    return next((page for page in pages if page.role != Role.PROFESSIONAL), None)
