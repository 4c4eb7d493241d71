"""Each circle's revision, kept by PostgreSQL: a log of the circles every write touched.

A trigger on each table the circle's remembered figures read (``kwaliteitskringen.revisions``)
notes, once per statement, the circles whose rows it wrote: ``kk_circle_change`` gains a row per
circle. Rows are only ever added (and pruned nightly), so a write takes no lock another writer
waits for. On SQLite nothing is kept and nothing is remembered."""

from django.db import migrations

# How each table reaches its circle from the rows a statement wrote (``rows``).
CIRCLES_OF = {
    # A circle's name shows on the pages of the circles it holds joint meetings with.
    "kwaliteitskringen_circle": (
        "SELECT id FROM rows UNION SELECT m.joint_with_id FROM kwaliteitskringen_meeting m"
        " WHERE m.circle_id IN (SELECT id FROM rows)"
    ),
    "kwaliteitskringen_membership": "SELECT circle_id FROM rows",
    "kwaliteitskringen_contribution": "SELECT circle_id FROM rows",
    "kwaliteitskringen_signaldismissal": "SELECT circle_id FROM rows",
    "kwaliteitskringen_meeting": (
        "SELECT circle_id FROM rows UNION SELECT joint_with_id FROM rows"
    ),
    "kwaliteitskringen_attendance": (
        "SELECT m.circle_id FROM rows r JOIN kwaliteitskringen_meeting m ON m.id = r.meeting_id"
    ),
    "kwaliteitskringen_meetingregistration": (
        "SELECT m.circle_id FROM rows r JOIN kwaliteitskringen_meeting m ON m.id = r.meeting_id"
    ),
    "kwaliteitskringen_renewalround": "SELECT circle_id FROM rows",
    "kwaliteitskringen_programme": "SELECT circle_id FROM rows",
    "kwaliteitskringen_programmeitem": (
        "SELECT p.circle_id FROM rows r"
        " JOIN kwaliteitskringen_programme p ON p.id = r.programme_id"
    ),
    "kwaliteitskringen_subgroup": "SELECT circle_id FROM rows",
    "kwaliteitskringen_subgroupmembership": (
        "SELECT g.circle_id FROM rows r JOIN kwaliteitskringen_subgroup g ON g.id = r.subgroup_id"
    ),
}

# A user's name or e-mail address as their circles show it: members, officers, hosts and note
# takers, who recorded a contribution, set a signal aside, drafted, agreed or proposed for a
# programme, or leads or joined a subgroup. Most updates of a user (a login)
# change neither, and end at the first query.
USER_FUNCTION = """
CREATE FUNCTION kk_note_user_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    renamed bigint[];
BEGIN
    SELECT array_agg(n.id) INTO renamed FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.full_name IS DISTINCT FROM o.full_name OR n.email IS DISTINCT FROM o.email;
    IF renamed IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO kk_circle_change (circle_id)
    SELECT DISTINCT circle_id FROM (
        SELECT circle_id FROM kwaliteitskringen_membership WHERE member_id = ANY (renamed)
        UNION SELECT id FROM kwaliteitskringen_circle
            WHERE coordinator_id = ANY (renamed) OR secretary_id = ANY (renamed)
            OR treasurer_id = ANY (renamed)
        UNION SELECT circle_id FROM kwaliteitskringen_signaldismissal
            WHERE dismissed_by_id = ANY (renamed)
        UNION SELECT circle_id FROM kwaliteitskringen_contribution
            WHERE participant_id = ANY (renamed) OR recorded_by_id = ANY (renamed)
        UNION SELECT circle_id FROM kwaliteitskringen_meeting
            WHERE host_id = ANY (renamed) OR note_taker_id = ANY (renamed)
        UNION SELECT joint_with_id FROM kwaliteitskringen_meeting
            WHERE host_id = ANY (renamed) OR note_taker_id = ANY (renamed)
        UNION SELECT circle_id FROM kwaliteitskringen_programme
            WHERE drafted_by_id = ANY (renamed) OR agreed_by_id = ANY (renamed)
        UNION SELECT p.circle_id FROM kwaliteitskringen_programmeitem i
            JOIN kwaliteitskringen_programme p ON p.id = i.programme_id
            WHERE i.host_id = ANY (renamed) OR i.proposed_by_id = ANY (renamed)
        UNION SELECT circle_id FROM kwaliteitskringen_subgroup
            WHERE convener_id = ANY (renamed) OR created_by_id = ANY (renamed)
        UNION SELECT g.circle_id FROM kwaliteitskringen_subgroupmembership s
            JOIN kwaliteitskringen_subgroup g ON g.id = s.subgroup_id
            WHERE s.member_id = ANY (renamed)
    ) AS touched (circle_id)
    WHERE circle_id IS NOT NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER kk_note_user_update AFTER UPDATE ON accounts_user
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kk_note_user_update();
"""
USER_DROP = (
    "DROP TRIGGER IF EXISTS kk_note_user_update ON accounts_user;"
    " DROP FUNCTION IF EXISTS kk_note_user_update();"
)

LOG = """
CREATE TABLE kk_circle_change (
    id bigserial PRIMARY KEY,
    circle_id integer NOT NULL
);
CREATE INDEX kk_circle_change_circle ON kk_circle_change (circle_id, id);
"""


def _note(name: str, table: str, event: str, circles: str, referencing: str) -> str:
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO kk_circle_change (circle_id)
    SELECT DISTINCT circle_id FROM ({circles}) AS touched (circle_id)
    WHERE circle_id IS NOT NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER {name} AFTER {event} ON {table}
    REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""


def _statements() -> list[tuple[str, str]]:
    """(create, drop) per trigger."""
    made = []
    for table, circles in CIRCLES_OF.items():
        short = table.removeprefix("kwaliteitskringen_")
        for event, referencing, rows in (
            ("INSERT", "NEW TABLE AS rows", circles),
            ("DELETE", "OLD TABLE AS rows", circles),
            (
                "UPDATE",
                "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                f"{circles.replace('rows', 'new_rows')} UNION "
                f"{circles.replace('rows', 'old_rows')}",
            ),
        ):
            name = f"kk_note_{short}_{event.lower()}"
            drop_sql = f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();"
            made.append((_note(name, table, event, rows, referencing), drop_sql))
    made.append((USER_FUNCTION, USER_DROP))
    return made


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(LOG)
    for create_sql, _drop in _statements():
        schema_editor.execute(create_sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _create, drop_sql in reversed(_statements()):
        schema_editor.execute(drop_sql)
    schema_editor.execute("DROP TABLE IF EXISTS kk_circle_change")


class Migration(migrations.Migration):
    dependencies = [
        ("kwaliteitskringen", "0006_attendance_marks_index"),
        ("accounts", "0003_register_place_and_membership_check"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
