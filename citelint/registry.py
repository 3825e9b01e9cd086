"""The registry of known sources: the embedded default plus newsroom files, by name or URL."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from citelint.inputs import MB, ReadError, loads_toml, read_text

_MAX_BYTES = 20 * MB  # a newsroom's source list; the built-in registry is under 100 KB
KINDS = ("wire", "newspaper", "broadcaster", "magazine", "digital", "agency", "government", "organization")
STATUSES = ("reliable", "mixed", "unreliable", "deprecated", "unknown")
_REQUIRED: dict[str, type] = {"id": str, "name": str}
_OPTIONAL: dict[str, type] = {
    "aliases": list,
    "weak_aliases": list,
    "domains": list,
    "kind": str,
    "status": str,
    "country": str,
}
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_POSSESSIVE = re.compile(r"['’]s$|(?<=s)['’]$")  # "AP's" -> "AP", "Reuters'" -> "Reuters"


class RegistryError(Exception):
    """A registry file that cannot be used; the message names file, line and key."""


@dataclass(frozen=True)
class Entry:
    """One known source. ``weak_aliases`` are names it shares with a better-known entry:
    they select it only when a link, sidecar entry or dateline points at it."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    weak_aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    kind: str = "organization"
    status: str = "unknown"
    country: str | None = None
    origin: str = "builtin"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@lru_cache(maxsize=8192)  # the same names recur in every article
def normalize_name(text: str) -> str:
    """The comparable form of a source name: no leading "the", no possessive, single spaces."""
    text = " ".join(text.replace("\u00a0", " ").replace("’", "'").replace("‘", "'").split())
    text = _POSSESSIVE.sub("", text) if len(text) > 3 else text
    if text[:4].lower() == "the ":
        text = text[4:]
    return text.strip(" .,;:")


def _is_capitals(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(alias.replace(" ", "")) <= 6


@dataclass(frozen=True)
class Match:
    """What a name resolves to: strong candidates first, weak ones for context to pick."""

    strong: tuple[Entry, ...]
    weak: tuple[Entry, ...]

    @property
    def all(self) -> tuple[Entry, ...]:
        return self.strong + tuple(e for e in self.weak if e not in self.strong)


class Registry:
    """Entries by id, with lookups by name (aliases, case rules) and by URL (domains)."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries: dict[str, Entry] = {}
        self._name_cache: dict[str, Match] = {}
        self._url_cache: dict[str, Entry | None] = {}  # resolution and CL102 ask about the same URLs
        # Phrases the resolver matched by their last words ("the Spanish newspaper ABC"), kept
        # here because they depend only on these entries and recur from article to article.
        self.tail_matches: dict[str, Match] = {}
        for entry in entries:
            self.entries[entry.id] = entry  # later files override by id

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    @cached_property
    def _by_name(self) -> dict[str, list[tuple[Entry, str, bool, bool]]]:
        """Folded name -> [(entry, alias normalised, strong?, written with "The"?)]; case rules
        apply at lookup."""
        table: dict[str, list[tuple[Entry, str, bool, bool]]] = {}
        for entry in self.entries.values():
            for alias, strong in [(n, True) for n in entry.names] + [(n, False) for n in entry.weak_aliases]:
                key = normalize_name(alias)
                if not key:
                    continue
                table.setdefault(key.casefold(), []).append((entry, key, strong, alias[:4] == "The "))
        return table

    def lookup_name(self, text: str) -> Match:
        """Entries whose name or alias is ``text`` (cached: the same names recur in every article)."""
        cached = self._name_cache.get(text)
        if cached is None:
            if len(self._name_cache) > 20_000:  # bounded: an archive has millions of names
                self._name_cache.clear()
            cached = self._name_cache[text] = self._lookup_name(text)
        return cached

    def _lookup_name(self, text: str) -> Match:
        """Entries whose name or alias is ``text`` (after normalisation).

        An all-capital alias (AP, BBC, RT) matches only in capitals; other names match
        when their first letter is a capital in the text, so "the times" in running prose
        is not The Times. A name its owner writes in lowercase ("dpa", "la Repubblica")
        matches exactly as written.
        """
        indefinite = text[:2].lower() == "a " or text[:3].lower() == "an "  # "a Times article"
        key = normalize_name(text.split(None, 1)[1] if indefinite and " " in text.strip() else text)
        if not key:
            return Match((), ())
        lowercase = not key[0].isupper() and not key[0].isdigit()
        rows = self._by_name.get(key.casefold())
        if not rows:
            return Match((), ())
        strong: list[Entry] = []
        weak: list[Entry] = []
        has_article = " ".join(text.split())[:4].lower() == "the "
        for entry, alias, is_strong, with_the in rows:
            if with_the and not has_article and " " not in alias and (is_strong or not indefinite):
                # "Hill said" is a person, "Star" a word: The Hill and The Star are written with
                # their article. "A Times article" may be any paper that "the Times" can be, but
                # is not The Times by that name alone.
                continue
            if lowercase and key != alias:
                continue
            if _is_capitals(alias) and key != alias:
                continue
            if not _is_capitals(alias) and _is_capitals(key) and len(key) <= 6 and key != alias:
                continue  # "ABC" typed in capitals does not match a mixed-case alias "Abc"
            target = strong if is_strong else weak
            if entry not in target:
                target.append(entry)
        return Match(tuple(strong), tuple(e for e in weak if e not in strong))

    @cached_property
    def first_words(self) -> frozenset[str]:
        """The folded first word of every name and alias: a cheap test before a lookup."""
        return frozenset(key.split()[0] for key in self._by_name)

    @cached_property
    def _domains(self) -> dict[str, list[tuple[str, Entry]]]:
        table: dict[str, list[tuple[str, Entry]]] = {}
        for entry in self.entries.values():
            for domain in entry.domains:
                host, _, path = domain.lower().partition("/")
                table.setdefault(host, []).append(("/" + path if path else "", entry))
        for rows in table.values():
            rows.sort(key=lambda r: -len(r[0]))
        return table

    def lookup_url(self, url: str) -> Entry | None:
        """The entry owning the URL's host (subdomains included; path-scoped domains win)."""
        try:
            return self._url_cache[url]
        except KeyError:
            pass
        if len(self._url_cache) >= 20_000:
            self._url_cache.clear()  # bounded: an archive run sees millions of URLs once each
        entry = self._url_cache[url] = self._lookup_url(url)
        return entry

    def _lookup_url(self, url: str) -> Entry | None:
        try:
            parts = urlsplit(url.strip())
            host = (parts.hostname or "").lower().rstrip(".")
        except ValueError:
            return None
        path = (parts.path or "/").lower()  # scoped paths are stored lowercased
        labels = host.split(".")
        for i in range(len(labels) - 1):
            rows = self._domains.get(".".join(labels[i:]))
            if rows:
                for prefix, entry in rows:
                    if not prefix or path == prefix or path.startswith(prefix + "/"):
                        return entry
        return None

    @cached_property
    def name_pattern(self) -> re.Pattern[str]:
        """One compiled alternation of every name and alias, longest first (built lazily)."""
        names: set[str] = set()
        for entry in self.entries.values():
            for alias in (*entry.names, *entry.weak_aliases):
                key = normalize_name(alias)
                if len(key) >= 2:
                    names.add(key)
        alternation = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True))
        return re.compile(rf"(?<![\w&])(?:(?i:the)\s+)?(?:{alternation})(?:['’]s?)?(?![\w&])", re.IGNORECASE)

    def search(self, query: str) -> list[Entry]:
        """Entries matching a name, an id, a URL or a substring of a name (for ``citelint sources``)."""
        query = query.strip()
        if "/" in query or "." in query and " " not in query:
            url = query if "://" in query else "https://" + query
            hit = self.lookup_url(url)
            if hit:
                return [hit]
        if query.lower() in self.entries:
            return [self.entries[query.lower()]]
        match = self.lookup_name(query[:1].upper() + query[1:] if query else query)
        if match.all:
            return list(match.all)
        folded = query.casefold()
        return [e for e in self.entries.values() if any(folded in n.casefold() for n in e.names)]


def _line_of(text: str, table_index: int, key: str | None) -> int:
    """Line number of the n-th ``[[source]]`` table (or of ``key`` inside it)."""
    lines = text.splitlines()
    seen = -1
    for number, line in enumerate(lines, 1):
        if line.strip().startswith("[[source]]"):
            seen += 1
            if seen == table_index:
                if key is None:
                    return number
                for offset, inner in enumerate(lines[number:], number + 1):
                    stripped = inner.strip()
                    if stripped.startswith("["):
                        break
                    if re.match(rf"[\"']?{re.escape(key)}[\"']?\s*=", stripped):
                        return offset
                return number
    return 1


def parse_entries(text: str, origin: str) -> list[Entry]:
    """Entries from one registry file's text; raises RegistryError naming file, line and key."""
    try:
        data = loads_toml(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{origin}: invalid TOML: {exc}") from None
    unknown_top = [k for k in data if k != "source"]
    if unknown_top:
        raise RegistryError(f"{origin}: unknown top-level key {unknown_top[0]!r} (expected [[source]] tables)")
    tables = data.get("source", [])
    if not isinstance(tables, list):
        raise RegistryError(f"{origin}:{_line_of(text, 0, None)}: 'source' must be an array of tables ([[source]])")
    entries = []
    for index, table in enumerate(tables):
        def fail(key: str | None, why: str) -> RegistryError:
            where = f"{origin}:{_line_of(text, index, key)}"
            return RegistryError(f"{where}: {why}" if key is None else f"{where}: key {key!r}: {why}")

        for key in table:
            if key not in _REQUIRED and key not in _OPTIONAL:
                allowed = ", ".join([*_REQUIRED, *_OPTIONAL])
                raise fail(key, f"unknown key (allowed: {allowed})")
        for key, typ in _REQUIRED.items():
            if key not in table:
                raise fail(None, f"source #{index + 1} has no {key!r}")
            if not isinstance(table[key], typ) or not table[key].strip():
                raise fail(key, "must be a non-empty string")
        for key, typ in _OPTIONAL.items():
            value = table.get(key)
            if value is None:
                continue
            if not isinstance(value, typ):
                raise fail(key, f"must be a {'list of strings' if typ is list else 'string'}")
            if isinstance(value, list) and not all(isinstance(v, str) and v.strip() for v in value):
                raise fail(key, "must be a list of non-empty strings")
        if not _ID.match(table["id"]):
            raise fail("id", f"{table['id']!r} is not a lowercase id (letters, digits, '.', '_', '-')")
        kind = table.get("kind", "organization")
        if kind not in KINDS:
            raise fail("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
        status = table.get("status", "unknown")
        if status not in STATUSES:
            raise fail("status", f"{status!r} is not one of {', '.join(STATUSES)}")
        domains = []
        for domain in table.get("domains", []):
            cleaned = domain.strip().lower()
            if "://" in cleaned or " " in cleaned or "." not in cleaned.partition("/")[0]:
                raise fail("domains", f"{domain!r} is not a domain (write 'apnews.com', not a URL)")
            domains.append(cleaned.removeprefix("www.").rstrip("/"))
        entries.append(
            Entry(
                id=table["id"],
                name=table["name"].strip(),
                aliases=tuple(a.strip() for a in table.get("aliases", [])),
                weak_aliases=tuple(a.strip() for a in table.get("weak_aliases", [])),
                domains=tuple(domains),
                kind=kind,
                status=status,
                country=table.get("country"),
                origin=origin,
            )
        )
    return entries


def load_registry(extra_files: list[str] | tuple[str, ...] = ()) -> Registry:
    """The embedded registry plus ``extra_files`` in order (later ids override earlier ones)."""
    builtin = resources.files("citelint.data").joinpath("registry.toml").read_text(encoding="utf-8")
    entries = parse_entries(builtin, "<builtin registry>")
    for name in extra_files:
        path = Path(name)
        try:
            text = read_text(path, _MAX_BYTES)
        except ReadError as exc:
            if exc.missing:
                raise RegistryError(f"{name}: source list not found") from None
            raise RegistryError(f"{name}: cannot read source list: {exc.message}") from None
        entries.extend(parse_entries(text, name))
    return Registry(entries)
