"""The token of an unsubscribe link: the user and the kind of mail it stops, and until when it
holds, signed with the installation's secret (HMAC-SHA256), so that it works without signing in
and cannot be forged or altered. A refused token says nothing of whom it named."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

LIFETIME = dt.timedelta(days=90)
PURPOSE = b"stocktake-unsubscribe:"
MAX_TOKEN = 300


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    kind: str


def _signature(secret: str, payload: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), PURPOSE + payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def sign(secret: str, user_id: int, kind: str, *, now: dt.datetime) -> str:
    expires = int((now + LIFETIME).timestamp())
    payload = f"{user_id}:{kind}:{expires}".encode("ascii")
    encoded = base64.urlsafe_b64encode(payload).decode("ascii").rstrip("=")
    return f"{encoded}.{_signature(secret, payload)}"


def verify(secret: str, token: str, *, now: dt.datetime) -> Unsubscribe | None:
    """What a token names, or None when it is malformed, forged or expired."""
    if len(token) > MAX_TOKEN or token.count(".") != 1:
        return None
    encoded, signature = token.split(".")
    try:
        payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError):
        return None
    if not hmac.compare_digest(_signature(secret, payload), signature):
        return None
    try:
        user, kind, expires = payload.decode("ascii").split(":")
        if int(expires) < now.timestamp():
            return None
        return Unsubscribe(int(user), kind)
    except ValueError:
        return None
