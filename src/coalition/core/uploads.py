"""Keeping an uploaded file between an import's preview and its confirmation.

The bytes go to a server-named file under ``VAR_DIR/pending-uploads/`` (a random token, never a name or
path from the client); the session remembers which token belongs to which import, with the file's
SHA-256 so a changed file is refused. Files older than a day are swept away on the next upload.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext as _

from coalition.core.tabular import TableError

MAX_AGE_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _directory() -> Path:
    path = Path(settings.VAR_DIR) / "pending-uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _session_key(key: str) -> str:
    return f"pending_upload:{key}"


def read_upload(upload: UploadedFile | None, *, extensions: tuple[str, ...], max_bytes: int) -> bytes:
    """The bytes of an uploaded file, refusing a missing file, another extension or an oversized one."""
    if upload is None:
        raise TableError(_("Choose a file to upload."))
    name = (upload.name or "").lower()
    if not name.endswith(extensions):
        raise TableError(_("Only %(types)s files can be uploaded.") % {"types": ", ".join(extensions)})
    if upload.size is not None and upload.size > max_bytes:
        raise TableError(_("The file is larger than %(mb)s MB.") % {"mb": max(1, max_bytes >> 20)})
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TableError(_("The file is larger than %(mb)s MB.") % {"mb": max(1, max_bytes >> 20)})
    return data


def stash(request: HttpRequest, key: str, data: bytes, filename: str) -> str:
    """Store ``data`` for the import named ``key`` (replacing any earlier one); returns its token."""
    discard(request, key)
    _sweep()
    token = secrets.token_hex(16)
    (_directory() / f"{token}.upload").write_bytes(data)
    request.session[_session_key(key)] = {
        "token": token,
        "filename": Path(filename).name[:100],
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    return token


def pending(request: HttpRequest, key: str) -> dict[str, Any] | None:
    entry = request.session.get(_session_key(key))
    return entry if isinstance(entry, dict) and _TOKEN.match(str(entry.get("token", ""))) else None


def load(request: HttpRequest, key: str, token: str) -> bytes | None:
    """The stashed bytes if ``token`` is the one this session holds for ``key`` and the file is intact."""
    entry = pending(request, key)
    if entry is None or not secrets.compare_digest(entry["token"], str(token)):
        return None
    path = _directory() / f"{entry['token']}.upload"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        return None
    return data


def discard(request: HttpRequest, key: str) -> None:
    entry = pending(request, key)
    request.session.pop(_session_key(key), None)
    if entry is not None:
        (_directory() / f"{entry['token']}.upload").unlink(missing_ok=True)


def _sweep() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in _directory().glob("*.upload"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except FileNotFoundError:
            continue
