"""A request that gave no usable response, as a short, actionable reason (never a traceback)."""
from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import requests
import urllib3.exceptions

from citelint.verify.addresses import PeerRefused, TLSNoAnswer
from citelint.verify.model import Page, Verdict
from citelint.verify.settings import FetchSettings


@dataclass
class Reply:
    """A response whose body has been read (within the caps) or left unread (body None)."""

    response: requests.Response
    body: bytes | None
    from_cache: bool = False


@dataclass(frozen=True)
class Failure:
    """A request that gave no usable response; ``retry`` when another try may help."""

    verdict: Verdict
    reason: str
    status: int | None = None
    retry: bool = False
    wait: float | None = None  # the server's Retry-After, in seconds
    refused: bool = False


def failed_page(key: str, failure: Failure, final_url: str | None = None) -> Page:
    return Page(key, failure.verdict, failure.reason, final_url=final_url, http_status=failure.status, refused=failure.refused)


def timed_out(timeout: float) -> Failure:
    return Failure(Verdict.BLOCKED, f"timed out after {timeout:g} s")


def from_exception(exc: BaseException, s: FetchSettings) -> Failure:
    """A failed request as a short, actionable reason; retried unless retrying cannot help."""
    refused = _cause(exc, PeerRefused)
    if refused is not None:
        return Failure(Verdict.ERROR, refused.refusal, refused=True)
    silent = _cause(exc, TLSNoAnswer)
    if silent is not None:
        return Failure(Verdict.ERROR, f"TLS error: {silent.why}")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return Failure(Verdict.BLOCKED, f"timed out: could not connect within {s.connect_timeout:g} s", retry=True)
    if isinstance(exc, (requests.exceptions.ReadTimeout, urllib3.exceptions.ReadTimeoutError, socket.timeout)):
        return Failure(Verdict.BLOCKED, f"timed out: no data for {s.read_timeout:g} s", retry=True)
    if isinstance(exc, requests.exceptions.SSLError) or _cause(exc, urllib3.exceptions.SSLError):
        return Failure(Verdict.ERROR, f"TLS error: {_innermost(exc)}")
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, urllib3.exceptions.LocationParseError)):
        return Failure(Verdict.ERROR, f"malformed URL: {exc}")
    return Failure(Verdict.ERROR, f"connection failed: {_innermost(exc)}", retry=True)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """An exception, its causes and the errors it wraps (urllib3 keeps them in .reason and args)."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        e = stack.pop(0)
        if id(e) not in seen:
            seen.add(id(e))
            yield e
            nested = [getattr(e, "reason", None), e.__cause__, e.__context__, *e.args]
            stack.extend(n for n in nested if isinstance(n, BaseException))


def _cause(exc: BaseException, kind: type[Any]) -> Any:
    """The first exception of ``kind`` among exc and its causes, or None."""
    return next((e for e in _causes(exc) if isinstance(e, kind)), None)


def _innermost(exc: BaseException) -> str:
    """The operating system's words for a failure ("connection refused"), else the message."""
    for e in _causes(exc):
        if isinstance(e, OSError) and e.strerror:
            return str(e.strerror).lower()
    text = str(exc)
    return text if len(text) < 160 else text[:157] + "…"
