"""The records passed between pipeline stages: spans, documents, attributions, findings."""
from __future__ import annotations

import bisect
import enum
import re
import sys
from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from citelint import escape

if TYPE_CHECKING:
    from citelint.verify.model import Verification


class Severity(enum.IntEnum):
    """Finding severity; higher is more severe so thresholds compare naturally."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (expected error, warning or info)") from None


class Span(NamedTuple):
    """A stretch of the original file: code-point offsets (end exclusive) plus 1-based positions.

    A named tuple, not a dataclass: an article has thousands of spans, and a tuple is made
    several times faster than a frozen dataclass."""

    start: int
    end: int
    text: str
    line: int
    column: int
    end_line: int
    end_column: int


_NEWLINE = re.compile("\n")
_INTERN_UP_TO = 40  # characters: names and cues, not the content they introduce
_SPACES = re.compile(" {2,}")
_INDENT = re.compile(r"\n[ \t]+")
_BLANK_LINES = re.compile(r"[ \t]*\n(?:[ \t]*\n)+[ \t]*")  # tags and indentation that became blank lines


_SMALL = tuple(range(4096))  # shared int objects for columns: a long article makes ~25 spans per KB


class LineIndex:
    """Maps character offsets of one text to 1-based line and column numbers."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]  # offset of each line's start
        self._numbers: list[int] | None = None

    @property
    def numbers(self) -> list[int]:
        """The line numbers 1…n as shared int objects: spans on one line share them instead of
        holding a fresh copy each (8 bytes a line, once, against 32 bytes a span, twice)."""
        if self._numbers is None:
            self._numbers = list(range(1, len(self.starts) + 1))
        return self._numbers

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


class OffsetMap:
    """Maps offsets in a document's prose view back to offsets in its original text.

    The prose view is the original with markup removed or replaced. It is described by
    sorted, contiguous segments ``(prose_start, orig_start, orig_end, verbatim)``: a verbatim
    segment copies the original one-to-one; any other segment stands in for
    ``orig[orig_start:orig_end]`` (an entity, a tag) and maps to its whole range.
    """

    __slots__ = ("_orig_ends", "_orig_starts", "_prose_starts", "_verbatim", "identity")

    def __init__(self, segments: list[tuple[int, int, int, bool]] | None = None) -> None:
        self.identity = not segments  # no segments: nothing to map (an empty prose maps to 0)
        segments = segments or []
        # Held as four flat arrays, not a tuple per segment: an HTML page has a segment per
        # tag, and a 10 MB page's 190,000 tuples took about 25 MB; the arrays take 5.
        self._prose_starts = array("q", (s[0] for s in segments))
        self._orig_starts = array("q", (s[1] for s in segments))
        self._orig_ends = array("q", (s[2] for s in segments))
        self._verbatim = bytes(s[3] for s in segments)

    def _segment(self, i: int) -> tuple[int, int, int, bool]:
        return self._prose_starts[i], self._orig_starts[i], self._orig_ends[i], bool(self._verbatim[i])

    def to_prose(self, offset: int, length: int, end: bool = False) -> int:
        """The prose offset where an original offset lands (the inverse of ``start``/``end``)
        in a prose view of ``length`` characters. An offset inside replaced markup lands at
        the replacement's start, or with ``end`` (an exclusive end) at its end."""
        if self.identity:
            return min(offset, length)
        i = bisect.bisect_right(self._orig_starts, offset) - 1
        if i < 0:
            return 0
        p0, o0, o1, verbatim = self._segment(i)
        after = self._prose_starts[i + 1] if i + 1 < len(self._prose_starts) else length
        if offset >= o1:  # in a stretch removed after this segment
            return after
        if verbatim:
            return p0 + (offset - o0)
        return after if end and offset > o0 else p0

    def start(self, prose_offset: int) -> int:
        if self.identity:
            return prose_offset
        i = max(bisect.bisect_right(self._prose_starts, prose_offset) - 1, 0)
        p0, o0, o1, verbatim = self._segment(i)
        return min(o0 + (prose_offset - p0), o1) if verbatim else o0

    def end(self, prose_offset: int) -> int:
        """Original offset for an exclusive prose end offset."""
        if self.identity or prose_offset <= 0:
            return prose_offset
        i = max(bisect.bisect_right(self._prose_starts, prose_offset - 1) - 1, 0)
        p0, o0, o1, verbatim = self._segment(i)
        return min(o0 + (prose_offset - p0), o1) if verbatim else o1


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink in the article: its target and the span of its anchor text (if any)."""

    url: str
    anchor: Span


@dataclass(frozen=True, slots=True)
class Comment:
    """A markup comment (``<!-- … -->``) with its inner text; suppressions live here."""

    body: str
    span: Span


@dataclass(frozen=True, slots=True)
class SidecarSource:
    """One ``[[source]]`` of a per-article ``NAME.sources.toml``; ``span`` is its header line
    in the sidecar's own text."""

    ref: str | None
    name: str | None
    url: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class Sidecar:
    path: str
    text: str
    sources: tuple[SidecarSource, ...]
    publisher: str | None = None  # registry id of the outlet whose article this is


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What an HTML page says about itself: its address and the publisher it names."""

    url: str | None = None  # canonical address (rel=canonical, og:url)
    base: str | None = None  # what relative links are taken against (<base>, else url)
    site_name: str | None = None  # og:site_name
    publishers: tuple[str, ...] = ()  # JSON-LD publisher names
    publisher_urls: tuple[str, ...] = ()  # JSON-LD publisher urls
    published: str | None = None  # "YYYY-MM-DD": article:published_time, JSON-LD datePublished …


@dataclass(frozen=True, slots=True)
class Furniture:
    """How much of an HTML page was set aside as page furniture, and how it was decided."""

    method: str  # "main-content" | "hidden-only" | "whole-page" | "none"
    blocks: int  # blocks of visible text on the page
    kept: int  # of them, read as the article


@dataclass(frozen=True)
class Document:
    """A loaded article: the decoded original text and a prose view aligned to it.

    Extraction reads ``prose``, in which markup (tags, Markdown syntax, code, front matter,
    URLs) no longer appears. ``quote_regions`` are prose ranges the markup marks as quoted
    (``<blockquote>``, ``<q>``, Markdown ``>``). Every Span is made through ``span()`` so
    its offsets are into ``text``.
    """

    path: str
    text: str
    format: str  # "text" | "markdown" | "html"
    prose: str
    offsets: OffsetMap = field(default_factory=OffsetMap)
    links: tuple[Link, ...] = ()
    comments: tuple[Comment, ...] = ()
    quote_regions: tuple[tuple[int, int], ...] = ()
    sidecar: Sidecar | None = None
    page: PageMeta | None = None  # HTML only
    furniture: Furniture | None = None  # HTML only
    published: str | None = None  # "YYYY-MM-DD", from the page's metadata or the front matter
    _lines: LineIndex | None = field(default=None, repr=False, compare=False)

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            object.__setattr__(self, "_lines", LineIndex(self.text))
        assert self._lines is not None
        return self._lines

    def span(self, start: int, end: int) -> Span:
        """A Span for the prose range [start, end), in original-text coordinates."""
        return self.original_span(self.offsets.start(start), self.offsets.end(end))

    def visible(self, span: Span) -> str:
        """The words of a span as a reader sees them: markup, link targets and entities of the
        original replaced by what they show, white space folded."""
        start = self.offsets.to_prose(span.start, len(self.prose))
        end = self.offsets.to_prose(span.end, len(self.prose), end=True)
        return " ".join(self.prose[start:max(start, end)].split())

    def shown(self, start: int, end: int) -> str:
        """What a reader sees of the original range [start, end), line breaks kept: Markdown
        syntax and link targets gone, HTML tags and page furniture gone, entities decoded."""
        if self.format == "text":
            return self.text[start:end]
        length = len(self.prose)
        shown = self.prose[self.offsets.to_prose(start, length):self.offsets.to_prose(end, length, end=True)]
        if self.format == "markdown":  # syntax and link targets are blanked to spaces of equal length
            original = self.text[start:end]
            if len(original) == len(shown):
                shown = "".join(c for c, o in zip(shown, original) if c == o or c != " ")
            else:
                shown = _SPACES.sub(" ", shown)  # an entity in the stretch: lengths differ
        if "\n" not in shown:
            return shown
        shown = _INDENT.sub("\n", _BLANK_LINES.sub("\n\n", shown))
        return shown.lstrip() if start == 0 else shown  # no blank lines where front matter or <head> stood

    def original_span(self, start: int, end: int) -> Span:
        if end < start:
            end = start
        lines = self.lines
        starts = lines.starts  # LineIndex.position, inlined: an article makes thousands of spans
        line = bisect.bisect_right(starts, start) - 1
        end_line = bisect.bisect_right(starts, end, line) - 1
        numbers = lines.numbers
        column, end_column = start - starts[line] + 1, end - starts[end_line] + 1
        text = self.text[start:end]
        # A long article repeats its cues and sources ("said", "Reuters") thousands of times:
        # short texts are interned so the spans share one copy (mortal: freed with the spans).
        return Span(start, end, sys.intern(text) if end - start <= _INTERN_UP_TO else text, numbers[line],
                    _SMALL[column] if column < 4096 else column, numbers[end_line],
                    _SMALL[end_column] if end_column < 4096 else end_column)


class Kind(str, enum.Enum):
    """What kind of source an attribution names (a JSON contract value)."""

    OUTLET = "outlet"
    PERSON = "person"
    ORGANIZATION = "organization"
    DOCUMENT = "document"
    ANONYMOUS = "anonymous"
    VAGUE = "vague"
    UNKNOWN = "unknown"


class CueType(str, enum.Enum):
    """How the attribution is made; rules key on this, not on the cue's words."""

    SPEECH = "speech"  # said, told, wrote, according to
    PUBLICATION = "publication"  # reported, published, revealed (the source published it)
    BELIEF = "belief"  # believes, thinks, fears
    CREDIT = "credit"  # "Source: X", "Additional reporting by X"
    DATELINE = "dateline"  # "WASHINGTON (AP) —"
    VAGUE = "vague"  # reportedly, it was reported
    WEASEL = "weasel"  # critics say, it is widely believed


@dataclass(frozen=True, slots=True)
class RegistryRef:
    """The registry entry an attribution resolved to (id and name as in JSON)."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)  # slots: a long article holds tens of thousands at once
class Attribution:
    """One attribution: who (source) says or reports what (content) by which cue."""

    id: str
    cue: Span | None
    cue_type: CueType
    source: Span | None
    content: Span | None
    quotes: tuple[Span, ...] = ()
    kind: Kind = Kind.UNKNOWN
    resolved: RegistryRef | None = None
    candidates: tuple[str, ...] = ()  # registry ids the source name fits, when ambiguous
    urls: tuple[str, ...] = ()
    outlet: Span | None = None  # words that may name an outlet: the source, "by X", "told X", "X's"
    bare: bool = False  # anonymous source with no descriptor ("sources said")
    anonymity_reason: bool = False  # "spoke on condition of anonymity because …" in the sentence
    named_nearby: bool = False  # vague/weasel cue with a named source in the same or next sentence
    sentence: tuple[int, int] = (0, 0)  # prose range of the sentence holding the cue
    block: tuple[int, int] = (0, 0)  # prose range of its paragraph
    verification: Verification | None = None  # with --verify: the primary URL's page and quotes
    # No link of its own: ``urls`` are those of the outlet's report linked just before ("the AP
    # wrote", after "[the AP reported](…)"), taken to be the same report (see resolve.py)
    inherited: bool = False


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found in one file, positioned on a span of its original text."""

    code: str
    rule: str
    severity: Severity
    message: str
    path: str
    span: Span
    attribution: str | None = None

    def __post_init__(self) -> None:
        # The edge where article text, URLs and names enter a message: made safe once here.
        object.__setattr__(self, "message", escape.message(self.message))

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.span.start, self.span.end, self.code, self.message)


@dataclass(frozen=True, slots=True)
class InputError:
    """A file that could not be checked, with a message saying precisely why."""

    path: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", escape.message(self.message))
