from django.db import migrations

# KK-2, KK-5, KK-7, KK-9: the values of the framework as published; the secretariat may add a
# row with a later effective year in the admin.
DEFAULTS = {
    "effective_year": 2020,
    "min_participants": 8,
    "min_meetings": 5,
    "subsidy_amount": "250.00",
    "staffel_method": "months_after_start",
    "hosting_interval_years": 2,
    "trial_meetings": 2,
    "reminder_days_before": 3,
}


def create_default_rules(apps, schema_editor):
    CircleRules = apps.get_model("kwaliteitskringen", "CircleRules")
    CircleRules.objects.get_or_create(effective_year=DEFAULTS["effective_year"], defaults=DEFAULTS)


def delete_default_rules(apps, schema_editor):
    CircleRules = apps.get_model("kwaliteitskringen", "CircleRules")
    CircleRules.objects.filter(effective_year=DEFAULTS["effective_year"]).delete()


class Migration(migrations.Migration):
    dependencies = [("kwaliteitskringen", "0001_initial")]

    operations = [migrations.RunPython(create_default_rules, delete_default_rules)]
