from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from noloc_portal.backup.services import BackupError, create_backup


class Command(BaseCommand):
    help = "Write the database and every stored file to a new folder (see README, Back-up)."

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, type=Path, help="a new or empty folder")

    def handle(self, *args, to: Path, **options):
        try:
            summary = create_backup(to=to)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Back-up in {to}: {summary.objects} objects, {summary.files} files "
            f"({summary.bytes} bytes)"
        )
