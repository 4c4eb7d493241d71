from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from noloc_portal.backup.services import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a back-up made by `manage.py backup` into a migrated, empty database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="source", required=True, type=Path, help="the back-up folder"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="empty a database that already holds data first (everything in it is lost)",
        )

    def handle(self, *args, source: Path, replace: bool, **options):
        try:
            summary = restore_backup(source=source, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {source}: {summary.objects} objects, {summary.files} files "
            f"({summary.bytes} bytes)"
        )
