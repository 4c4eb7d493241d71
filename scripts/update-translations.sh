#!/usr/bin/env bash
# Rebuild locale/nl from the source texts. The source language is Dutch, so the catalogue maps
# every text to itself; it is made anew (no fuzzy matches against older texts).
set -euo pipefail
cd "$(dirname "$0")/.."
po=locale/nl/LC_MESSAGES/django.po
rm -f "$po"
.venv/bin/python manage.py makemessages -l nl --ignore=.venv --ignore=static --ignore=tests \
  --ignore=benchmarks --no-location
msgen --no-wrap "$po" -o "$po"
sed -i \
  -e '1,5d' \
  -e 's/^"Language: \\n"/"Language: nl\\n"/' \
  -e 's/^"Project-Id-Version: PACKAGE VERSION\\n"/"Project-Id-Version: noloc-portal\\n"/' \
  -e 's/charset=CHARSET/charset=UTF-8/' \
  -e 's/^"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"/"Plural-Forms: nplurals=2; plural=(n != 1);\\n"/' \
  "$po"
sed -i '1{/^#, fuzzy$/d}' "$po"
sed -i '1i # Dutch catalogue of the Noloc portal: the source texts are Dutch, so each maps to itself.\n# Rebuilt by `make translations` (scripts/update-translations.sh).' "$po"
.venv/bin/python manage.py compilemessages --ignore=.venv -v0
