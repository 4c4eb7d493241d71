"""The regions a circle, a founding request, an interest and a regional chair name.

A circle's region is free text (the admin and the split form type it); these are the choices the
public forms offer: the twelve provinces, plus any region a circle already uses, so that interest
in "Utrecht" meets the circles of "Utrecht". Regions compare case-insensitively.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

PROVINCES = (
    "Drenthe",
    "Flevoland",
    "Friesland",
    "Gelderland",
    "Groningen",
    "Limburg",
    "Noord-Brabant",
    "Noord-Holland",
    "Overijssel",
    "Utrecht",
    "Zeeland",
    "Zuid-Holland",
)


def region_choices(used: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """The provinces and the regions ``used`` by circles (read from the circles when not
    given: a page that lists every circle already has them)."""
    from kwaliteitskringen.models import Circle

    if used is None:
        used = Circle.objects.values_list("region", flat=True).distinct()
    names = {name.casefold(): name for name in used if name.strip()}
    names.update({name.casefold(): name for name in PROVINCES})
    return [(name, name) for name in sorted(names.values(), key=str.casefold)]


def in_regions(regions, field: str = "region") -> Q:
    """A filter for rows whose ``field`` is one of ``regions`` (case-insensitive)."""
    condition = Q(pk__in=[])
    for region in regions:
        condition |= Q(**{f"{field}__iexact": region})
    return condition
