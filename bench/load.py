"""Load test (security checklist 21): Locust, headless, against two gunicorn app servers on loopback.

Sets up what production at small scale looks like on this one machine: a PostgreSQL primary with a streaming
replica (``scripts/replica.sh``, ports 5433/5434), Redis on 6379 (database 14), the demo data in a database it
creates (``coalition_load``), and two gunicorn servers (``deploy/gunicorn.conf.py``) sharing them, with
``LOAD_WORKERS`` processes between them (5 by default, as the checklist's 2-vCPU machine). Then, in this
process:

1. a static-file baseline: ``LOAD_USERS`` users fetch one static file for ``LOAD_STATIC_SECONDS``;
2. the load: ``LOAD_USERS`` users (50), spread over both servers, each signed in as a demo hub, facilitator or
   member, for ``LOAD_SECONDS`` (300) with a realistic mix: overview, dashboard, data-entry page, stakeholder
   search, network rounds, scorecard export, and, for hubs, adding a stakeholder (the write).

``LOAD_SCALE`` gives ``seed_scale`` options for scale data seeded beside the demo (default 25 coalitions × 200
members × 5 years: 900,000 values, network rounds and meetings; the full size, ``--coalitions 500``, seeds at
about 7 s a coalition on a busy shared 2-core machine, so about an hour, once: see below;
``LOAD_SCALE=`` skips it). A database seeded completely by an earlier run with the same ``LOAD_SCALE`` is
reused (its PostgreSQL comment records the scale and the demo logins; only migrations run); ``LOAD_RESEED=1``
seeds afresh. Every request is bounded in time (10 s) and the run stops by itself; only 127.0.0.1 is contacted. Prints
``name: value unit`` lines: requests, errors (goal 0), p50/p95 for reads (goal p95 < 500 ms) and writes
(goal p95 < 1000 ms), throughput, the static baseline's throughput and the ratio between the two.

Usage: .venv/bin/python bench/load.py   (LOAD_SECONDS=30 for a quick trial)
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import itertools  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import gevent  # noqa: E402
from locust import HttpUser, between, task  # noqa: E402
from locust.env import Environment  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "300"))
STATIC_SECONDS = int(os.environ.get("LOAD_STATIC_SECONDS", "30"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "5"))
# people arriving per second: 50 signing in within five seconds queued the password hashing (argon2, a
# deliberate CPU cost) on a shared 2-core machine past the 10 s bound; one a second ramps up in 50 s
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "1"))
# seed_scale's options ("" skips the scale data); a database seeded with the same options is reused
SCALE = os.environ.get("LOAD_SCALE", "--coalitions 25 --members 200 --years 5")
PORTS = (8311, 8312)
DATABASE = "coalition_load"
PRIMARY = "postgres://postgres@127.0.0.1:5433"
REPLICA = "postgres://postgres@127.0.0.1:5434"
STATIC_FILE = "/static/core/app.css"
TIMEOUT = 10

SERVERS = [f"http://127.0.0.1:{port}" for port in PORTS]
_next_server = itertools.cycle(SERVERS)
_next_login: Any = None
times: dict[str, list[float]] = {"read": [], "write": [], "static": []}
errors: dict[str, int] = {"read": 0, "write": 0, "static": 0}
error_kinds: dict[str, int] = {}


def server_env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_ENV": "development",
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "coalition.settings",
        "DATABASE_URL": f"{PRIMARY}/{DATABASE}",
        "DATABASE_REPLICA_URL": f"{REPLICA}/{DATABASE}",
        "REDIS_URL": "redis://127.0.0.1:6379/14",
        "COALITION_VAR_DIR": tempfile.mkdtemp(prefix="coalition-load-"),
        "COALITION_LOG_LEVEL": "ERROR",
        "COALITION_TASKS": "immediate",
    }


def prepare(env: dict[str, str]) -> list[tuple[str, str, str]]:
    """Starts the database pair and returns the demo logins: from the database of an earlier run seeded with
    the same ``LOAD_SCALE`` (its comment records the scale and the logins) unless ``LOAD_RESEED=1``, else
    after seeding the demo and the scale data into a fresh one."""
    subprocess.run(["bash", str(ROOT / "scripts/replica.sh")], check=True)
    psql = ["psql", "-q", "-At", "-h", "127.0.0.1", "-p", "5433", "-U", "postgres", "-d", "postgres", "-c"]
    manage = [str(BIN / "python"), str(ROOT / "manage.py")]
    marker = f"seed_scale {SCALE}".strip()
    if os.environ.get("LOAD_RESEED", "") != "1":
        found = subprocess.run(
            [*psql, f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{DATABASE}'"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        if found.startswith(f"{marker}\n"):  # seeded completely by an earlier run: bring its schema up to date
            subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, env=env, cwd=ROOT)
            subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], check=True, env=env, cwd=ROOT)
            print(f"load_scale_data: reused {DATABASE} ({marker})", flush=True)
            return logins(found)
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {DATABASE}"], check=True)
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, env=env, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], check=True, env=env, cwd=ROOT)
    seeded = subprocess.run([*manage, "seed_demo"], check=True, env=env, cwd=ROOT, capture_output=True, text=True)
    if SCALE:  # scale data beside the demo: the tables the pages read grow to the size of a network
        began = time.perf_counter()
        scaled = subprocess.run(
            [*manage, "seed_scale", *SCALE.split()], check=True, env=env, cwd=ROOT, capture_output=True, text=True
        )
        print(f"load_scale_data: {scaled.stdout.strip()} ({time.perf_counter() - began:.0f} s)", flush=True)
    # Only now, all seeded, is the database marked for reuse: the scale, then the login lines.
    comment = "\n".join([marker, *re.findall(r"^login: .*$", seeded.stdout, re.MULTILINE)]).replace("'", "''")
    subprocess.run([*psql, f"COMMENT ON DATABASE {DATABASE} IS '{comment}'"], check=True)
    return logins(seeded.stdout)


def logins(text: str) -> list[tuple[str, str, str]]:
    return re.findall(r"^login: (\S+) / (\S+) \((\w+)\)$", text, re.MULTILINE)


def start_servers(env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    shares = [WORKERS - WORKERS // 2, WORKERS // 2 or 1]
    servers = [
        subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"), "--access-logfile", "/dev/null"],
            env={**env, "COALITION_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(share)},
            cwd=ROOT,
        )
        for port, share in zip(PORTS, shares, strict=True)
    ]
    deadline = time.monotonic() + int(os.environ.get("LOAD_HEALTH_SECONDS", "300"))  # a busy machine boots slowly
    for base in SERVERS:
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5) as answer:  # noqa: S310 - loopback only
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{base} did not become healthy")
            time.sleep(0.5)
    return servers


def record(request_type: str, name: str, response_time: float, exception: Any, **_: Any) -> None:
    kind = name.split(":", 1)[0]
    times[kind].append(response_time)
    if exception is not None:
        errors[kind] += 1
        what = f"{name}: {type(exception).__name__} {str(exception)[:80]}"
        error_kinds[what] = error_kinds.get(what, 0) + 1


def csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


class StaticUser(HttpUser):
    host = SERVERS[0]
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.base_url = next(_next_server)

    @task
    def static_file(self) -> None:
        self.client.get(STATIC_FILE, name="static:file", timeout=TIMEOUT)


class CoalitionUser(HttpUser):
    """A person using the coalition: reads most of the time; hubs sometimes add a stakeholder."""

    host = SERVERS[0]
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.base_url = next(_next_server)
        username, password, self.role = next(_next_login)
        found = None
        for _attempt in range(3):  # a failed sign-in counts as an error; the person then tries again
            form = self.client.get("/accounts/login/", name="read:login form", timeout=TIMEOUT)
            signed_in = self.client.post(
                "/accounts/login/",
                {"username": username, "password": password, "csrfmiddlewaretoken": csrf(form.text)},
                name="write:sign in",
                timeout=TIMEOUT,
            )
            found = re.search(r"/c/(\d+)/", signed_in.text)
            if found:
                break
        self.c = f"/c/{found.group(1) if found else 0}"

    def read(self, path: str, name: str) -> None:
        self.client.get(f"{self.c}{path}", name=f"read:{name}", timeout=TIMEOUT)

    @task(3)
    def overview(self) -> None:
        self.read("/", "overview")

    @task(3)
    def dashboard(self) -> None:
        self.read("/measurement/", "dashboard")

    @task(1)
    def data_entry(self) -> None:
        self.read("/measurement/entry/", "data entry")

    @task(2)
    def stakeholder_search(self) -> None:
        self.read(f"/stakeholders/?q={uuid.uuid4().hex[:1]}", "stakeholder search")

    @task(1)
    def network(self) -> None:
        self.read("/network/", "network rounds")

    @task(1)
    def export(self) -> None:
        self.read("/measurement/export/scorecard/?format=csv", "scorecard export")

    @task(1)
    def add_stakeholder(self) -> None:
        if self.role != "hub":
            return
        form = self.client.get(f"{self.c}/stakeholders/new/", name="read:stakeholder form", timeout=TIMEOUT)
        self.client.post(
            f"{self.c}/stakeholders/new/",
            {
                "csrfmiddlewaretoken": csrf(form.text),
                "name": f"Load test organisation {uuid.uuid4().hex[:12]}",
                "kind": "organisation",
                "sector": "civil_society",
                "level": "local",
                "power": "3",
                "interest": "3",
                "engagement": "identified",
            },
            name="write:add stakeholder",
            timeout=TIMEOUT,
        )


def run(user_class: type[HttpUser], seconds: int) -> None:
    env = Environment(user_classes=[user_class], events=None)
    env.events.request.add_listener(record)
    runner = env.create_local_runner()
    runner.start(USERS, spawn_rate=SPAWN_RATE)
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()


def quantile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else float("nan")


def main() -> None:
    global _next_login
    env = server_env()
    logins = prepare(env)
    _next_login = itertools.cycle(logins)
    servers = start_servers(env)
    try:
        run(StaticUser, STATIC_SECONDS)
        run(CoalitionUser, SECONDS)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
    total = len(times["read"]) + len(times["write"])
    rate = total / SECONDS
    static_rate = len(times["static"]) / STATIC_SECONDS
    print(f"load_users: {USERS} users")
    print(f"load_seconds: {SECONDS} s")
    print(f"load_app_workers: {WORKERS} processes")
    print(f"load_requests: {total} requests")
    print(f"load_errors: {errors['read'] + errors['write']} errors")
    for kind in ("read", "write"):
        print(f"load_{kind}_p50: {quantile(times[kind], 50):.0f} ms")
        print(f"load_{kind}_p95: {quantile(times[kind], 95):.0f} ms")
    print(f"load_throughput: {rate:.1f} requests/s")
    print(f"load_static_throughput: {static_rate:.1f} requests/s")
    print(f"load_static_p95: {quantile(times['static'], 95):.0f} ms")
    print(f"load_static_errors: {errors['static']} errors")
    for what, count in sorted(error_kinds.items()):
        print(f"  {count} x {what}", file=sys.stderr)
    print(f"load_throughput_vs_static: {rate / static_rate if static_rate else float('nan'):.2f} x")


if __name__ == "__main__":
    main()
