"""Who is asking: the client's address, read through the reverse proxies this site trusts.

Behind the documented reverse proxy every request comes from the proxy's address; the proxy
puts the real client in ``X-Forwarded-For``. Only a proxy named in PAPERFEED_TRUSTED_PROXIES
is believed, and the client is the right-most address in the header that is not itself a
trusted proxy (entries to its left could have been written by the client).
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _trusted(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """The address of the client behind any trusted proxies; REMOTE_ADDR when there are none."""
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    if not _is_trusted(remote):
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "") or "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop):
            return hop if _valid(hop) else remote
    return remote


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True
