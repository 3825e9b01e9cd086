"""Text from outside (articles, pages, URLs, file names) made safe to print.

Control characters would move a terminal's cursor, retitle its window or hide text
(``ESC [5m``, OSC sequences), and bidirectional overrides reorder what a reader sees. They
are made visible once, where external text enters a message (``Finding`` and
``InputError`` do it on construction), or where a format prints a path or data:

- C0 controls and DEL become their Unicode "control pictures" (ESC → ␛, DEL → ␡): one
  character for one, so offsets into the text stay valid;
- C1 controls, the bidi controls and lone surrogates (undecodable bytes of a file name)
  become ``<U+202E>`` (no picture exists for them);
- in messages, line breaks and tabs become a space ("Daily\\nBugle" reads "Daily Bugle").
"""
from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Lone surrogates: a file name that is not UTF-8 ("\xff.txt" read as "\udcff.txt") cannot be
# written to a UTF-8 report at all.
_SURROGATES = "\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}{_SURROGATES}]")
_UNSAFE_DATA = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}{_SURROGATES}]")  # keeps \t, \n, \r of article text
_RAW_IN_JSON = re.compile(f"[\x7f-\x9f{_SURROGATES}]")  # json.dumps(ensure_ascii=False) leaves these raw


def _picture(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


def _message_char(match: re.Match[str]) -> str:
    return " " if match.group() in "\t\n\r\x0b\x0c" else _picture(match)


def message(text: str) -> str:
    """A message line: no control characters, no line breaks, no bidi overrides."""
    return _UNSAFE.sub(_message_char, text) if _UNSAFE.search(text) else text


def path(text: str) -> str:
    """A file name or URL as printed in a report line (a line break in it made visible)."""
    return _UNSAFE.sub(_picture, text) if _UNSAFE.search(text) else text


def line_start(text: str) -> str:
    """A path that begins a report line: never ``::`` (GitHub Actions reads a line that
    starts with it as a workflow command), so "::x.md" is printed "./::x.md"."""
    shown = path(text)
    return "./" + shown if shown.startswith("::") else shown


def data(text: str) -> str:
    """Multi-line text shown as it is (an article in the HTML report): tabs and line breaks
    (\n, \r) stay, every other control becomes visible."""
    return _UNSAFE_DATA.sub(_picture, text) if _UNSAFE_DATA.search(text) else text


def json_text(document: str) -> str:
    """A JSON document with DEL and C1 controls written as ``\\u007f`` escapes. They can only
    occur inside strings (JSON's own syntax is ASCII), where the escape means the same."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document) if _RAW_IN_JSON.search(document) else document
