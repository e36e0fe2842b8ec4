"""One app process, run by ``test_processes`` in a subprocess beside another: does one thing and prints JSON.

``fail-logins USER N`` signs in wrongly N times; ``login USER PASSWORD`` prints the sign-in's status;
``cache-set KEY VALUE``, ``cache-get KEY`` and ``cache-delete KEY`` use the configured cache."""

from __future__ import annotations

import json
import sys

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

ADDRESS = "198.51.100.7"


def _login(username: str, password: str) -> int:
    client = Client(REMOTE_ADDR=ADDRESS)
    return client.post("/accounts/login/", {"username": username, "password": password}).status_code


def main(command: str, *args: str) -> object:
    if command == "fail-logins":
        return [_login(args[0], "not the password") for _ in range(int(args[1]))]
    if command == "login":
        return _login(args[0], args[1])
    if command == "cache-set":
        cache.set(args[0], args[1], 60)
        return "set"
    if command == "cache-get":
        return cache.get(args[0])
    if command == "cache-delete":
        cache.delete(args[0])
        return "deleted"
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))
