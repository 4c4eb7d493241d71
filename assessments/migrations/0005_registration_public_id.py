"""The public key of a registration: its entry in the public register and the verification
address on its certificate. Existing rows get a key of their own before it becomes unique."""

import uuid

from django.db import migrations, models


def give_each_registration_a_key(apps, schema_editor):
    Registration = apps.get_model("assessments", "Registration")
    for registration in Registration.objects.filter(public_id__isnull=True).only("pk"):
        registration.public_id = uuid.uuid4()
        registration.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_registration_reminders"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="public_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="openbare sleutel"),
        ),
        migrations.RunPython(give_each_registration_a_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="registration",
            name="public_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="openbare sleutel"
            ),
        ),
    ]
