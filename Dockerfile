FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY noloc_portal noloc_portal
COPY portfolios portfolios
COPY assessments assessments
COPY kwaliteitskringen kwaliteitskringen
RUN pip install --no-cache-dir .
COPY . .
RUN python manage.py compilemessages --ignore=.venv -v0
# The portal's bytecode, compiled once here: at run time the user cannot write __pycache__ in /app,
# so every process (web workers, the Celery worker, each manage.py command) would compile all
# of the portal's modules again when it starts.
RUN python -m compileall -q noloc_portal portfolios assessments kwaliteitskringen manage.py
RUN useradd --create-home noloc && mkdir -p /data/media && chown noloc /data/media
USER noloc
EXPOSE 8000
