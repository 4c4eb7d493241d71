"""The zip of everything the portal holds about one person (AVG: access and portability).

Layout (README.txt in the zip explains it in Dutch)::

    README.txt
    account.json                 name, e-mail, membership number, place, roles, removal requests
    inloggeschiedenis.json       logins, logouts and failed logins
    beveiligingslog.json         other security-log lines by the person or about their account
    documenten.json              every file they uploaded (name, type, size, checksum)
    portfolios/overzicht.json    their portfolios: state, submissions, history
    portfolios/portfolio-<n>.zip each portfolio as a noloc-portfolio/1 bundle (exchange.md)
    beoordeling.json             rounds, advice and decision on their portfolios
    registraties.json            their registrations and the decisions behind them
    assessorwerk.json            declarations, judgements, advice, notes and decisions they wrote
    kwaliteitskringen.json       memberships, attendance, hosting, applications, annual reports
    kwaliteitskringen/cv/...     the CVs sent with circle applications

The zip is written to a temporary file on disk and every file in it is copied in chunks: a
person with many portfolios full of evidence never costs the worker more memory than one chunk.
Each portfolio bundle is written by the exchange export (:func:`write_bundle`) into a temporary
file, then copied into the outer zip.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from noloc_portal.accounts.models import User
from noloc_portal.documents.models import Document
from noloc_portal.privacy import selectors
from portfolios.evaluation.common import DocumentError
from portfolios.exchange.storage import write_bundle
from portfolios.models import Portfolio

_CHUNK = 64 * 1024


def _json(data: Any) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


def _copy_document(archive: zipfile.ZipFile, name: str, document: Document) -> None:
    with document.file.open("rb") as source, archive.open(name, "w", force_zip64=True) as target:
        shutil.copyfileobj(source, target, _CHUNK)


def write_data_export(user: User, target: IO[bytes]) -> None:
    """Write the zip of everything about ``user`` to the seekable binary file ``target``."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        readme = render_to_string("privacy/export_readme.txt", {"user": user})
        archive.writestr("README.txt", readme)
        archive.writestr("account.json", _json(selectors.account_record(user)))
        archive.writestr("inloggeschiedenis.json", _json(selectors.login_history(user)))
        archive.writestr("beveiligingslog.json", _json(selectors.security_events(user)))
        archive.writestr("documenten.json", _json(selectors.documents(user)))
        archive.writestr("portfolios/overzicht.json", _json(selectors.portfolio_overview(user)))
        for portfolio in Portfolio.objects.filter(owner=user).order_by("pk"):
            with tempfile.TemporaryFile() as bundle:
                try:
                    write_bundle(portfolio, bundle)
                except DocumentError:
                    # A framework without an exchange format yet (as the bundle download says).
                    archive.writestr(
                        f"portfolios/portfolio-{portfolio.pk}.txt",
                        _(
                            "Dit soort portfolio kan nog niet als bundel worden gedownload; "
                            "portfolios/overzicht.json beschrijft het.\n"
                        ),
                    )
                    continue
                bundle.seek(0)
                # Stored as it is: a zip does not compress a second time.
                info = zipfile.ZipInfo(f"portfolios/portfolio-{portfolio.pk}.zip")
                with archive.open(info, "w", force_zip64=True) as member:
                    shutil.copyfileobj(bundle, member, _CHUNK)
        archive.writestr("beoordeling.json", _json(selectors.assessment_of_portfolios(user)))
        archive.writestr("registraties.json", _json(selectors.registrations(user)))
        archive.writestr("assessorwerk.json", _json(selectors.assessor_work(user)))
        archive.writestr("kwaliteitskringen.json", _json(selectors.circle_records(user)))
        for name, document in selectors.application_cvs(user):
            _copy_document(archive, name, document)
