"""Real-looking news pages and sentences, generated (made-up towns, people and figures; no corpus
text): used by bench/verify and bench/verify-accuracy. Deterministic for a given seed."""
from __future__ import annotations

import html
import random
from dataclasses import dataclass

TOWNS = ["Harrowgate", "Linmouth", "Carrick Bay", "Eastwold", "Pellham", "Brannock", "Ostrey", "Tullin Cross",
         "Marrowby", "Kestle", "Wenlow", "Durrance", "Ashcombe", "Fenwick Vale", "Saltrigg", "Corran"]
FIRST = ["Ana", "Tomas", "Mara", "Idris", "Helen", "Jonah", "Priya", "Oskar", "Leila", "Callum", "Ines", "Rafael",
         "Greta", "Samuel", "Noor", "Viktor", "Elena", "Kwame", "Sofia", "Declan"]
LAST = ["Ruiz", "Calder", "Okafor", "Lindqvist", "Brennan", "Haddad", "Novak", "Ferreira", "Ashworth", "Quint",
        "Moreau", "Sato", "Delaney", "Whitcombe", "Osei", "Varga", "Kowalski", "Abernethy", "Larkin", "Mendes"]
ROLES = ["the council leader", "the harbour master", "a spokesperson for the ministry", "the union's secretary",
         "the chief executive", "the mayor", "the head of the inquiry", "the finance director", "a senior engineer",
         "the chair of the board", "the regional police commander", "the health minister"]
TOPICS = ["the ferry contract", "the hospital budget", "the flood barrier", "the bus depot sale", "the school merger",
          "the harbour dredging", "the wind farm licence", "the pension fund review", "the rail timetable",
          "the water treatment plant", "the housing plan", "the port strike"]
VERBS = ["said", "told reporters", "said in a statement", "told the committee", "wrote in a letter", "said on Tuesday"]
CLAIMS = [
    "we will not sign {topic} until every cost has been published and checked by an independent auditor",
    "the decision on {topic} was taken too quickly and without the consultation that residents were promised",
    "nobody in {town} should have to wait another winter for {topic} to be settled",
    "the figures we were given for {topic} did not include the cost of repairs after the storms in March",
    "we have asked the regulator to look again at {topic} because the tender process was not open enough",
    "I expect the work on {topic} to start before the end of the year if the funding is approved next month",
    "the people of {town} deserve a straight answer about {topic} and they have not had one yet",
    "there is no money left in this year's budget for {topic} unless other services are cut",
    "our engineers found that {topic} would need at least {n} more workers to be finished on time",
    "the council has spent {n} thousand pounds on consultants for {topic} and has little to show for it",
    "we are confident that {topic} will save the town about {n} million pounds over ten years",
    "the families who live near {topic} were never told that the deadline had been moved again",
]
FILLER = [
    "The proposal was first put forward in {year} and has been revised {n} times since then.",
    "Officials in {town} said the next public meeting would be held in the library hall on Thursday evening.",
    "Opposition members called for a full review of the spending before any further payments are made.",
    "Local businesses said the delays had already cost them customers during the busy summer months.",
    "The regional authority has not yet published its own assessment of the plans.",
    "Residents gathered outside the town hall on Monday to hear the committee's decision.",
    "A report presented to the committee showed that costs had risen by {n} per cent in two years.",
    "The contract is due to be reviewed again when the current agreement ends next spring.",
    "Several councillors abstained in the vote, citing a lack of detailed figures.",
    "The scheme is partly funded by a grant from the national infrastructure fund.",
]


@dataclass(frozen=True)
class Quote:
    speaker: str
    role: str
    words: str  # the page's exact words (no quote marks)


@dataclass(frozen=True)
class Page:
    title: str
    html: str
    quotes: tuple[Quote, ...]


def sentence(rng: random.Random, template: str, town: str, topic: str) -> str:
    return template.format(town=town, topic=topic, n=rng.randint(3, 90), year=rng.randint(2009, 2023))


def page(seed: int, paragraphs: int = 14, quotes: int = 3) -> Page:
    """One news page: a title, navigation, paragraphs of reporting and ``quotes`` quoted claims."""
    rng = random.Random(seed)
    town, topic = rng.choice(TOWNS), rng.choice(TOPICS)
    title = f"{town} {rng.choice(['delays', 'approves', 'rejects', 'reviews'])} {topic.removeprefix('the ')} ({seed})"
    said: list[Quote] = []
    body: list[str] = []
    claims = rng.sample(CLAIMS, quotes)
    for i in range(paragraphs):
        if i % (paragraphs // max(quotes, 1) or 1) == 1 and len(said) < quotes:
            person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            role = rng.choice(ROLES)
            words = sentence(rng, claims[len(said)], town, topic)
            words = words[0].upper() + words[1:]
            said.append(Quote(person, role, words))
            body.append(f"<p>“{html.escape(words)},” {html.escape(person)}, {role}, {rng.choice(VERBS)}.</p>")
        else:
            body.append("<p>" + " ".join(html.escape(sentence(rng, rng.choice(FILLER), town, topic))
                                         for _ in range(rng.randint(2, 4))) + "</p>")
    markup = (f"<!doctype html><html><head><meta charset=utf-8><title>{html.escape(title)}</title>"
              "<script>window.dataLayer=[];</script><style>p{margin:0}</style></head><body>"
              "<nav><a href=/>Home</a> <a href=/news>News</a> <a href=/sport>Sport</a></nav>"
              f"<article><h1>{html.escape(title)}</h1><p class=byline>By {rng.choice(FIRST)} {rng.choice(LAST)}</p>"
              + "".join(body) + "</article><footer>© The Gazette. All rights reserved.</footer></body></html>")
    return Page(title, markup, tuple(said))
