"""Where a webhook may be sent: public addresses only, unless settings say otherwise.

A target is checked when the webhook is saved and again for every attempt, on every address
its host resolves to; the attempt then connects to the address that was checked, so a name
that resolves elsewhere a moment later (DNS rebinding) cannot lead it inside the network.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

# Checked in this order, the most telling name first: Python also counts loopback,
# link-local and reserved addresses as private.
KINDS = [
    ("is_unspecified", "an unspecified"),
    ("is_loopback", "a loopback"),
    ("is_link_local", "a link-local"),
    ("is_multicast", "a multicast"),
    ("is_reserved", "a reserved"),
    ("is_private", "a private"),
]


class Refused(Exception):
    """The target may not be used; the message says why."""


class Unreachable(Exception):
    """The target's host could not be looked up; trying again later may work."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked address to connect to


def kind_of(address):
    """What kind of non-public address `address` is ("a loopback"…), or None if public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for attribute, kind in KINDS:
        if getattr(ip, attribute):
            return kind
    return None if ip.is_global else "a non-public"


def refusal(host, address):
    """Why a webhook may not go to `address` (resolved from `host`), or None when it may."""
    kind = kind_of(address)
    if kind is None:
        return None
    where = address if host.strip("[]") == address else f"{host} resolves to {address}, which"
    return f"{where} is {kind} address; webhooks may only go to public addresses."


def parse(url):
    """(scheme, host, port, path) of a webhook address, or Refused saying what is wrong."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise Refused(f"The address {url!r} cannot be read: {error}.") from error
    if parts.scheme not in ("http", "https"):
        raise Refused("The address must start with https:// or http://.")
    if not parts.hostname:
        raise Refused("The address needs a host name, e.g. https://partner.example/hooks.")
    if parts.username or parts.password:
        raise Refused(
            "Put no user name or password in the address: receivers check the signature instead."
        )
    port = port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


def resolve(host, port):
    """Every address `host` resolves to, in the resolver's order."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Unreachable(f"Could not look up {host}: {error}.") from error
    return list(dict.fromkeys(info[4][0] for info in found))


def check(url):
    """The Target to connect to for `url`; Refused or Unreachable when there is none."""
    scheme, host, port, path = parse(url)
    addresses = resolve(host, port)
    if not settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS:
        for address in addresses:
            why = refusal(host, address)
            if why:
                raise Refused(why)
    return Target(scheme, host, port, path, addresses[0])
