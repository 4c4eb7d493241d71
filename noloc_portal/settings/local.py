"""Local development (the default for manage.py): SQLite, files on disk, eager Celery."""

from noloc_portal.settings.base import *  # noqa: F403
from noloc_portal.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
