"""The security checklist (/work/shared/SECURITY-CHECKLIST.md) items the accounts app makes true, one test each."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, connections, transaction
from django.urls import reverse

from tests import factories

PROJECT_DIR = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("production_probe.py")
ONE_YEAR = 60 * 60 * 24 * 365
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings only")


def _production_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a production process: none of the test run's switches, notably not
    ``DJANGO_ALLOW_ASYNC_UNSAFE`` (set by the browser tests) or ``PYTEST_CURRENT_TEST``."""
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "COALITION_", "PYTEST_")) and k not in ("DATABASE_URL", "EMAIL_BACKEND")
    }
    return {
        **inherited,
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "coalition.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "coalition.example.org",
        "COALITION_VAR_DIR": str(tmp_path),
        "COALITION_LOG_LEVEL": "ERROR",
    }


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    result = _run([str(PROBE)], tmp_path_factory.mktemp("production"))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- 1. Deployment check ----------------------------------------------------------------------------


def test_deploy_check_passes_with_production_settings(tmp_path: Path) -> None:
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


# --- 2. Security headers ----------------------------------------------------------------------------


def test_production_sends_hsts_for_a_year_with_subdomains_on_every_route(production: dict) -> None:
    for path, headers in production["routes"].items():
        hsts = headers["Strict-Transport-Security"]
        max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
        assert max_age >= ONE_YEAR and "includeSubDomains" in hsts, path


def test_production_sends_nosniff_and_a_referrer_policy_on_every_route(production: dict) -> None:
    for path, headers in production["routes"].items():
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin", "no-referrer"), path


def test_production_csp_allows_self_only_forbids_framing_and_inline_scripts(production: dict) -> None:
    for path, headers in production["routes"].items():
        directives = dict(
            (part.strip().split(" ", 1) + [""])[:2]
            for part in headers["Content-Security-Policy"].split(";")
            if part.strip()
        )
        assert directives["default-src"] == "'self'", path
        assert directives["frame-ancestors"] == "'none'", path
        script_src = directives.get("script-src", directives["default-src"])
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, path


def test_production_redirects_plain_http_to_https(production: dict) -> None:
    assert production["plain_http"]["status"] == 301
    assert production["plain_http"]["location"].startswith("https://")


# --- 3. Cookies -------------------------------------------------------------------------------------


def test_production_session_cookie_is_host_prefixed_secure_httponly_lax(production: dict) -> None:
    assert production["login_status"] == 302
    cookie = production["cookies"]["__Host-sessionid"]
    assert cookie == {"secure": True, "httponly": True, "samesite": "Lax", "path": "/"}


def test_production_csrf_cookie_is_secure(production: dict) -> None:
    (cookie,) = [c for name, c in production["cookies"].items() if "csrf" in name]
    assert cookie["secure"] is True


# --- 7. Two-step sign-in (the flows: test_two_step.py) ------------------------------------------------


def test_production_requires_two_step_sign_in(production: dict) -> None:
    assert production["require_two_step"] is True


# --- 4. Password hashing ----------------------------------------------------------------------------


def test_new_user_password_hash_starts_with_argon2(db: Any, production: dict) -> None:
    assert factories.make_user("fresh").password.startswith("argon2")
    assert production["hash"] == "argon2"


# --- 5. Password rules ------------------------------------------------------------------------------


def test_password_shorter_than_12_characters_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least 12"):
        validate_password("tangerinebo")


def test_common_password_is_refused() -> None:
    with pytest.raises(ValidationError, match="too common"):
        validate_password("password1234")


def test_password_needs_no_digits_capitals_or_symbols() -> None:
    validate_password("tangerinebox")


def test_64_character_password_is_accepted_and_works(db: Any) -> None:
    password = "a long passphrase about rivers and bridges and quiet morning tea"
    assert len(password) == 64
    validate_password(password)
    user = factories.make_user("longpass")
    user.set_password(password)
    assert user.check_password(password)


# --- 6. Lockout -------------------------------------------------------------------------------------


def _login(client: Any, username: str, password: str, address: str) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failed_logins_lock_that_username_and_address_only(world: Any, client: Any) -> None:
    for _ in range(5):
        _login(client, "member", "wrong password here", "203.0.113.5")
    locked = _login(client, "member", factories.PASSWORD, "203.0.113.5")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert _login(client, "hub", factories.PASSWORD, "203.0.113.5").status_code == 302  # another user, same address
    client.logout()
    assert _login(client, "member", factories.PASSWORD, "198.51.100.7").status_code == 302  # same user, elsewhere
    assert client.session["_auth_user_id"] == str(world.member.pk)


# --- 8. Sessions ------------------------------------------------------------------------------------


def test_login_rotates_the_session_key(world: Any, client: Any) -> None:
    anonymous = client.session
    anonymous["seen"] = True
    anonymous.save()
    before = anonymous.session_key
    assert _login(client, "member", factories.PASSWORD, "192.0.2.1").status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_logout_deletes_the_server_session(world: Any, client: Any) -> None:
    _login(client, "member", factories.PASSWORD, "192.0.2.1")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()


# --- 19. SQLite -------------------------------------------------------------------------------------


@sqlite_only
def test_sqlite_reports_wal_immediate_transactions_and_a_busy_timeout(db: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5


@sqlite_only
def test_ten_sqlite_writer_threads_never_hit_database_is_locked(tmp_path: Path, django_db_blocker: Any) -> None:
    """Each writer reads then writes in one transaction: the pattern that fails on lock upgrade without
    IMMEDIATE transactions. The project's own connection settings are used, on a temporary file."""
    alias = "sqlite_writers"
    connections.settings[alias] = {**connections.settings["default"], "NAME": str(tmp_path / "writers.sqlite3")}
    errors: list[str] = []

    def write() -> None:
        try:
            for _ in range(20):
                with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                    cursor.execute("SELECT COALESCE(MAX(n), 0) FROM tally")
                    cursor.execute("INSERT INTO tally (n) VALUES (%s)", [cursor.fetchone()[0] + 1])
        except OperationalError as error:
            errors.append(str(error))
        finally:
            connections[alias].close()

    try:
        with django_db_blocker.unblock():
            with connections[alias].cursor() as cursor:
                cursor.execute("CREATE TABLE tally (id INTEGER PRIMARY KEY, n INTEGER NOT NULL UNIQUE)")
            threads = [threading.Thread(target=write) for _ in range(10)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT COUNT(*), MAX(n) FROM tally")
                assert cursor.fetchone() == (200, 200)
    finally:
        connections[alias].close()
        del connections.settings[alias]
    assert errors == []


# --- Password reset ---------------------------------------------------------------------------------


def test_password_reset_emails_a_working_link(world: Any, client: Any, mailoutbox: list) -> None:
    client.post(reverse("accounts:password_reset"), {"email": "member@example.org"})
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["member@example.org"]
    link = re.search(r"https?://testserver(/\S+)", mailoutbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and b"new_password1" in form.content
    new_password = "a fresh spring morning walk"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password_reset_complete")
    assert get_user_model().objects.get(username="member").check_password(new_password)
    assert client.get(link, follow=True).context["validlink"] is False  # the link works once
