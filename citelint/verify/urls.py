"""Cited URLs as the fetcher requests them: checked, normalised, keyed."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests

from citelint.verify.failures import Failure
from citelint.verify.keys import fetch_key, host_of
from citelint.verify.model import Verdict

__all__ = ["check_url", "fetch_key", "fix_latin1", "host_of"]

_HOSTNAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?")


def check_url(url: str, base: str | None = None) -> str | Failure:
    """The URL to request (credentials and fragment dropped), or why it cannot be requested.

    ``base`` is the URL whose redirect this is (``url`` is then its Location, maybe relative).
    """
    hop = "redirected to a " if base else ""
    try:
        parts = urlsplit(urljoin(base, url) if base else url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            if not scheme:
                return Failure(Verdict.ERROR, f"{hop}malformed URL: no scheme (http:// or https://)")
            return Failure(Verdict.ERROR, f"{'redirected to an ' if base else ''}unsupported scheme '{scheme}:'")
        host = parts.hostname
        port = parts.port
        if not host:
            return Failure(Verdict.ERROR, f"{hop}malformed URL: no host")
        netloc = (f"[{host}]" if ":" in host else host) + (f":{port}" if port is not None else "")
        prepared = requests.Request("GET", urlunsplit((scheme, netloc, parts.path, parts.query, ""))).prepare().url
    except (ValueError, UnicodeError, requests.RequestException) as exc:
        return Failure(Verdict.ERROR, f"{hop}malformed URL: {exc}")
    if not prepared or not (":" in host or _HOSTNAME.fullmatch(host_of(prepared))):
        return Failure(Verdict.ERROR, f"{hop}malformed URL: invalid host name {host!r}")
    return prepared


def fix_latin1(location: str) -> str:
    """http.client decodes headers as Latin-1; most servers meant UTF-8 (as requests assumes)."""
    try:
        return location.encode("latin1").decode("utf8")
    except UnicodeError:
        return location
