"""Run by ``test_security`` in a subprocess with ``DJANGO_ENV=production``: prints, as JSON, the headers and
cookies that production responses carry. Production settings are chosen at import, hence the subprocess."""

from __future__ import annotations

import json

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

HOST = "coalition.example.org"
PASSWORD = "a production probe passphrase"
ROUTES = ("/accounts/login/", "/accounts/invite/not-a-token/", "/healthz", "/no-such-page/")


def main() -> None:
    # The hashed static manifest is built by collectstatic at deploy time; headers and cookies do not depend on it.
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("probe", password=PASSWORD)
    client = Client(HTTP_HOST=HOST)
    routes = {path: dict(client.get(path, secure=True).headers) for path in ROUTES}
    plain = client.get(ROUTES[0])
    signed_in = client.post(ROUTES[0], {"username": "probe", "password": PASSWORD}, secure=True)
    cookies = {
        name: {
            "secure": bool(m["secure"]),
            "httponly": bool(m["httponly"]),
            "samesite": m["samesite"],
            "path": m["path"],
        }
        for name, m in client.cookies.items()
    }
    report = {
        "routes": routes,
        "plain_http": {"status": plain.status_code, "location": plain.headers.get("Location", "")},
        "login_status": signed_in.status_code,
        "cookies": cookies,
        "hash": user.password.split("$", 1)[0],
        "require_two_step": settings.REQUIRE_TWO_STEP,
    }
    print(json.dumps(report))


main()
