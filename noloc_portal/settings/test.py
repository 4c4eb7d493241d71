"""Test settings: the database follows DATABASE_URL (PostgreSQL in `make test`), files go to a
temporary folder, passwords hash fast, e-mail stays in memory."""

import tempfile

from noloc_portal.settings.base import *  # noqa: F403
from noloc_portal.settings.base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A worker started by an integration test shares the folder through MEDIA_ROOT.
MEDIA_ROOT = env("MEDIA_ROOT", default=None) or tempfile.mkdtemp(prefix="noloc-test-media-")
AXES_ENABLED = False
# Nothing is counted for the API throttles and the password-reset limits either; the tests of
# those switch a real cache on (tests/foundation/test_login_security.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A PDF renders in the request that queued it, so a test reads it right after; the thread beside
# the request (the embedded default) has a test of its own (tests/foundation/test_render_jobs.py).
RENDER_BESIDE_REQUEST = False
# Every call of a prepared query (noloc_portal/prepared.py) is compared with what the ORM
# compiles from the same values, so each test that reaches one checks it.
PREPARED_QUERIES_VERIFY = True
