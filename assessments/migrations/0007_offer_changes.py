"""The PE statements a Jobcoach portfolio offers its owner (``assessments.pe_statements``) in the
owners' offer revision (``portfolios.hooks.offers_revision``, the log ``offer_change`` of
portfolios migration 0012): a statement written, its PDF's job written, or the name of the
coordinator who issued it changed, notes the statement's assessor."""

from django.db import migrations

from noloc_portal.change_log import ChangeLog, note_operations

LOG = ChangeLog("offer_change", "owner_id")

OWNERS_OF = {
    "assessments_pestatement": "SELECT assessor_id FROM rows",
    # Whether its PDF is ready, and which file: the newest job of the statement.
    "pdf_renderjob": (
        "SELECT s.assessor_id FROM rows r JOIN assessments_pestatement s ON s.id = r.object_id"
        " WHERE r.kind = 'pe_statement'"
    ),
}

# The offer names who issued the statement (their name, else their e-mail address). Most
# updates of a user (a login) change neither, and end at the first query.
ISSUER = """
CREATE FUNCTION offer_note_issuer_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    renamed bigint[];
BEGIN
    SELECT array_agg(n.id) INTO renamed FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.full_name IS DISTINCT FROM o.full_name OR n.email IS DISTINCT FROM o.email;
    IF renamed IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO offer_change (owner_id)
    SELECT DISTINCT assessor_id FROM assessments_pestatement WHERE issued_by_id = ANY (renamed);
    RETURN NULL;
END $$;
CREATE TRIGGER offer_note_issuer_update AFTER UPDATE ON accounts_user
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION offer_note_issuer_update();
"""
DROP_ISSUER = (
    "DROP TRIGGER IF EXISTS offer_note_issuer_update ON accounts_user;"
    " DROP FUNCTION IF EXISTS offer_note_issuer_update();"
)


create, drop = note_operations(LOG, "offer_note", OWNERS_OF, more=((ISSUER, DROP_ISSUER),))


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0006_pe_statement"),
        ("portfolios", "0012_offer_changes"),
        ("pdf", "0002_render_job_lease"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
