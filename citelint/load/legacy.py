"""Windows-1252 text (Word's "plain text" export on Windows): read with a note, not refused.

Only bytes that are not UTF-8 get here. They are read as cp1252 when that is plausible:
every byte is defined in cp1252, and the non-ASCII bytes stand mostly alone (a curly quote,
a dash, an accented letter between ASCII letters). Runs of non-ASCII bytes are what
multi-byte encodings (UTF-8 with a stray byte, Shift-JIS, GBK) and other single-byte
scripts (KOI8-R, cp1251 Cyrillic) look like; those stay errors rather than mojibake.
"""
from __future__ import annotations

import re

_HIGH = re.compile(rb"[\x80-\xff]")
_RUN = re.compile(rb"[\x80-\xff]{2,}")
_RUN_SHARE = 0.25  # of the non-ASCII bytes, at most this many may sit in runs


def as_cp1252(data: bytes) -> str | None:
    """The text, if ``data`` plausibly is Windows-1252; None otherwise."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d are undefined in cp1252
        return None
    high = len(_HIGH.findall(data))
    in_runs = sum(len(run) for run in _RUN.findall(data))
    if not high or in_runs > high * _RUN_SHARE:
        return None
    return text


def note(reason: str) -> str:
    """What the note on stderr says: why, and how to make it go away."""
    return f"{reason.split(' (save')[0]}; read as Windows-1252 (Word's plain text), save it as UTF-8 to be sure"
