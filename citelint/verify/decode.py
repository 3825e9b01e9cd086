"""Response bodies read within the caps and the deadline: streamed raw, gzip/deflate decoded here
with ``max_length``, so a gzip bomb is stopped at the cap, not in memory."""
from __future__ import annotations

import time
import zlib
from collections.abc import Iterator
from typing import Any

import requests
import urllib3.exceptions

from citelint.verify.failures import Failure, from_exception, timed_out
from citelint.verify.model import Verdict
from citelint.verify.settings import FetchSettings

_CHUNK = 16_384


def content_type(response: requests.Response) -> tuple[str | None, str | None]:
    """Media type (lowercase) and charset from the Content-Type header."""
    header = response.headers.get("Content-Type")
    if not header:
        return None, None
    media, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'").lower()
    return media.strip().lower() or None, charset



def size_text(n: int) -> str:
    return f"{n / 1e6:g} MB" if n >= 1_000_000 else f"{n / 1e3:g} kB" if n >= 1000 else f"{n} bytes"


def read_body(response: requests.Response, wire_cap: int, cap: int, deadline: float, s: FetchSettings,
          truncate: bool = False) -> bytes | Failure:
    """Stream the raw body, decode it here and stop at either cap (or just stop, ``truncate``)."""
    try:
        inflater = _Inflater(response.headers.get("Content-Encoding", ""))
    except ValueError as exc:
        return b"" if truncate else Failure(Verdict.ERROR, str(exc), response.status_code)
    out = bytearray()
    wire = 0
    try:
        for chunk in response.raw.stream(_CHUNK, decode_content=False):
            wire += len(chunk)
            for piece in inflater.decode(chunk, cap - len(out) + 1):
                out += piece
            if truncate and (wire >= wire_cap or len(out) >= cap):
                return bytes(out[:cap])
            if wire > wire_cap:
                return Failure(Verdict.ERROR, f"page larger than {size_text(wire_cap)}", response.status_code)
            if len(out) > cap:
                return Failure(Verdict.ERROR, f"page expands beyond {size_text(cap)}", response.status_code)
            if time.monotonic() > deadline:
                return timed_out(s.timeout)
    except zlib.error:
        return b"" if truncate else Failure(Verdict.ERROR, "page body is not valid gzip/deflate", response.status_code)
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
        return from_exception(exc, s)
    return bytes(out)


class _Inflater:
    """Bounded gzip/deflate decoding, in pieces of at most 1 MB, never more than asked for."""

    PIECE = 1 << 20

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding.strip().lower()
        if self.encoding in ("", "identity"):
            self._z: Any = None
        elif self.encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.encoding == "deflate":
            self._z = zlib.decompressobj()
        else:
            raise ValueError(f"unsupported content encoding '{self.encoding}'")
        self._started = False

    def decode(self, data: bytes, room: int) -> Iterator[bytes]:
        """The decoded pieces of ``data``, stopping once ``room`` bytes have come out."""
        if self._z is None:
            yield data
            return
        while data and room > 0:
            try:
                piece: bytes = self._z.decompress(data, min(room, self.PIECE))
            except zlib.error:
                if self.encoding != "deflate" or self._started:
                    raise
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send it
                continue
            self._started = True
            room -= len(piece)
            yield piece
            data = self._z.unconsumed_tail
            if self._z.eof and self._z.unused_data and self.encoding != "deflate":
                data = self._z.unused_data  # the next member of a multi-member gzip
                self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
