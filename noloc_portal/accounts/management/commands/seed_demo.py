import importlib
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from noloc_portal.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_accounts

# Apps that add demo data of their own through a ``demo.seed(users)`` function, in this order.
DEMO_MODULES = ("portfolios.demo", "assessments.demo", "kwaliteitskringen.demo")


class Command(BaseCommand):
    help = "Create the demo accounts (one per role) and demo data. Safe to run again."

    def handle(self, *args, **options):
        # Under override_settings (a live-server test) SETTINGS_MODULE is None: ask the environment.
        module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
        if module.endswith(".production"):
            raise CommandError("seed_demo refuses to run with production settings.")
        with transaction.atomic():
            users = seed_accounts()
            for module_name in DEMO_MODULES:
                try:
                    module = importlib.import_module(module_name)
                except ModuleNotFoundError as error:
                    if error.name != module_name:
                        raise
                    continue
                module.seed(users)
        self.stdout.write(f"Demo-accounts (wachtwoord voor allemaal: {DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.email:<28} {account.full_name}")
        self.stdout.write(
            "Assessoren, coördinatoren, regiovoorzitters en beheer loggen ook in met een code: "
            "`python manage.py demo_totp` toont die."
        )
