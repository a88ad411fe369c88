"""The client's real address behind trusted proxies.

The address a request comes from is its connection's peer. A proxy in front of stocktake (a TLS
terminator, a load balancer) makes every request come from the proxy, and names the client in
X-Forwarded-For, which anyone can also send. So the header is read only when the peer is one of
the trusted proxies (STOCKTAKE_TRUSTED_PROXIES), and from its right end: each trusted proxy
appends the address it was connected from, so the right-most address that is not a trusted proxy
is the client, and whatever stands left of it is what the client claimed. The per-address
sign-in limit, the audit log and the pages all see that address as `request.client.host`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

from stocktake.config import Network


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted(host: str, trusted: Sequence[Network]) -> bool:
    address = _address(host)
    return address is not None and any(address in network for network in trusted)


def client_of(peer: str, forwarded_for: Sequence[str], trusted: Sequence[Network]) -> str:
    """The client's address: the peer unless it is a trusted proxy, else the right-most address
    of the X-Forwarded-For chain (its headers in order) that is not a trusted proxy."""
    if not is_trusted(peer, trusted):
        return peer
    chain = [hop.strip() for header in forwarded_for for hop in header.split(",") if hop.strip()]
    for hop in reversed(chain):
        if not is_trusted(hop, trusted):
            address = _address(hop)
            return str(address) if address is not None else hop[:64]
    return chain[0] if chain else peer  # proxies all the way: the farthest one


class TrustedProxies:
    """Set the request's client (and its scheme, from X-Forwarded-Proto) from the forwarding
    headers when, and only when, the connection comes from a trusted proxy. The server itself
    is run without its own proxy-header handling, which would trust 127.0.0.1 and forget the
    peer (commands.py::server_options)."""

    def __init__(self, app: ASGIApp, *, trusted: Sequence[Network]) -> None:
        self.app, self.trusted = app, tuple(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] == "http" and client and self.trusted:
            peer = client[0]
            if is_trusted(peer, self.trusted):
                headers = scope["headers"]
                forwarded = [v.decode("latin-1") for k, v in headers if k == b"x-forwarded-for"]
                scope = dict(scope)
                scope["client"] = (client_of(peer, forwarded, self.trusted), 0)
                proto = next((v for k, v in headers if k == b"x-forwarded-proto"), b"")
                scheme = proto.decode("latin-1").split(",")[-1].strip().lower()
                if scheme in {"http", "https"}:
                    scope["scheme"] = scheme
        await self.app(scope, receive, send)
