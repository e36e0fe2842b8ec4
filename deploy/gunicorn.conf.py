"""Gunicorn settings for Coalition (``gunicorn -c deploy/gunicorn.conf.py``), each overridable by environment.

Sync workers, several per core: each request is short database work, so processes (not threads) give the
best use of the cores; a worker that hangs is replaced after ``timeout`` and every worker restarts after a
few thousand requests so no slow leak accumulates.
"""

import multiprocessing
import os

wsgi_app = "coalition.wsgi:application"
bind = os.environ.get("COALITION_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
# The proxy in front terminates TLS and sets X-Forwarded-Proto; trust it only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
access_log_format = '{"remote": "%(h)s", "request": "%(r)s", "status": %(s)s, "bytes": "%(b)s", "ms": %(M)s, "request_id": "%({x-request-id}o)s"}'
errorlog = "-"
# No control socket: its default path is shared by every gunicorn of a user, so a second server on the same
# machine (two app servers, a load test) could not start one.
control_socket_disable = True
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
