"""Production starts: the `web` command of docker-compose.yml (migrate, collectstatic into the
whitenoise manifest storage, gunicorn) runs here with production settings, and the login page and
its hashed static files come back from gunicorn."""

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
WEB = COMPOSE["services"]["web"]
# Behind the TLS-terminating proxy of production: SECURE_PROXY_SSL_HEADER trusts this header.
PROXIED = {"X-Forwarded-Proto": "https", "Host": "portaal.noloc.nl"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(tmp_path: Path) -> dict[str, str]:
    """The compose environment of `web`, with the database, files and static root in tmp_path."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "S3_BUCKET", "DEBUG", "STATIC_ROOT"}
    }
    env.update(
        {key: str(value) for key, value in WEB["environment"].items() if "${" not in str(value)}
    )
    env.update(
        SECRET_KEY="k3y-" + "q8Zr!x" * 10,
        ALLOWED_HOSTS="portaal.noloc.nl,127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}",
    )
    # Tasks run in-process here: no broker is needed to serve a login page.
    env.pop("REDIS_URL")
    return env


def get(url: str, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        # Generous: a gunicorn worker imports the portal on its first request, which takes
        # seconds on a busy machine.
        return urllib.request.urlopen(request, timeout=60)
    except urllib.error.HTTPError as error:
        return error


@pytest.fixture(scope="module")
def started(tmp_path_factory):
    """Runs the compose `web` command on a free local port; yields (base URL, port, env)."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = production_env(tmp_path)
    port = free_port()
    command = WEB["command"].replace("0.0.0.0:8000", f"127.0.0.1:{port}")
    assert str(port) in command, "the web command no longer binds 0.0.0.0:8000"
    log = (tmp_path / "web.log").open("w")
    web = subprocess.Popen(
        shlex.split(command),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    try:
        while True:
            if web.poll() is not None:
                pytest.fail(
                    f"web exited with {web.returncode}:\n{(tmp_path / 'web.log').read_text()}"
                )
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"gunicorn never listened:\n{(tmp_path / 'web.log').read_text()}")
                time.sleep(0.5)
        yield base, port, env
    finally:
        if web.poll() is None:
            os.killpg(web.pid, signal.SIGTERM)
            try:
                web.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(web.pid, signal.SIGKILL)
                web.wait()
        log.close()


@pytest.mark.integration
def test_compose_web_command_serves_the_login_page_and_hashed_static_files(started):
    gunicorn, _, _ = started
    response = get(f"{gunicorn}/accounts/login/", PROXIED)
    assert response.status == 200
    page = response.read().decode()
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "camera=()" in response.headers["Permissions-Policy"]

    # The manifest storage names every asset by its content; gunicorn (whitenoise) serves it.
    stylesheet = re.search(
        r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', page
    )
    assert stylesheet, "the login page links no hashed Bootstrap stylesheet"
    served = get(gunicorn + stylesheet.group(1), PROXIED)
    assert served.status == 200
    assert "immutable" in served.headers["Cache-Control"]
    css, source_map = served.read().decode().split("/*# sourceMappingURL=")
    original = (ROOT / "static/vendor/bootstrap/bootstrap.min.css").read_text()
    assert css == original.split("/*# sourceMappingURL=")[0]
    # The source map the stylesheet names (the file collectstatic used to miss) is served too.
    map_name = re.match(r"(bootstrap\.min\.css\.[0-9a-f]{12}\.map) \*/", source_map).group(1)
    assert get(f"{gunicorn}/static/vendor/bootstrap/{map_name}", PROXIED).status == 200
    script = re.search(r'src="(/static/js/portal\.[0-9a-f]{12}\.js)"', page)
    assert script, "the login page links no hashed portal script"
    assert get(gunicorn + script.group(1), PROXIED).status == 200


@pytest.mark.integration
def test_compose_healthcheck_passes_against_the_started_web(started):
    _, port, env = started
    command = WEB["healthcheck"]["test"]
    assert command[0] == "CMD"
    check = [part.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for part in command[1:]]
    assert check != command[1:], "the healthcheck no longer asks 127.0.0.1:8000"
    result = subprocess.run(check, cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
