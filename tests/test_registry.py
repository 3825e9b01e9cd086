"""The embedded source registry and dateline table: data quality, lookups, and loader errors.

Expected answers are written from knowledge of the outlets, not read back from the data.
"""
from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from importlib import resources
from pathlib import Path

import pytest

from citelint.registry import (
    KINDS,
    STATUSES,
    Entry,
    Registry,
    RegistryError,
    load_registry,
    normalize_name,
    parse_entries,
)

DATA = resources.files("citelint.data")
REGISTRY_TEXT = DATA.joinpath("registry.toml").read_text(encoding="utf-8")
DATELINES_TEXT = DATA.joinpath("datelines.toml").read_text(encoding="utf-8")

# Every name that selects more than one entry on its own. Reviewed: each is a real name shared
# by real outlets, and a link or dateline tells them apart (rule CL104 fires otherwise).
# Keys are folded names (no leading "the", casefolded). Mirrors the list atop registry.toml.
REVIEWED_STRONG_COLLISIONS = {
    "abc": {"abc-us", "abc-au", "abc-es"},
    "cna": {"cna-tw", "cna-sg"},
    "daily star": {"daily-star-uk", "daily-star-bd"},
}

# Names that only weak aliases carry, shared by several outlets: a bare mention is ambiguous
# until context decides. A weak alias held by exactly one entry and no strong owner would
# resolve on its own (the resolver takes a lone weak candidate), so it is not allowed.
REVIEWED_WEAK_ONLY = {
    "post": {"wapo", "nypost", "jpost", "national-post", "scmp", "bangkok-post", "jakarta-post", "kyiv-post", "kathmandu-post"},
    "star": {"toronto-star", "the-star-my"},
    "standard": {"evening-standard", "standard-hk", "standard-ke"},
    "globe": {"boston-globe", "globe-and-mail"},
    "journal": {"wsj", "thejournal-ie"},
    "tribune": {"chicago-tribune", "express-tribune"},
    "inquirer": {"philly-inquirer", "pdi"},
}

# A domain of one entry nested under a domain of another entry (the more specific host wins).
REVIEWED_NESTED_DOMAINS = {
    ("oglobo.globo.com", "o-globo", "globo.com", "tv-globo"),  # the newspaper's host under Grupo Globo's portal
}

# Entries without a country: international bodies only.
INTERNATIONAL = {
    "un", "who", "unicef", "unhcr", "wfp", "iaea", "imf", "world-bank", "oecd", "nato", "icrc", "msf",
    "amnesty", "hrw", "rsf", "european-commission", "eurostat",
}

# Entries allowed to have no domain, with the reason. None at present.
NO_DOMAIN: dict[str, str] = {}


def strong_keys(entry: Entry) -> set[str]:
    return {normalize_name(n).casefold() for n in entry.names}


def weak_keys(entry: Entry) -> set[str]:
    return {normalize_name(n).casefold() for n in entry.weak_aliases}


@pytest.fixture(scope="module")
def raw_tables() -> list[dict]:
    return tomllib.loads(REGISTRY_TEXT)["source"]


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_entries(REGISTRY_TEXT, "<builtin registry>")


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


def ids(entries) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.id for e in entries]


# ---------------------------------------------------------------------------------------------
# Data quality: registry.toml
# ---------------------------------------------------------------------------------------------


def test_default_registry_loads(reg: Registry) -> None:
    assert len(reg) >= 170
    assert reg.get("ap") is not None and reg.get("ap").origin == "<builtin registry>"


def test_ids_are_unique_and_lowercase(entries: list[Entry]) -> None:
    seen: dict[str, int] = defaultdict(int)
    for entry in entries:
        seen[entry.id] += 1
        assert entry.id == entry.id.lower(), entry.id
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", entry.id), entry.id
    assert [i for i, n in seen.items() if n > 1] == []


def test_every_table_states_kind_status_and_domains(raw_tables: list[dict]) -> None:
    for table in raw_tables:
        assert table.get("kind") in KINDS, table["id"]
        assert table.get("status") in STATUSES, table["id"]
        if table["id"] in NO_DOMAIN:
            assert not table.get("domains"), f"{table['id']} has domains now; drop it from NO_DOMAIN"
        else:
            assert table.get("domains"), f"{table['id']} has no domain"


def test_names_are_clean(entries: list[Entry]) -> None:
    for entry in entries:
        for name in (*entry.names, *entry.weak_aliases):
            assert name == name.strip() and "  " not in name and name, (entry.id, name)
        assert not set(entry.aliases) & set(entry.weak_aliases), entry.id
        assert not strong_keys(entry) & weak_keys(entry), f"{entry.id}: a name is both strong and weak"


def test_domains_are_bare_lowercase_hosts(raw_tables: list[dict]) -> None:
    host = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
    for table in raw_tables:
        for domain in table.get("domains", []):
            name, _, path = domain.partition("/")
            assert domain == domain.lower(), domain
            assert not name.startswith("www."), domain
            assert host.match(name), domain
            assert not path.endswith("/"), domain


def test_no_domain_is_claimed_twice(entries: list[Entry]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for domain in entry.domains:
            owners[domain].add(entry.id)
    assert {d: o for d, o in owners.items() if len(o) > 1} == {}


def test_nested_domains_are_reviewed(entries: list[Entry]) -> None:
    hosts = [(d, e.id) for e in entries for d in e.domains if "/" not in d]
    nested = set()
    for inner, inner_id in hosts:
        for outer, outer_id in hosts:
            if inner_id != outer_id and inner.endswith("." + outer):
                nested.add((inner, inner_id, outer, outer_id))
    assert nested == REVIEWED_NESTED_DOMAINS


def test_path_scoped_domains_are_deliberate(entries: list[Entry]) -> None:
    scoped = sorted((d, e.id) for e in entries for d in e.domains if "/" in d)
    assert scoped == [
        ("ec.europa.eu/eurostat", "eurostat"),
        ("theguardian.com/theobserver", "observer"),
        ("yahoo.com/news", "yahoo-news"),
    ]


def test_strong_collisions_are_exactly_the_reviewed_ones(entries: list[Entry]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for key in strong_keys(entry):
            owners[key].add(entry.id)
    collisions = {key: ids for key, ids in owners.items() if len(ids) > 1}
    assert collisions == REVIEWED_STRONG_COLLISIONS


def test_weak_aliases_never_stand_alone_by_accident(entries: list[Entry]) -> None:
    strong: dict[str, set[str]] = defaultdict(set)
    weak: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for key in strong_keys(entry):
            strong[key].add(entry.id)
        for key in weak_keys(entry):
            weak[key].add(entry.id)
    weak_only = {key: ids for key, ids in weak.items() if key not in strong}
    assert weak_only == REVIEWED_WEAK_ONLY
    assert all(len(ids) >= 2 for ids in weak_only.values())


def test_country_codes(entries: list[Entry]) -> None:
    for entry in entries:
        if entry.id in INTERNATIONAL:
            assert entry.country is None, entry.id
        else:
            assert entry.country is not None and re.fullmatch(r"[A-Z]{2}", entry.country), (entry.id, entry.country)


def test_flagged_statuses_carry_a_reason() -> None:
    for number, line in enumerate(REGISTRY_TEXT.splitlines(), 1):
        if re.match(r'status = "(deprecated|unreliable|mixed)"', line):
            assert re.search(r"#\s*\S{3,}", line), f"line {number}: say why ({line!r})"


def test_documented_statuses(reg: Registry) -> None:
    deprecated = ["rt", "sputnik", "daily-mail", "the-sun", "global-times", "cgtn", "breitbart", "infowars",
                  "press-tv", "telesur", "daily-caller", "epoch-times", "newsmax", "oann"]
    for entry_id in deprecated:
        assert reg.get(entry_id).status == "deprecated", entry_id
    for entry_id in ["ap", "reuters", "afp", "bbc", "nyt", "wapo", "guardian", "ft", "economist", "npr"]:
        assert reg.get(entry_id).status == "reliable", entry_id
    assert reg.get("nypost").status == "unreliable"
    assert reg.get("fox-news").status == "mixed"
    assert reg.get("xinhua").status == "mixed"


def test_coverage_of_the_usual_sources(reg: Registry) -> None:
    required = """
        ap reuters afp dpa efe ansa kyodo jiji yonhap xinhua tass ria-novosti interfax pti ani uni ians
        aap canadian-press anp belga apa anadolu wafa kuna spa mena irna bernama antara pna cna-tw
        europa-press bloomberg upi
        nyt wapo wsj usa-today latimes chicago-tribune boston-globe nypost politico axios the-hill
        propublica the-intercept buzzfeed-news huffpost vox vice cnn fox-news nbc-news cbs-news abc-us
        msnbc npr pbs atlantic new-yorker time newsweek economist
        guardian observer times-uk telegraph independent ft daily-mail the-sun daily-mirror
        evening-standard bbc sky-news itv-news channel4-news
        globe-and-mail toronto-star national-post cbc ctv smh the-age the-australian abc-au sbs
        irish-times irish-independent rte toi hindustan-times the-hindu indian-express ndtv
        spiegel zeit faz sueddeutsche bild dw ard zdf le-monde le-figaro liberation france24 rfi
        el-pais el-mundo abc-es la-vanguardia rtve corriere repubblica la-stampa rai
        nhk asahi yomiuri mainichi nikkei japan-times china-daily global-times cgtn peoples-daily scmp
        caixin rt sputnik kommersant novaya-gazeta meduza moscow-times
        al-jazeera al-arabiya haaretz times-of-israel jpost arab-news the-national-ae middle-east-eye
        clarin la-nacion-ar folha o-globo estadao el-universal-mx reforma el-tiempo semana
        el-comercio-pe infobae telesur
        voa rferl kbs svt nrk yle dr france-televisions un who
        orlando-sentinel des-moines-register tampa-bay-times star-tribune seattle-times sf-chronicle
        dallas-morning-news houston-chronicle ajc denver-post arizona-republic oregonian
    """.split()
    assert [i for i in required if reg.get(i) is None] == []


def test_abc_candidates_can_be_told_apart(reg: Registry) -> None:
    abcs = [reg.get(i) for i in ("abc-us", "abc-au", "abc-es")]
    assert [e.country for e in abcs] == ["US", "AU", "ES"]
    assert all(e.domains for e in abcs)


# ---------------------------------------------------------------------------------------------
# Data quality: datelines.toml
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cities() -> dict[str, str]:
    data = tomllib.loads(DATELINES_TEXT)
    assert list(data) == ["cities", "nationalities"]
    return data["cities"]


def test_nationalities_name_countries_the_registry_uses(reg: Registry) -> None:
    nationalities = tomllib.loads(DATELINES_TEXT)["nationalities"]
    assert all(key == key.lower() and len(code) == 2 and code.isupper() for key, code in nationalities.items())
    used = {e.country for e in reg.entries.values() if e.country}
    assert {"US", "GB", "CN", "ES", "AU"} <= used & set(nationalities.values())


def test_datelines_shape(cities: dict[str, str]) -> None:
    assert len(cities) >= 200
    for place, code in cities.items():
        assert isinstance(code, str) and re.fullmatch(r"[A-Z]{2}", code), (place, code)
        assert place == place.upper() == " ".join(place.split()), place


def test_datelines_known_places(cities: dict[str, str]) -> None:
    expected = {
        "WASHINGTON": "US", "NEW YORK": "US", "LOS ANGELES": "US", "UNITED NATIONS": "US",
        "LONDON": "GB", "PARIS": "FR", "MADRID": "ES", "SYDNEY": "AU", "CANBERRA": "AU",
        "TORONTO": "CA", "OTTAWA": "CA", "NEW DELHI": "IN", "MUMBAI": "IN", "BERLIN": "DE",
        "ROME": "IT", "TOKYO": "JP", "BEIJING": "CN", "MOSCOW": "RU", "JERUSALEM": "IL",
        "DUBAI": "AE", "MEXICO CITY": "MX", "BUENOS AIRES": "AR", "SAO PAULO": "BR",
        "SÃO PAULO": "BR", "DUBLIN": "IE", "GENEVA": "CH", "BRUSSELS": "BE", "KYIV": "UA",
        "KIEV": "UA", "HONG KONG": "HK", "TAIPEI": "TW", "SEOUL": "KR", "NAIROBI": "KE",
        "JOHANNESBURG": "ZA", "CAIRO": "EG", "ISTANBUL": "TR", "TEHRAN": "IR", "DOHA": "QA",
        "BOGOTA": "CO", "BOGOTÁ": "CO", "LIMA": "PE", "SANTIAGO": "CL", "WELLINGTON": "NZ",
        "VATICAN CITY": "VA", "ST. LOUIS": "US", "N'DJAMENA": "TD",
    }
    assert {k: cities.get(k) for k in expected} == expected


def test_datelines_leave_out_ambiguous_places(cities: dict[str, str]) -> None:
    for place in ("BIRMINGHAM", "PORTLAND", "TRIPOLI", "HYDERABAD", "SAN JOSE", "VALENCIA", "GEORGETOWN"):
        assert place not in cities, place


def test_registry_countries_of_colliding_names_have_datelines(cities: dict[str, str], reg: Registry) -> None:
    # A collision is only decidable by dateline when the candidates' countries appear as dateline countries.
    countries = set(cities.values())
    for ids_ in REVIEWED_STRONG_COLLISIONS.values():
        for entry_id in ids_:
            assert reg.get(entry_id).country in countries, entry_id


# ---------------------------------------------------------------------------------------------
# Lookups by name
# ---------------------------------------------------------------------------------------------


def strong(reg: Registry, text: str) -> list[str]:
    return ids(reg.lookup_name(text).strong)


def weak(reg: Registry, text: str) -> list[str]:
    return ids(reg.lookup_name(text).weak)


@pytest.mark.parametrize("text", ["the AP", "the AP's", "AP", "Associated Press", "The Associated Press",
                                  "the Associated Press's", "AP’s"])
def test_lookup_associated_press(reg: Registry, text: str) -> None:
    assert strong(reg, text) == ["ap"]
    assert weak(reg, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Reuters", "reuters"),
        ("Reuters'", "reuters"),
        ("NYT", "nyt"),
        ("The New York Times", "nyt"),
        ("The New York Times's", "nyt"),
        ("the New York Times'", "nyt"),
        ("New York Times", "nyt"),
        ("WaPo", "wapo"),
        ("The Washington Post", "wapo"),
        ("the BBC", "bbc"),
        ("BBC News", "bbc"),
        ("the BBC's", "bbc"),
        ("Al Jazeera", "al-jazeera"),
        ("Al-Jazeera", "al-jazeera"),
        ("AFP", "afp"),
        ("Agence France-Presse", "afp"),
        ("the FT", "ft"),
        ("WSJ", "wsj"),
        ("CNN", "cnn"),
        ("NPR", "npr"),
        ("PBS", "pbs"),
        ("dpa", "dpa"),
        ("DPA", "dpa"),
        ("TASS", "tass"),
        ("Tass", "tass"),
        ("Xinhua", "xinhua"),
        ("Kyodo", "kyodo"),
        ("EFE", "efe"),
        ("ANSA", "ansa"),
        ("la Repubblica", "repubblica"),
        ("La Repubblica", "repubblica"),
        ("teleSUR", "telesur"),
        ("Der Spiegel", "spiegel"),
        ("Süddeutsche Zeitung", "sueddeutsche"),
        ("RTÉ", "rte"),
        ("RTE", "rte"),
        ("TIME", "time"),
        ("Time", "time"),
        ("the Times'", "times-uk"),  # not Time magazine: the possessive of a name ending in s
        ("The Daily Mail", "daily-mail"),
        ("the Global Times", "global-times"),
        ("Sputnik", "sputnik"),
        ("Breitbart", "breitbart"),
        ("the U.N.", "un"),
        ("WHO", "who"),
        ("Australian Broadcasting Corporation", "abc-au"),
        ("ABC News", "abc-us"),
        ("Sky News", "sky-news"),
        ("The Sun", "the-sun"),
        ("The Independent", "independent"),
        ("The Telegraph", "telegraph"),
        ("The Age", "the-age"),
        ("The National", "the-national-ae"),
        ("The Nation", "the-nation-us"),
        ("The Hindu", "the-hindu"),
        ("Mail & Guardian", "mail-guardian"),
        ("RFE/RL", "rferl"),
        ("the Orlando Sentinel", "orlando-sentinel"),
        ("the Sun-Times", "chicago-sun-times"),  # not The Sun, not The Times
        ("The Post and Courier", "post-and-courier"),  # not The Post
        ("the Star-Ledger", "star-ledger"),
    ],
)
def test_lookup_one_strong_owner(reg: Registry, text: str, expected: str) -> None:
    assert strong(reg, text) == [expected]


def test_lookup_rt_is_deprecated(reg: Registry) -> None:
    match = reg.lookup_name("RT")
    assert ids(match.strong) == ["rt"]
    assert match.strong[0].status == "deprecated"
    assert strong(reg, "Russia Today") == ["rt"]


@pytest.mark.parametrize("text", ["rt", "Rt", "Ap", "ap", "the times", "times", "abc", "Abc", "who", "Who",
                                  "reuters", "bbc", "nyt", "afp", "Afp", "", "   ", "the", "The"])
def test_lookup_no_match(reg: Registry, text: str) -> None:
    match = reg.lookup_name(text)
    assert match.strong == () and match.weak == (), text


def test_afp_is_not_ap(reg: Registry) -> None:
    assert strong(reg, "AFP") == ["afp"]
    assert strong(reg, "AP") == ["ap"]
    assert "ap" not in ids(reg.lookup_name("AFP").all)
    assert "afp" not in ids(reg.lookup_name("AP").all)


def test_abc_is_three_strong_candidates(reg: Registry) -> None:
    match = reg.lookup_name("ABC")
    assert set(ids(match.strong)) == {"abc-us", "abc-au", "abc-es"}
    assert match.weak == ()
    assert set(ids(reg.lookup_name("ABC's").strong)) == {"abc-us", "abc-au", "abc-es"}


def test_abc_news_prefers_the_us_network(reg: Registry) -> None:
    match = reg.lookup_name("ABC News")
    assert ids(match.strong) == ["abc-us"]
    assert ids(match.weak) == ["abc-au"]


def test_the_guardian_is_the_uk_paper_unless_context(reg: Registry) -> None:
    match = reg.lookup_name("The Guardian")
    assert ids(match.strong) == ["guardian"]
    assert ids(match.weak) == ["guardian-ng"]
    assert strong(reg, "the Guardian's") == ["guardian"]


def test_the_times_is_the_london_paper_with_weak_sharers(reg: Registry) -> None:
    match = reg.lookup_name("The Times")
    assert ids(match.strong) == ["times-uk"]
    assert {"nyt", "latimes", "irish-times", "washington-times"} <= set(ids(match.weak))
    assert "time" not in ids(match.all)


def test_the_post_has_only_weak_candidates(reg: Registry) -> None:
    match = reg.lookup_name("The Post")
    assert match.strong == ()
    assert {"wapo", "nypost", "jpost", "scmp"} <= set(ids(match.weak))
    assert ids(reg.lookup_name("the Post's").weak) == ids(match.weak)


def test_other_shared_titles(reg: Registry) -> None:
    assert set(strong(reg, "CNA")) == {"cna-tw", "cna-sg"}
    assert set(strong(reg, "The Daily Star")) == {"daily-star-uk", "daily-star-bd"}
    assert weak(reg, "The Herald") and strong(reg, "The Herald") == ["herald-scotland"]
    assert strong(reg, "The Star") == [] and set(weak(reg, "The Star")) == {"toronto-star", "the-star-my"}
    assert strong(reg, "Politico") == ["politico"] and weak(reg, "Politico") == ["politico-eu"]
    assert strong(reg, "La Nación") == ["la-nacion-ar"] and weak(reg, "La Nación") == ["la-nacion-cr"]


def test_names_left_out_on_purpose(reg: Registry) -> None:
    for text in ("PA", "the PA", "CP", "AA", "PAP", "DR", "Fox", "Petra", "Red Cross"):
        assert reg.lookup_name(text).all == (), text


def test_name_pattern_finds_names_in_prose(reg: Registry) -> None:
    text = "The story, first reported by the AP's Cairo bureau, was picked up by Agence France-Presse."
    found = [m.group() for m in reg.name_pattern.finditer(text)]
    assert "the AP's" in found and "Agence France-Presse" in found


# ---------------------------------------------------------------------------------------------
# Lookups by URL
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://apnews.com/article/x", "ap"),
        ("https://www.apnews.com/article/x", "ap"),
        ("https://www.reuters.com/world/", "reuters"),
        ("https://edition.cnn.com/2024/05/01/world/story/index.html", "cnn"),
        ("https://abcnews.go.com/US/story?id=1", "abc-us"),
        ("https://www.abc.net.au/news/2024-05-01/story/1", "abc-au"),
        ("https://www.abc.es/espana/noticia-20240501.html", "abc-es"),
        ("https://guardian.ng/news/story/", "guardian-ng"),
        ("https://www.theguardian.com/world/2024/may/01/story", "guardian"),
        ("https://www.theguardian.com/theobserver/2019/jan/01/story", "observer"),
        ("https://www.theguardian.com/theobserver", "observer"),
        ("https://www.theguardian.com/TheObserver/2019/x", "observer"),
        ("https://www.theguardian.com/theobserverarchive", "guardian"),  # a segment, not a prefix
        ("https://observer.co.uk/news/story", "observer"),
        ("https://www.bbc.co.uk/news/articles/c0", "bbc"),
        ("https://feeds.bbci.co.uk/news/rss.xml", "bbc"),
        ("https://www.nytimes.com/2024/05/01/us/story.html", "nyt"),
        ("http://NYTimes.com./x", "nyt"),
        ("https://apnews.com:443/article/x", "ap"),
        ("https://news.yahoo.com/story-1.html", "yahoo-news"),
        ("https://www.yahoo.com/news/story-1.html", "yahoo-news"),
        ("https://oglobo.globo.com/politica/x", "o-globo"),
        ("https://g1.globo.com/politica/x", "tv-globo"),
        ("https://timesofindia.indiatimes.com/india/x.cms", "toi"),
        ("https://economictimes.indiatimes.com/news/x.cms", "economic-times"),
        ("https://ec.europa.eu/eurostat/web/main", "eurostat"),
        ("https://ec.europa.eu/commission/presscorner/x", "european-commission"),
        ("https://www.rt.com/news/1/", "rt"),
    ],
)
def test_lookup_url(reg: Registry, url: str, expected: str) -> None:
    entry = reg.lookup_url(url)
    assert entry is not None and entry.id == expected, (url, entry)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/",
        "https://apnews.com.mirror-feed.net/article/x",  # look-alike: registrable domain is mirror-feed.net
        "https://notapnews.com/x",
        "https://go.com/",  # only the abcnews host is ABC News
        "https://www.yahoo.com/newsletters/x",  # "yahoo.com/news" is a path segment, not a prefix
        "https://www.yahoo.com/",
        "https://sky.com/",
        "http://[::1",  # malformed IPv6 literal
        "http://[not-an-ip]/x",
        "not a url",
        "apnews",
        "",
        "mailto:desk@apnews.com",
    ],
)
def test_lookup_url_no_match(reg: Registry, url: str) -> None:
    assert reg.lookup_url(url) is None


# ---------------------------------------------------------------------------------------------
# Registry.search (citelint sources QUERY)
# ---------------------------------------------------------------------------------------------


def test_search_by_id(reg: Registry) -> None:
    assert ids(reg.search("bbc")) == ["bbc"]
    assert ids(reg.search("abc-au")) == ["abc-au"]
    assert ids(reg.search("NYT")) == ["nyt"]


def test_search_by_name(reg: Registry) -> None:
    assert ids(reg.search("Reuters")) == ["reuters"]
    assert ids(reg.search("reuters")) == ["reuters"]
    assert ids(reg.search("the Associated Press")) == ["ap"]
    assert set(ids(reg.search("ABC"))) == {"abc-us", "abc-au", "abc-es"}
    assert ids(reg.search("dpa")) == ["dpa"]


def test_search_by_url(reg: Registry) -> None:
    assert ids(reg.search("https://www.abc.net.au/news/1")) == ["abc-au"]
    assert ids(reg.search("apnews.com/article/x")) == ["ap"]
    assert ids(reg.search("guardian.ng")) == ["guardian-ng"]


def test_search_by_substring(reg: Registry) -> None:
    found = set(ids(reg.search("Morning")))
    assert {"smh", "scmp"} <= found
    assert ids(reg.search("zzz-no-such-source")) == []


# ---------------------------------------------------------------------------------------------
# Loader: errors name the file, the line and the key; newsroom files add and override
# ---------------------------------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "newsroom.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def load_error(path: str) -> str:
    with pytest.raises(RegistryError) as info:
        load_registry([path])
    return str(info.value)


def test_error_invalid_toml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[[source]]\nid = "x"\nname "X"\n')
    message = load_error(path)
    assert message.startswith(path + ":")
    assert "line 3" in message


def test_error_unknown_key(tmp_path: Path) -> None:
    path = write(tmp_path, '[[source]]\nid = "x"\nname = "X"\ncolour = "red"\n')
    message = load_error(path)
    assert message.startswith(f"{path}:4:")
    assert "'colour'" in message and "unknown key" in message


def test_error_missing_id_names_the_table(tmp_path: Path) -> None:
    path = write(tmp_path, '[[source]]\nid = "x"\nname = "X"\ndomains = ["x.example"]\n\n[[source]]\nname = "Y"\n')
    message = load_error(path)
    assert message.startswith(f"{path}:6:")
    assert "'id'" in message


def test_error_bad_kind(tmp_path: Path) -> None:
    path = write(tmp_path, '[[source]]\nid = "x"\nname = "X"\nkind = "paper"\nstatus = "reliable"\n')
    message = load_error(path)
    assert message.startswith(f"{path}:4:")
    assert "'kind'" in message and "'paper'" in message


def test_error_bad_status(tmp_path: Path) -> None:
    path = write(tmp_path, '[[source]]\nid = "x"\nname = "X"\nkind = "wire"\nstatus = "trusted"\n')
    message = load_error(path)
    assert message.startswith(f"{path}:5:")
    assert "'status'" in message and "'trusted'" in message


def test_error_domain_written_as_url(tmp_path: Path) -> None:
    path = write(tmp_path, '[[source]]\nid = "x"\nname = "X"\n\ndomains = ["https://x.example/"]\n')
    message = load_error(path)
    assert message.startswith(f"{path}:5:")
    assert "'domains'" in message and "https://x.example/" in message


def test_error_alias_not_a_list(tmp_path: Path) -> None:
    path = write(tmp_path, '[[source]]\nid = "x"\nname = "X"\naliases = "XX"\n')
    message = load_error(path)
    assert message.startswith(f"{path}:4:")
    assert "'aliases'" in message and "list" in message


def test_error_uppercase_id(tmp_path: Path) -> None:
    path = write(tmp_path, '[[source]]\nid = "AP"\nname = "X"\n')
    message = load_error(path)
    assert message.startswith(f"{path}:2:")
    assert "'id'" in message


def test_error_second_table_line(tmp_path: Path) -> None:
    text = '[[source]]\nid = "a"\nname = "A"\n\n[[source]]\nid = "b"\nname = "B"\nweak_aliases = [1]\n'
    message = load_error(write(tmp_path, text))
    assert ":8:" in message and "'weak_aliases'" in message


def test_error_missing_or_unreadable_file(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.toml")
    assert missing in load_error(missing)
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('[[source]]\nid = "x"\nname = "Caf\u00e9"\n'.encode("latin-1"))
    assert str(latin1) in load_error(str(latin1))


def test_newsroom_file_overrides_by_id_and_adds(tmp_path: Path, reg: Registry) -> None:
    path = write(
        tmp_path,
        """
[[source]]
id = "ap"
name = "Associated Press"
aliases = ["AP"]
domains = ["apnews.com"]
kind = "wire"
status = "mixed"
country = "US"

[[source]]
id = "harbour-times"
name = "The Harbour Times"
domains = ["harbourtimes.example", "portal.example/harbour"]
kind = "newspaper"
status = "unknown"
country = "GB"
""",
    )
    merged = load_registry([path])
    assert len(merged) == len(reg) + 1
    ap = merged.get("ap")
    assert ap.status == "mixed" and ap.origin == path
    assert ids(merged.lookup_name("AP").strong) == ["ap"]
    assert merged.lookup_name("The Associated Press").strong == (ap,)
    assert merged.lookup_url("https://ap.org/x") is None  # the override replaced the whole entry
    assert merged.lookup_url("https://apnews.com/article/x") is ap
    added = merged.get("harbour-times")
    assert ids(merged.lookup_name("the Harbour Times").strong) == ["harbour-times"]
    assert ids(merged.lookup_name("Harbour Times's").strong) == ["harbour-times"]
    assert merged.lookup_url("https://www.harbourtimes.example/2031/05/depot") is added
    assert merged.lookup_url("https://portal.example/harbour/story") is added
    assert merged.lookup_url("https://portal.example/harbourside") is None
    assert ids(merged.search("harbour-times")) == ["harbour-times"]
    assert reg.get("ap").status == "reliable"  # the default registry is untouched


def test_later_files_win(tmp_path: Path) -> None:
    first = write(tmp_path, '[[source]]\nid = "x"\nname = "First"\ndomains = ["x.example"]\n', "a.toml")
    second = write(tmp_path, '[[source]]\nid = "x"\nname = "Second"\ndomains = ["x.example"]\n', "b.toml")
    merged = load_registry([first, second])
    assert merged.get("x").name == "Second"
    assert merged.lookup_name("First").all == ()


def test_path_scoped_domain_with_capitals(tmp_path: Path) -> None:
    path = write(tmp_path, '[[source]]\nid = "x"\nname = "X Desk"\ndomains = ["portal.example/Desk"]\n')
    merged = load_registry([path])
    assert merged.lookup_url("https://portal.example/Desk/story") is merged.get("x")
