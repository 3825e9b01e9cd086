"""Resolution: which registry entry each attribution names, and which URLs back it."""
from __future__ import annotations

import bisect
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from citelint.extract.lexicon import lexicon
from citelint.extract.patterns import dateline_place
from citelint.model import Attribution, CueType, Document, Kind, Link, RegistryRef, SidecarSource
from citelint.registry import Entry, Match, Registry, normalize_name

_MEDIA_KINDS = frozenset({"wire", "newspaper", "broadcaster", "magazine", "digital"})
# Links backing one attribution: real sentences hold one or two, and a sentence or paragraph
# of thousands of links must not be copied into each of its attributions.
_MOST_SENTENCE_URLS = 10
_MOST_PARAGRAPH_URLS = 10  # per outlet and paragraph


@cache
def _dateline_countries() -> dict[str, str]:
    try:
        text = resources.files("citelint.data").joinpath("datelines.toml").read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    return {k.upper(): v for k, v in tomllib.loads(text).get("cities", {}).items()}


@cache
def _anaphors() -> frozenset[str]:
    return frozenset(normalize_name(a).casefold() for a in lexicon().outlet_anaphors)


@dataclass(frozen=True)
class Resolution:
    """Attributions with registry entries and URLs attached, plus what the sidecar backed."""

    attributions: tuple[Attribution, ...]
    entries: dict[str, Entry]  # attribution id -> resolved entry
    sidecar_used: frozenset[int]  # indexes into document.sidecar.sources
    sidecar_mismatch: dict[str, SidecarSource]  # attribution id -> sidecar entry on a foreign domain


class Resolver:
    """Resolves the attributions of one document, in reading order (earlier mentions help)."""

    def __init__(self, document: Document, registry: Registry) -> None:
        self.document = document
        self.registry = registry
        self.sidecar = document.sidecar.sources if document.sidecar else ()
        place = dateline_place(document.prose)
        self.country = _dateline_countries().get(place.upper()) if place else None
        self.links = sorted(((link, self._link_entry(link)) for link in document.links), key=lambda le: le[0].anchor.start)
        self._link_starts = [link.anchor.start for link, _ in self.links]
        # Entries named so far, each once, the latest last (a dict keeps the cost per name flat).
        self._seen: dict[str, Entry] = {}
        self._last_outlet: tuple[tuple[int, int], Entry] | None = None  # (paragraph, entry)
        self._block_cache_key: tuple[int, int] = (-1, -1)  # the paragraph _block_cache is for
        self._block_cache: dict[str, tuple[str, ...]] = {}  # entry id -> its URLs in that paragraph
        self._block_first: dict[str, int] | None = None  # entry id -> its first link there

    def _link_entry(self, link: Link) -> Entry | None:
        return self.registry.lookup_url(link.url)

    def run(self, attributions: list[Attribution]) -> Resolution:
        out = []
        entries: dict[str, Entry] = {}
        used: set[int] = set()
        mismatch: dict[str, SidecarSource] = {}
        for att in attributions:
            resolved, candidates = self._entry_for(att)
            sentence = self._original(att.sentence)
            block = self._original(att.block)
            in_sentence = self._links_between(*sentence)
            if len(candidates) > 1 and resolved is None:
                resolved = self._disambiguate(candidates, in_sentence, block)
            kind = att.kind
            if resolved is None and candidates and all(c.kind in _MEDIA_KINDS for c in candidates) \
                    and att.outlet is not None and att.source is not None and att.outlet.start == att.source.start:
                kind = Kind.OUTLET  # "ABC reported": an outlet, we just do not know which
            if resolved is not None:
                entries[att.id] = resolved
                if att.outlet is not None and att.source is not None and att.outlet.start == att.source.start:
                    kind = Kind.OUTLET if resolved.kind in _MEDIA_KINDS else Kind.ORGANIZATION
                elif kind is Kind.PERSON and resolved.kind in _MEDIA_KINDS and att.source and att.outlet == att.source:
                    kind = Kind.OUTLET
                if len(candidates) <= 1 or resolved in candidates:
                    self._seen.pop(resolved.id, None)
                    self._seen[resolved.id] = resolved
                if kind is Kind.OUTLET:
                    self._last_outlet = (att.block, resolved)
            urls: list[str] = [l.url for l, _ in in_sentence[:_MOST_SENTENCE_URLS]]
            if resolved is not None:
                urls += [u for u in self._block_urls(block, resolved) if u not in urls]
            for index, source in enumerate(self.sidecar):
                if self._sidecar_matches(source, att, resolved, candidates):
                    used.add(index)
                    if source.url and source.url not in urls:
                        urls.append(source.url)
                        if resolved is not None and self.registry.lookup_url(source.url) is not resolved:
                            mismatch[att.id] = source
            ids = tuple(e.id for e in candidates) if resolved is None else ()
            if resolved is None and not ids and not urls and kind is att.kind:
                out.append(att)  # nothing resolved (most people and organisations): no copy
                continue
            out.append(
                replace(
                    att,
                    kind=kind,
                    resolved=RegistryRef(resolved.id, resolved.name) if resolved else None,
                    candidates=ids,
                    urls=tuple(urls),
                )
            )
        return Resolution(tuple(out), entries, frozenset(used), mismatch)

    def _enter_block(self, block: tuple[int, int]) -> None:
        """Forget what was worked out for the previous paragraph (attributions come in order)."""
        if block != self._block_cache_key:
            self._block_cache_key = block
            self._block_cache.clear()
            self._block_first = None

    def _first_in_block(self, block: tuple[int, int]) -> dict[str, int]:
        """Entry id -> position of its first link in the paragraph, worked out once per paragraph."""
        self._enter_block(block)
        if self._block_first is None:
            self._block_first = {}
            for index, (_, entry) in enumerate(self._links_between(*block)):
                if entry is not None:
                    self._block_first.setdefault(entry.id, index)
        return self._block_first

    def _block_urls(self, block: tuple[int, int], entry: Entry) -> tuple[str, ...]:
        """The first URLs of ``entry``'s site linked in the paragraph, each once: enough to
        back an attribution, and never a copy of every link of a long paragraph."""
        self._enter_block(block)
        urls = self._block_cache.get(entry.id)
        if urls is None:
            found: dict[str, None] = {}
            for link, linked in self._links_between(*block):
                if linked is entry:
                    found[link.url] = None
                    if len(found) == _MOST_PARAGRAPH_URLS:
                        break
            urls = self._block_cache[entry.id] = tuple(found)
        return urls

    def _links_between(self, start: int, end: int) -> list[tuple[Link, Entry | None]]:
        """Links whose anchor starts in [start, end) of the original text."""
        lo = bisect.bisect_left(self._link_starts, start)
        hi = bisect.bisect_left(self._link_starts, end)
        return self.links[lo:hi]

    def _original(self, prose_range: tuple[int, int]) -> tuple[int, int]:
        return self.document.offsets.start(prose_range[0]), self.document.offsets.end(prose_range[1])

    def _entry_for(self, att: Attribution) -> tuple[Entry | None, tuple[Entry, ...]]:
        """The entry the attribution's outlet words name, or the candidates when several fit."""
        if att.outlet is None or att.cue_type in (CueType.VAGUE, CueType.WEASEL):
            return None, ()
        text = att.outlet.text
        if text in ("it", "It") and att.outlet == att.source:
            # "Reuters reported … It said …": "it" is the outlet just named in this paragraph.
            last = self._last_outlet
            return (last[1], (last[1],)) if last and last[0] == att.block else (None, ())
        if normalize_name(text).casefold() in _anaphors():
            media = [e for e in self._seen.values() if e.kind in _MEDIA_KINDS]
            return (media[-1], (media[-1],)) if media else (None, ())
        match = self.registry.lookup_name(text)
        if not match.all:
            match = self._tail_match(text)
        earlier = [e for e in reversed(self._seen.values()) if e in match.weak]
        if earlier:
            return earlier[0], match.all  # "the Times" after "The New York Times"
        if len(match.strong) == 1:
            # A weak owner wins only when the context points at it (a link, the sidecar, an earlier mention).
            return match.strong[0], match.all
        if not match.strong and len(match.weak) == 1:
            return match.weak[0], match.weak
        return None, match.all

    def _tail_match(self, text: str) -> Match:
        """"the Spanish newspaper ABC" -> ABC: a registry name ending the phrase, with no
        other name or clause before it."""
        words = text.split()
        first_words = self.registry.first_words
        for k in range(min(len(words), 6), 0, -1):
            if not words[-k][:1].isupper():
                continue  # registry names start with a capital (lowercase ones matched whole above)
            if words[-k].casefold().rstrip("'’s") not in first_words and words[-k].casefold() not in first_words:
                continue
            tail = " ".join(words[-k:])
            prefix = words[:-k]
            if "," in " ".join(prefix) or any(w[:1].isupper() and w.lower() != "the" and not _nationality(w) for w in prefix[1:]):
                continue
            match = self.registry.lookup_name(tail)
            if match.all:
                return match
            if k > 1 and words[-k].lower() != "the":
                match = self.registry.lookup_name("the " + tail)
                if match.all:
                    return match
        return Match((), ())

    def _disambiguate(self, candidates: tuple[Entry, ...], in_sentence: list[tuple[Link, Entry | None]],
                      block: tuple[int, int]) -> Entry | None:
        for _, entry in in_sentence:
            if entry in candidates:
                return entry
        first = self._first_in_block(block)
        linked = [(first[c.id], c) for c in candidates if c.id in first]
        if linked:
            return min(linked, key=lambda pair: pair[0])[1]  # the candidate linked first
        for source in self.sidecar:
            hits = [c for c in candidates if source.ref == c.id or source.url and self.registry.lookup_url(source.url) is c]
            if len(hits) == 1:
                return hits[0]
        if self.country:
            local = [c for c in candidates if c.country == self.country]
            if len(local) == 1:
                return local[0]
        for entry in reversed(self._seen.values()):
            if entry in candidates:
                return entry
        return None

    def _sidecar_matches(self, source: SidecarSource, att: Attribution, resolved: Entry | None,
                         candidates: tuple[Entry, ...]) -> bool:
        if resolved is not None:
            if source.ref == resolved.id:
                return True
            if source.url and self.registry.lookup_url(source.url) is resolved:
                return True
        if source.name and att.outlet is not None:
            return normalize_name(source.name).casefold() == normalize_name(att.outlet.text).casefold()
        return False


def _nationality(word: str) -> bool:
    return word.endswith(("an", "ish", "ese", "ch", "i")) and word[:1].isupper()


def resolve(document: Document, attributions: list[Attribution], registry: Registry) -> Resolution:
    return Resolver(document, registry).run(attributions)
