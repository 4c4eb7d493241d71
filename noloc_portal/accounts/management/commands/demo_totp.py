import math
import os
import time
from base64 import b32decode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from noloc_portal.accounts.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current login code of the demo accounts (seed_demo's authenticator key)."

    def handle(self, *args, **options):
        # Under override_settings (a live-server test) SETTINGS_MODULE is None: ask the environment.
        module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
        if module.endswith(".production"):
            raise CommandError("demo_totp refuses to run with production settings.")
        totp = TOTP(b32decode(DEMO_TOTP_SECRET))
        now = time.time()
        totp.time = now
        valid = math.ceil(totp.step - (now - totp.t0) % totp.step)
        self.stdout.write(f"{totp.token():06d}  (nog {valid} s geldig)")
