"""The visible text of a fetched page, one line per block, plus its JSON-LD articleBody."""
from __future__ import annotations

import codecs
import html
import json
import re
import warnings
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from bs4.element import NavigableString, PageElement, PreformattedString, Tag

from citelint.load.prose import gc_paused

# Elements whose content a reader never sees. <head> is not among them: html.parser does not
# close an unclosed <head> at <body> as browsers do, so skipping it could drop a whole page;
# what a head holds (title, meta, script, style) yields no text here anyway.
_SKIP = frozenset(
    "script style noscript template svg iframe object canvas title".split()
)
_BLOCK = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dd dt blockquote article section header footer aside "
    "nav main figure figcaption table caption thead tbody tfoot tr td th pre hr address details "
    "summary form fieldset legend center dialog menu hgroup search body html".split()
)
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
# html.parser turns the rest of a document into text after some "&#" not starting a number.
_BARE_CHARREF = re.compile(r"&#(?![0-9]|[xX][0-9a-fA-F])")
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


def page_text(body: bytes, content_type: str | None, charset: str | None) -> PageText:
    """Decode ``body`` and extract its text; types other than HTML and plain text give ""."""
    media = (content_type or "").split(";")[0].strip().lower()
    if not media:
        media = "text/html" if _looks_like_html(body) else "text/plain"
    if media == "text/plain":
        return PageText(_lines(_decode(body, charset, html=False)), None, None)
    if media not in _HTML_TYPES:
        return PageText("", None, None)
    with gc_paused():  # the collector would re-scan the growing tree again and again
        return _html_page(_decode(body, charset, html=True))


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
    return "\n".join(line for line in (" ".join(raw.split()) for raw in text.split("\n")) if line)


def _html_page(markup: str) -> PageText:
    text, title, scripts = _walk(_soup(markup))
    bodies = [body for raw in scripts for body in _article_bodies(raw)]
    json_ld = _lines("\n".join(dict.fromkeys(_body_text(b) for b in bodies)))
    return PageText(text, title, json_ld or None)


def _soup(markup: str) -> BeautifulSoup:
    markup = _BARE_CHARREF.sub("&amp;#", markup)
    if len(markup) > 256:
        return BeautifulSoup(markup, "html.parser")
    with warnings.catch_warnings():  # a tiny body that looks like a URL is still a page
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(markup, "html.parser")


def _walk(root: Tag) -> tuple[str, str | None, list[str]]:
    """Text, title and JSON-LD scripts, by an explicit stack: nesting depth costs no recursion."""
    out: list[str] = []
    title: str | None = None
    scripts: list[str] = []
    pre = 0  # depth of <pre> elements: their newlines are line breaks, elsewhere spaces
    stack: list[PageElement | int] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, int):  # the end of a block: +1 when it was a <pre>
            out.append("\n")
            pre -= node
        elif isinstance(node, Tag):
            name = node.name
            if name in _SKIP:
                if name == "title" and title is None:
                    title = " ".join(node.get_text().split()) or None
                elif name == "script" and _is_json_ld(node):
                    scripts.append("".join(str(s) for s in node.strings))
            elif name == "br":
                out.append("\n")
            else:
                if name in _BLOCK:
                    out.append("\n")
                    is_pre = name == "pre"
                    pre += is_pre
                    stack.append(int(is_pre))
                stack.extend(reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            # (PreformattedString: comments, CDATA, doctypes, processing instructions)
            out.append(node if pre else node.replace("\n", " "))
    return _lines("".join(out)), title, scripts


def _is_json_ld(script: Tag) -> bool:
    kind = script.get("type")
    return isinstance(kind, str) and kind.split(";")[0].strip().lower() == "application/ld+json"


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
    if _TAG_LIKE.search(body):
        return _walk(_soup(body))[0]
    if _ENTITY_LIKE.search(body):
        body = html.unescape(body)
    return _lines(body)
