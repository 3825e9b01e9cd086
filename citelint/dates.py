"""An article's publication date, as pages and front matter write it, made one form.

Used to ask an archive for the copy of a dead page nearest the article (``--archive``): a
page cited in 2019 is best checked against its 2019 snapshot, not today's.
"""
from __future__ import annotations

import datetime
import re

# ISO 8601 as pages write it: "2019-03-05", "2019-03-05T14:02:00Z", "2019-03-05 14:02".
_ISO = re.compile(r"\s*[\"']?(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?[\"']?\s*\Z")


def published(value: object) -> str | None:
    """``value`` as "YYYY-MM-DD" when it is an ISO 8601 date or date-time, else None."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, str) or len(value) > 64:
        return None
    match = _ISO.match(value)
    if match is None:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None  # "2019-02-30"


def timestamp(date: str) -> str:
    """"2019-03-05" as a Wayback timestamp ("20190305")."""
    return date.replace("-", "")


_FRONT_KEYS = ("date", "published", "pubdate", "publishdate", "date_published")
_FRONT_LINE = re.compile(r"^(?P<key>[A-Za-z_]+)[ \t]*[:=][ \t]*(?P<value>[^\n#]*?)[ \t]*\r?$", re.M)


def front_matter_date(front: str) -> str | None:
    """The publication date a Markdown file's front matter (YAML or TOML) gives, if any:
    ``date: 2019-03-05`` or ``date = 2019-03-05T10:00:00Z`` (top-level keys only)."""
    found: dict[str, str] = {}
    for match in _FRONT_LINE.finditer(front):
        key = match["key"].lower()
        if key in _FRONT_KEYS and key not in found:
            found[key] = match["value"]
    for key in _FRONT_KEYS:
        if key in found and (date := published(found[key])) is not None:
            return date
    return None
