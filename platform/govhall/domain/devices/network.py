"""Where a terminal connects from, and whether its device record allows that address.

The address is the socket peer. ``X-Forwarded-For`` is read only when the peer is one of the proxies listed in
GOVHALL_TRUSTED_PROXIES (empty by default): then the hops are walked from the right, each trusted proxy naming
the one before it, and the first address that is not a trusted proxy is the client. Anything left of it was
written by the client and is never believed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from litestar.connection import ASGIConnection

from govhall.errors import AppError, field_error

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_NETWORKS = 32


def normalise_networks(values: Iterable[str], field: str = "allowedNetworks") -> list[str]:
    """``["10.1.2.3", "192.168.1.0/24 "]`` -> ``["10.1.2.3/32", "192.168.1.0/24"]``; bad entries are a 400."""
    out: list[str] = []
    for raw in values:
        text = (raw or "").strip()
        if not text:
            continue
        try:
            net = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise AppError("invalid_network", f"“{text[:50]}”不是有效的 IP 地址或网段（如 10.1.2.0/24）",
                           f"{text[:50]!r} is not an IP address or network (e.g. 10.1.2.0/24)",
                           fields=[field_error(field, "地址格式不正确", "Invalid address")]) from None
        if str(net) not in out:
            out.append(str(net))
    if len(out) > MAX_NETWORKS:
        raise AppError("too_many_networks", f"最多 {MAX_NETWORKS} 个地址段", f"At most {MAX_NETWORKS} networks",
                       fields=[field_error(field, "地址段过多", "Too many networks")])
    return out


def check_trusted_proxies(values: tuple[str, ...]) -> None:
    """At startup: a mistyped GOVHALL_TRUSTED_PROXIES stops the app instead of failing every terminal request."""
    try:
        _parse(tuple(values))
    except ValueError as exc:
        raise ValueError(f"GOVHALL_TRUSTED_PROXIES: {exc}") from None


@lru_cache(maxsize=8)
def _parse(networks: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(n.strip(), strict=False) for n in networks if n.strip())


def _ip(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _within(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:10.1.2.3 on a dual-stack socket is 10.1.2.3
    return any(address.version == n.version and address in n for n in networks)


def client_address(connection: ASGIConnection[Any, Any, Any, Any], trusted_proxies: tuple[str, ...]) -> str | None:
    """The terminal's address: the socket peer, or behind trusted proxies the client they name."""
    peer = connection.client.host if connection.client else None
    address = _ip(peer) if peer else None
    if address is None:
        return None
    trusted = _parse(tuple(trusted_proxies))
    if not trusted:
        return str(address)
    hops = [h for value in connection.headers.getall("x-forwarded-for", []) for h in value.split(",")]
    for hop in reversed(hops):
        if not _within(address, trusted):
            break
        named = _ip(hop)
        if named is None:
            break  # garbage from a proxy: the proxy itself stays the client (refused unless allowed)
        address = named
    return str(address)


def address_allowed(address: str | None, allowed_networks: list[str]) -> bool:
    """Empty list: any address (as before the allow-list existed). Otherwise the address must be inside one."""
    if not allowed_networks:
        return True
    ip = _ip(address) if address else None
    return ip is not None and _within(ip, _parse(tuple(allowed_networks)))


def home_network(address: str | None) -> list[str]:
    """The default allow-list of a new terminal: the registering admin's network (IPv4 /24, IPv6 /64), or
    ``[]`` (any address) when the admin's address is unknown. Editable on the devices page."""
    ip = _ip(address) if address else None
    if ip is None:
        return []
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 64
    return [str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))]
