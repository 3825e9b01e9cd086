"""Resolution: which registry entry each attribution names, and which URLs back it."""
from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from citelint.extract.lexicon import lexicon
from citelint.extract.patterns import dateline_place
from citelint.extract.phrases import classify
from citelint.model import Attribution, CueType, Document, Kind, Link, RegistryRef, SidecarSource
from citelint.publisher import Publisher
from citelint.registry import Entry, Match, Registry, normalize_name

_MEDIA_KINDS = frozenset({"wire", "newspaper", "broadcaster", "magazine", "digital"})
# Links backing one attribution: real sentences hold one or two, and a sentence or paragraph
# of thousands of links must not be copied into each of its attributions.
_MOST_SENTENCE_URLS = 10
_MOST_PARAGRAPH_URLS = 10  # per outlet and paragraph


@cache
def _places() -> dict[str, dict[str, str]]:
    try:
        text = resources.files("citelint.data").joinpath("datelines.toml").read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    return tomllib.loads(text)


@cache
def _dateline_countries() -> dict[str, str]:
    return {k.upper(): v for k, v in _places().get("cities", {}).items()}


@cache
def _nationalities() -> dict[str, str]:
    return {k.casefold(): v for k, v in _places().get("nationalities", {}).items()}


# What a definite description can refer back to: "the agency" is a wire service or a
# government agency, never a broadcaster; "the newspaper" is never a wire.
_MEDIA = ("wire", "newspaper", "broadcaster", "magazine", "digital")
_ANAPHOR_KINDS: dict[str, tuple[str, ...]] = {
    "newspaper": ("newspaper",), "paper": ("newspaper",), "daily": ("newspaper",),
    "tabloid": ("newspaper",), "weekly": ("newspaper", "magazine"),
    "agency": ("wire", "agency", "government"), "news agency": ("wire",), "wire service": ("wire",),
    "broadcaster": ("broadcaster",), "network": ("broadcaster",), "channel": ("broadcaster",),
    "station": ("broadcaster",), "magazine": ("magazine",),
    "site": ("digital", "newspaper", "magazine", "broadcaster"), "website": ("digital", "newspaper", "magazine", "broadcaster"),
    "outlet": _MEDIA, "news outlet": _MEDIA, "publication": ("newspaper", "magazine", "digital"),
}
_ARTICLE = re.compile(r"\b(?:[Tt]he|[Aa]n?) $")  # just before a name: its article
_UNKNOWN_PUBLISHER = Publisher(None, "unknown")  # own links are then the relative ones only
_NEAR = 1500  # characters within which "the newspaper" refers back to a named outlet
# A mention that cites a different report than the one linked earlier needs its own link.
_OTHER_REPORT = re.compile(
    r"\b(?:(?:years?|months?|weeks?|days?|decades?) (?:earlier|before|ago)|last (?:year|month|week)|"
    r"earlier this (?:year|month)|previously|in (?:19|20)\d\d|in an? (?:earlier|separate|later|previous) "
    r"(?:report|story|article|investigation)|another (?:report|story|article)|had (?:first )?reported)\b",
    re.IGNORECASE,
)


@cache
def _kind_after() -> re.Pattern[str]:
    """What a publication is, written after its name in lowercase ("The Sun tabloid", "the Fox
    News network"): the lexicon's outlet anaphors ("the tabloid") without their article. A name's
    own capitalised word ("China Daily", "Harbour Weekly") is part of it."""
    kinds = sorted((a.removeprefix("the ") for a in lexicon().outlet_anaphors), key=len, reverse=True)
    return re.compile(rf"(?:\s+(?:{'|'.join(map(re.escape, kinds))}))+$")


# An outlet's own products named after it: "The New York Times Magazine", "POLITICO Magazine",
# "Fox News Sunday". Only after a name of two words or more, or one in capitals: "The Sun
# Magazine" is another publication than The Sun.
_PRODUCT_AFTER = re.compile(r"\s+(?:Magazine|Sunday|International|Online|Opinion|Radio|Television|TV|Podcast)$")


def _product_owner(text: str) -> str | None:
    owner = _PRODUCT_AFTER.sub("", text)
    if owner == text:
        return None
    words = [w for w in owner.split() if w.lower() != "the"]
    return owner if len(words) >= 2 or (len(words) == 1 and words[0].isupper() and len(words[0]) >= 3) else None


# Words before an outlet's name at the end of a source phrase that make it the object of the
# phrase, not where the source works or what it is ("a columnist for the Post" is the Post's).
_NOT_AFFILIATION = frozenset("on about against into onto over than toward towards upon under behind".split())

# A person's name after "by" (not "by The Times": "a review by The Times" is the paper's review)
_BYLINE = re.compile(r"(?!(?:The|A|An)\b)[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)+$")


def _outlet_name(words: str) -> str:
    """An outlet's words as a reader sees them, less what describes the outlet after its name."""
    head, comma, rest = words.partition(",")
    if comma and head.strip() and rest.strip()[:1].islower():
        # "the Independent, a British newspaper", "the agency, which fell short",
        # "Breitbart News, for one": the name is what comes before the apposition
        words = head.rstrip()
    named, by, byline = words.partition(" by ")
    before = named.split()
    if by and _BYLINE.match(byline) and before and before[-1].lower() in lexicon().outlet_heads \
            and any(w[:1].isupper() for w in before[1:-1]):  # a name before "magazine", not "A report"
        words = named  # "New York magazine by Gabriel Sherman": the byline is not the name
    return words


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
    publisher: Publisher | None = None  # whose article this is, when known
    names: dict[str, str] | None = None  # attribution id -> its outlet's name as a reader sees it
    wire: Entry | None = None  # the outlet the article's dateline credits ("LONDON (Reuters) —")

    def is_publisher(self, entry: Entry | None) -> bool:
        """Whether an entry is the outlet that published the article itself, or the wire whose
        story it is ("told Reuters" under "LONDON (Reuters) —" is the wire's own interview)."""
        if entry is None:
            return False
        return entry is self.wire or self.publisher is not None and self.publisher.entry is entry

    def name(self, attribution: Attribution) -> str:
        """The outlet words of an attribution as a reader sees them (no markup)."""
        if self.names and attribution.id in self.names:
            return self.names[attribution.id]
        return attribution.outlet.text if attribution.outlet else ""


class Resolver:
    """Resolves the attributions of one document, in reading order (earlier mentions help)."""

    def __init__(self, document: Document, registry: Registry, publisher: Publisher | None = None) -> None:
        self.document = document
        self.registry = registry
        self.publisher = publisher
        self.own_entry = publisher.entry if publisher else None
        self.sidecar = document.sidecar.sources if document.sidecar else ()
        place = dateline_place(document.prose)
        self.country = _dateline_countries().get(place.upper()) if place else None
        self.links = sorted(((link, self._link_entry(link)) for link in document.links), key=lambda le: le[0].anchor.start)
        self._link_starts = [link.anchor.start for link, _ in self.links]
        # Entries named so far, each once, the latest last (a dict keeps the cost per name flat).
        self._seen: dict[str, Entry] = {}
        self._seen_at: dict[str, int] = {}  # entry id -> prose offset of its latest mention's sentence end
        self._last_outlet: tuple[tuple[int, int], Entry] | None = None  # (paragraph, entry)
        self._block_cache_key: tuple[int, int] = (-1, -1)  # the paragraph _block_cache is for
        self._block_cache: dict[str, tuple[str, ...]] = {}  # entry id -> its URLs in that paragraph
        self._block_first: dict[str, int] | None = None  # entry id -> its first link there

    def _link_entry(self, link: Link) -> Entry | None:
        return self.registry.lookup_url(link.url)

    def _own(self, url: str) -> bool:
        """A link to the article's own site (or a relative one): it backs only its own outlet."""
        return (self.publisher or _UNKNOWN_PUBLISHER).owns(url, self.registry)

    def run(self, attributions: list[Attribution]) -> Resolution:
        out = []
        entries: dict[str, Entry] = {}
        used: set[int] = set()
        mismatch: dict[str, SidecarSource] = {}
        names: dict[str, str] = {}
        # entry id -> (the first two links of its reports cited so far, where the latest was
        # cited): only whether it is exactly one matters, and a roundup links thousands
        backed: dict[str, tuple[list[str], int]] = {}
        wire: Entry | None = None
        for att in attributions:
            if att.outlet is not None:
                visible = _outlet_name(self.document.visible(att.outlet) if self.document.format != "text"
                                       else att.outlet.text)
                if visible != att.outlet.text:
                    names[att.id] = visible
            resolved, candidates = self._entry_for(att, names.get(att.id))
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
                if att.cue_type is CueType.DATELINE and wire is None and resolved.kind in _MEDIA_KINDS:
                    wire = resolved
                if att.outlet is not None and att.source is not None and att.outlet.start == att.source.start:
                    kind = Kind.OUTLET if resolved.kind in _MEDIA_KINDS else Kind.ORGANIZATION
                elif kind is Kind.PERSON and resolved.kind in _MEDIA_KINDS and att.source and att.outlet == att.source:
                    kind = Kind.OUTLET
                if len(candidates) <= 1 or resolved in candidates:
                    self._seen.pop(resolved.id, None)
                    self._seen[resolved.id] = resolved
                    self._seen_at[resolved.id] = att.sentence[1]
                if kind is Kind.OUTLET:
                    self._last_outlet = (att.block, resolved)
            urls: list[str] = [l.url for l, _ in in_sentence[:_MOST_SENTENCE_URLS]]
            inherited = False
            if resolved is not None and resolved is not self.own_entry:
                # The site's own earlier story backs no other outlet's report.
                urls = [url for url in urls if not self._own(url)]
            if resolved is not None:
                urls += [u for u in self._block_urls(block, resolved) if u not in urls]
                own = [url for url in urls if self.registry.lookup_url(url) is resolved]
                if own:
                    seen_urls = backed.get(resolved.id, ([], 0))[0]
                    if len(seen_urls) < 2:
                        seen_urls = (seen_urls + [u for u in own if u not in seen_urls])[:2]
                    backed[resolved.id] = (seen_urls, att.sentence[1])
                elif not urls and self._same_report(att, backed.get(resolved.id)):
                    urls = list(backed[resolved.id][0])  # "the AP wrote", after "[the AP reported](…)"
                    inherited = True
            for index, source in enumerate(self.sidecar):
                if self._sidecar_matches(source, att, resolved, candidates):
                    used.add(index)
                    if source.url and source.url not in urls:
                        urls.append(source.url)
                        inherited = False  # the sidecar names its report
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
                    inherited=inherited,
                )
            )
        return Resolution(tuple(out), entries, frozenset(used), mismatch, self.publisher, names, wire)

    def _same_report(self, att: Attribution, linked: tuple[list[str], int] | None) -> bool:
        """Whether an unlinked mention goes on citing the outlet's report linked just before:
        the article links one report of that outlet (a roundup citing many of its reports
        needs a link for each), the link came a few paragraphs before, and the sentence does
        not say it is another report ("years earlier the AP reported")."""
        if linked is None or len(linked[0]) != 1 or att.sentence[0] - linked[1] > 2 * _NEAR:
            return False
        return not _OTHER_REPORT.search(self.document.prose, *att.sentence)

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

    def _entry_for(self, att: Attribution, visible: str | None = None) -> tuple[Entry | None, tuple[Entry, ...]]:
        """The entry the attribution's outlet words name, or the candidates when several fit."""
        if att.outlet is None or att.cue_type in (CueType.VAGUE, CueType.WEASEL):
            return None, ()
        text = (visible if visible is not None else att.outlet.text).lstrip("“‘\"'")  # “Fox News Sunday”
        article = _ARTICLE.search(self.document.text, max(0, att.outlet.start - 4), att.outlet.start)
        if article is not None and text[:4].lower() != "the ":
            # "the Post's editor", "a Times article": the name with its article (a bare
            # "Post" or "Star" is a word or a surname, not The Post or The Star)
            text = article.group(0) + text
        if text in ("it", "It") and att.outlet == att.source:
            # "Reuters reported … It said …": "it" is the outlet just named in this paragraph.
            last = self._last_outlet
            return (last[1], (last[1],)) if last and last[0] == att.block else (None, ())
        key = normalize_name(text).casefold()
        if key in _anaphors():
            # Only the latest entity of a kind the description fits, named close before (a
            # paragraph or two), or none: "the agency" after "CNN reported" is not CNN.
            kinds = _ANAPHOR_KINDS.get(key, _MEDIA)
            fits = [e for e in self._seen.values() if e.kind in kinds]
            if not fits or att.sentence[0] - self._seen_at.get(fits[-1].id, -_NEAR) > _NEAR:
                return None, ()
            return fits[-1], (fits[-1],)
        match = self._named(text)
        if not match.strong and not match.weak:
            linked = self._linked_entry(att, text) if self.links else None
            return (linked, (linked,)) if linked is not None else (None, ())
        if self.own_entry is not None and self.own_entry in match.all:
            return self.own_entry, match.all  # "the Post" in The Washington Post's own story
        if match.weak:
            earlier = [e for e in reversed(self._seen.values()) if e in match.weak]
            if earlier:
                return earlier[0], match.all  # "the Times" after "The New York Times"
        if len(match.strong) == 1:
            # A weak owner wins only when the context points at it (a link, the sidecar, an earlier mention).
            return match.strong[0], match.all
        if not match.strong and len(match.weak) == 1:
            return match.weak[0], match.weak
        return None, match.all

    def _named(self, text: str) -> Match:
        """The registry entries a phrase names: as a whole; by a name closing it ("the Spanish
        newspaper ABC"); by the name before what the outlet is ("The Guardian newspaper", "the
        Global Times tabloid"); or by the outlet owning the product it names ("The New York
        Times Magazine")."""
        match = self.registry.lookup_name(text)
        if match.strong or match.weak:
            return match
        match = _placed(self._tail_match(text), text)
        if not match.strong and not match.weak and (named := _kind_after().sub("", text)) != text:
            match = self.registry.lookup_name(named)
            if not match.strong and not match.weak:
                match = _placed(self._tail_match(named), named)
        if not match.strong and not match.weak and (owner := _product_owner(text)) is not None:
            match = Match(self.registry.lookup_name(owner).strong, ())
        return match

    def _linked_entry(self, att: Attribution, name: str) -> Entry | None:
        """The outlet a linked name goes to: "[Zeitung X](https://zeitung-x.example/…)" is the
        registry entry of that domain when the name shares a word with one of its names."""
        assert att.outlet is not None
        words = {w.casefold() for w in normalize_name(name).split() if len(w) > 2}
        for link, entry in self._links_between(att.outlet.start - 2000, att.outlet.end):
            anchor = link.anchor
            if entry is None or anchor.end <= att.outlet.start or anchor.start >= att.outlet.end:
                continue
            if any(words & {w.casefold() for w in normalize_name(n).split()} for n in entry.names):
                return entry
        return None

    def _tail_match(self, text: str) -> Match:
        """"the Spanish newspaper ABC" -> ABC: a registry name ending the phrase, with no
        other name or clause before it."""
        known = self.registry.tail_matches
        found = known.get(text)
        if found is None:
            if len(known) > _MOST_TAILS:
                known.clear()  # an archive of millions of articles: bounded
            found = known[text] = self._find_tail(text)
        return found

    def _find_tail(self, text: str) -> Match:
        words = text.split()
        if 1 < len(words) <= 3 and all(w[:1].isupper() for w in words) and classify(text) is Kind.PERSON:
            return Match((), ())  # "Michael Bloomberg": a person named like an outlet
        first_words = self.registry.first_words
        for k in range(min(len(words), 6), 0, -1):
            if not words[-k][:1].isupper():
                continue  # registry names start with a capital (lowercase ones matched whole above)
            if words[-k].casefold().rstrip("'’s") not in first_words and words[-k].casefold() not in first_words:
                continue
            tail = " ".join(words[-k:])
            prefix = words[:-k]
            if prefix and prefix[-1].lower() == "the":  # "… reported by The Post": the name with its article
                tail, prefix = f"{prefix[-1]} {tail}", prefix[:-1]
            if "," in " ".join(prefix) or any(w[:1].isupper() and w.lower() != "the" and not _nationality(w) for w in prefix[1:]):
                continue
            if prefix and prefix[-1].lower() in _NOT_AFFILIATION:
                continue  # "Carson turned the story back on the Post": the paper is an object, not the source
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
        if self.own_entry is not None and self.own_entry in candidates:
            return self.own_entry  # "ABC" in ABC News's own story
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
            return normalize_name(source.name).casefold() == normalize_name(self.document.visible(att.outlet)).casefold()
        return False


_MOST_TAILS = 20_000  # phrases kept with their tail matches (a few MB): most names recur within that many


def _placed(match: Match, text: str) -> Match:
    """Only the entries of the country a nationality in the phrase names: "the Chinese CDC" is
    not the US CDC, "the Spanish newspaper ABC" is the Spanish ABC."""
    if not match.all:
        return match
    words = text.casefold().replace(",", " ").split()
    nationalities = _nationalities()
    countries = {nationalities[w] for w in words if w in nationalities}
    countries |= {nationalities[" ".join(p)] for p in zip(words, words[1:]) if " ".join(p) in nationalities}
    if not countries or not match.all:
        return match
    keep = [e for e in match.all if e.country is None and e.kind in _MEDIA_KINDS or e.country in countries]
    return Match(tuple(e for e in match.strong if e in keep), tuple(e for e in match.weak if e in keep))


def _nationality(word: str) -> bool:
    return word.endswith(("an", "ish", "ese", "ch", "i")) and word[:1].isupper()


def resolve(document: Document, attributions: list[Attribution], registry: Registry,
            publisher: Publisher | None = None) -> Resolution:
    return Resolver(document, registry, publisher).run(attributions)
