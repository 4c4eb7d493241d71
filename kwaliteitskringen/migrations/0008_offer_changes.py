"""The circle meetings a Jobcoach portfolio offers its owner (KK-12, ``attended_meetings_of``)
in the owners' offer revision (``portfolios.hooks.offers_revision``, the log ``offer_change`` of
portfolios migration 0012): an attendance written notes its participant, a meeting written its
participants, a circle renamed the participants of its meetings."""

from django.db import migrations

from noloc_portal.change_log import ChangeLog, note_on_change, note_operations

LOG = ChangeLog("offer_change", "owner_id")

OWNERS_OF = {
    "kwaliteitskringen_attendance": "SELECT participant_id FROM rows",
    # Its date, form, facilitator and whether it was held. A meeting removed takes its
    # attendance with it, which notes the participants itself.
    "kwaliteitskringen_meeting": (
        "SELECT a.participant_id FROM kwaliteitskringen_attendance a"
        " WHERE a.meeting_id IN (SELECT id FROM rows)"
    ),
}

# The offer names the circle; its other columns do not show.
CIRCLE = note_on_change(
    LOG,
    "offer_note_circle_update",
    "kwaliteitskringen_circle",
    ("name",),
    "SELECT a.participant_id FROM kwaliteitskringen_meeting m"
    " JOIN kwaliteitskringen_attendance a ON a.meeting_id = m.id WHERE m.circle_id = ANY (changed)",
)


create, drop = note_operations(LOG, "offer_note", OWNERS_OF, more=(CIRCLE,))


class Migration(migrations.Migration):
    dependencies = [
        ("kwaliteitskringen", "0007_circle_changes"),
        ("portfolios", "0012_offer_changes"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
