"""The PE statements a Jobcoach portfolio offers its owner (``assessments.pe_statements``) in the
owners' offer revision (``portfolios.hooks.offers_revision``, the log ``offer_change`` of
portfolios migration 0012): a statement written, its PDF's job written, or the name of the
coordinator who issued it changed, notes the statement's assessor."""

from django.db import migrations

from noloc_portal.change_log import ChangeLog, note_on_change, note_operations

LOG = ChangeLog("offer_change", "owner_id")

OWNERS_OF = {
    "assessments_pestatement": "SELECT assessor_id FROM rows",
    # Whether its PDF is ready, and which file: the newest job of the statement.
    "pdf_renderjob": (
        "SELECT s.assessor_id FROM rows r JOIN assessments_pestatement s ON s.id = r.object_id"
        " WHERE r.kind = 'pe_statement'"
    ),
}

# The offer names who issued the statement (their name, else their e-mail address).
ISSUER = note_on_change(
    LOG,
    "offer_note_issuer_update",
    "accounts_user",
    ("full_name", "email"),
    "SELECT assessor_id FROM assessments_pestatement WHERE issued_by_id = ANY (changed)",
)


create, drop = note_operations(LOG, "offer_note", OWNERS_OF, more=(ISSUER,))


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0006_pe_statement"),
        ("portfolios", "0012_offer_changes"),
        ("pdf", "0002_render_job_lease"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
