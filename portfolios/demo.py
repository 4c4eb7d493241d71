"""Demo portfolios for `manage.py seed_demo`: each framework package seeds its own (its
``demo.seed`` is named in the registry); this module holds what they share."""

from __future__ import annotations

import functools

from noloc_portal.documents.services import store_bytes
from noloc_portal.pdf.rendering import render_statement
from portfolios import registry


@functools.cache
def _sample_pdf(title: str, owner_name: str, name: str) -> bytes:
    # The submitted and the draft portfolio hold the same files: each is rendered once.
    return render_statement(title=title, rows=[("Professional", owner_name), ("Bestand", name)])


def sample_pdf(owner, name: str, text: str):
    """A stored one-page PDF named ``name`` of ``owner``, titled ``text``."""
    data = _sample_pdf(text, owner.full_name, name)
    return store_bytes(data=data, name=name, content_type="application/pdf", owner=owner)


def seed(users: dict) -> None:
    for framework in registry.frameworks():
        if framework.demo is not None:
            framework.demo(users)
