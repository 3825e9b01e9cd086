"""The visible text of a fetched page, one line per block, plus its JSON-LD articleBody."""
from __future__ import annotations

import codecs
import html
import json
import re
from dataclasses import dataclass, field
from typing import Any


READ_SECONDS = 5.0  # time allowed for reading one page's text (PageTextError past it)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# WHATWG decodes these labels as windows-1252, which is what such pages really are.
_AS_CP1252 = frozenset({"iso8859-1", "ascii"})  # codecs.lookup() names
_META_SNIFF = 4096  # bytes searched for <meta charset>; WHATWG says 1024, real pages overrun it
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_TAG_LIKE = re.compile(r"<[a-zA-Z/!]")
_ENTITY_LIKE = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);")


class PageTextError(Exception):
    """A page whose text is not read: over the size or time allowed (the message says which)."""


@dataclass(frozen=True)
class PageText:
    """What can be searched for quotes on a fetched page."""

    text: str  # block-aware visible text: one line per block, whitespace collapsed
    title: str | None
    json_ld_body: str | None  # JSON-LD articleBody (NewsArticle, Article, @graph …), if any
    # ``text`` with its lines joined by spaces, when known (exact matches search it): made
    # with the lines, it need not be split and joined again for each page
    flat: str | None = field(default=None, compare=False, repr=False)


def page_text(body: bytes, content_type: str | None, charset: str | None, seconds: float = READ_SECONDS) -> PageText:
    """Decode ``body`` and extract its text; types other than HTML and plain text give ""."""
    media = (content_type or "").split(";")[0].strip().lower()
    if not media:
        media = "text/html" if _looks_like_html(body) else "text/plain"
    if media == "text/plain":
        lines = _line_list(_decode(body, charset, html=False))
        return PageText("\n".join(lines), None, None, " ".join(lines))
    if media not in _HTML_TYPES:
        return PageText("", None, None)
    return _html_page(_decode(body, charset, html=True), seconds)


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") or b"<html" in head or b"<p" in head


def _decode(body: bytes, charset: str | None, html: bool) -> str:
    """BOM, else the HTTP charset, else (HTML) <meta charset>, else UTF-8; never raises.

    A BOM wins over the HTTP header, as in browsers (WHATWG "decode"): a server's default
    charset is wrong far more often than a BOM the author saved. A declared charset that cannot
    decode the bytes is passed over.
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, errors="replace")
    declared = [(charset, False)] if charset else []
    if html:
        match = _META_CHARSET.search(body[:_META_SNIFF])
        if match:
            declared.append((match.group(1).decode("ascii"), True))
    for label, from_meta in declared:
        text = _strict(body, label, from_meta)
        if text is not None:
            return text
    return body.decode("utf-8", errors="replace")


def _strict(body: bytes, label: str, from_meta: bool) -> str | None:
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    if name in _AS_CP1252:
        name = "cp1252"
    elif from_meta and name.startswith(("utf-16", "utf-32")):
        name = "utf-8"  # a UTF-16 label in an ASCII-readable <meta> is a lie (WHATWG)
    try:
        return body.decode(name)
    except (UnicodeError, LookupError):  # LookupError: a codec that is not a text encoding
        return None


def _lines(text: str) -> str:
    """One line per non-blank line, whitespace inside each collapsed to single spaces."""
    return "\n".join(_line_list(text))


def _line_list(text: str) -> list[str]:
    lines = []
    for raw in text.split("\n"):
        if raw:  # half of a page's raw lines are empty (a block's end meets the next one's start)
            line = " ".join(raw.split())
            if line:
                lines.append(line)
    return lines


def _html_page(markup: str, seconds: float) -> PageText:
    from citelint.verify.htmltext import TooCostly, html_text  # lxml: only where pages are read

    try:
        raw, title, scripts = html_text(markup, seconds)
    except TooCostly as exc:
        raise PageTextError(str(exc)) from None
    lines = _line_list(raw)
    bodies = [body for script in scripts for body in _article_bodies(script)]
    json_ld = _lines("\n".join(dict.fromkeys(_body_text(b) for b in bodies)))
    return PageText("\n".join(lines), title, json_ld or None, " ".join(lines))


def _article_bodies(raw: str) -> list[str]:
    """Every articleBody in one JSON-LD script, at any depth (@graph, lists, nested objects)."""
    raw = raw.strip()
    for wrapper, end in (("<!--", "-->"), ("<![CDATA[", "]]>"), ("/*<![CDATA[*/", "/*]]>*/")):
        if raw.startswith(wrapper) and raw.endswith(end):
            raw = raw[len(wrapper) : -len(end)]
    try:
        data: Any = json.loads(raw, strict=False)  # strict=False: raw newlines inside strings
    except (ValueError, RecursionError):
        return []
    found: list[str] = []
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            body = item.get("articleBody")
            if isinstance(body, str):
                found.append(body)
            elif isinstance(body, list):
                found.append("\n".join(part for part in body if isinstance(part, str)))
            stack.extend(value for key, value in item.items() if key != "articleBody")
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return found


def _body_text(body: str) -> str:
    """An articleBody as text: some sites put HTML or entities in it."""
    from citelint.verify.htmltext import TooCostly, html_text

    if _TAG_LIKE.search(body):
        try:
            return _lines(html_text(body, READ_SECONDS)[0])
        except TooCostly:
            return ""
    if _ENTITY_LIKE.search(body):
        body = html.unescape(body)
    return _lines(body)
