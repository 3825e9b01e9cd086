"""A generated news archive for the --jobs and audit tests and bench/archive.

Every sentence is made up here from small phrase tables (no corpus text): year/month folders of
Markdown, HTML and plain-text articles with many paragraphs, credited and uncredited reports,
links that match or contradict the outlet named, unknown outlets, quotes, sidecars (some with
bad refs), and a few files that cannot be read (bad UTF-8, a broken sidecar). The same seed
always makes the same archive.
"""
from __future__ import annotations

import html
import random
from pathlib import Path

TOWNS = ["Harlow Bay", "Kettering Vale", "Dunmore", "Asterby", "Port Calloway", "Wrenfield", "Marsh Hollow", "Old Tarrant"]
BODIES = ["the water utility", "the city council", "the school board", "the transit authority", "the harbour trust",
          "the county health office", "the planning committee", "the fire service"]
ISSUES = ["a budget shortfall", "faulty sensors", "late bus contracts", "a disputed land sale", "rising rents",
          "a delayed bridge repair", "an overdue audit", "a hiring freeze"]
PEOPLE = ["Maren Solvik", "Imogen Tate", "Hollis Adeyemi", "Petra Lindqvist", "Dev Okonkwo", "Rosa Almeida",
          "Tomasz Wierzba", "Fenella Ashdown"]
OUTLETS = [("Reuters", "https://www.reuters.com/world/{slug}/"), ("the Associated Press", "https://apnews.com/article/{slug}"),
           ("AFP", "https://www.afp.com/en/news/{slug}"), ("Bloomberg", "https://www.bloomberg.com/news/{slug}"),
           ("UPI", "https://www.upi.com/Top_News/{slug}/")]
UNKNOWN = ["the Wrenfield Clarion", "Harlow Bay Ledger", "the Dunmore Courier"]
FILLER = ["Officials said a decision was expected before the end of the month.",
          "The meeting ran for three hours and ended without a vote.",
          "Residents packed the public gallery, and several were turned away at the door.",
          "The figures were first published in the annual report last spring.",
          "A spokesperson declined to comment further on Thursday.",
          "The plan would take effect next year if it is approved."]


def _sentence(rng: random.Random, number: int) -> tuple[str, str]:
    """One attribution sentence, as Markdown and as plain text."""
    town, body, issue, person = rng.choice(TOWNS), rng.choice(BODIES), rng.choice(ISSUES), rng.choice(PEOPLE)
    outlet, pattern = rng.choice(OUTLETS)
    slug = f"{town.lower().replace(' ', '-')}-{issue.split()[-1]}-{number}"
    url = pattern.format(slug=slug)
    kind = rng.randrange(9)
    if kind == 0:
        text = f"{town}'s {body} knew of {issue} for a year, {outlet} reported on Tuesday."
        return text.replace(f"{outlet} reported", f"[{outlet} reported]({url})"), text
    if kind == 1:
        text = f"According to {outlet}, {body} in {town} has opened a review of {issue}."
        return text.replace(f"According to {outlet}", f"According to [{outlet}]({url})"), text
    if kind == 2:
        text = f"{body.capitalize()} in {town} reportedly ignored warnings about {issue}."
        return text, text
    if kind == 3:
        wrong_outlet, wrong = rng.choice(OUTLETS)
        text = f"{outlet} reported that {person} had resigned over {issue}."
        linked = wrong.format(slug=slug)  # sometimes the link is another outlet's page (CL102)
        return text.replace(f"{outlet} reported", f"[{outlet} reported]({linked})"), text
    if kind == 4:
        unknown = rng.choice(UNKNOWN)
        text = f"{unknown.capitalize() if unknown.startswith('the') else unknown} said that {issue} would cost {town} millions."
        return text, text
    if kind == 5:
        text = f"\u201cWe were told nothing about {issue},\u201d {person} told {outlet}."
        return text, text
    if kind == 6:
        text = f"Sources said {body} in {town} had been warned about {issue} twice."
        return text, text
    if kind == 7:
        text = f"RT reported that {town} would cancel its elections because of {issue}."
        return text.replace("RT reported", "[RT reported](https://www.rt.com/news/{})".format(slug)), text
    text = f"{person}, who chairs {body}, said the review of {issue} would be published in full."
    return text, text


def article(rng: random.Random, number: int, paragraphs: int) -> tuple[str, str, str]:
    """(title, Markdown body, plain-text body) of one article."""
    title = f"{rng.choice(TOWNS)}: {rng.choice(BODIES)} and {rng.choice(ISSUES)} ({number})"
    md, plain = [], []
    for p in range(paragraphs):
        parts_md, parts_plain = [], []
        for s in range(rng.randrange(2, 5)):
            if rng.random() < 0.4:
                m, t = _sentence(rng, number * 100 + p * 10 + s)
            else:
                m = t = rng.choice(FILLER)
            parts_md.append(m)
            parts_plain.append(t)
        md.append(" ".join(parts_md))
        plain.append(" ".join(parts_plain))
    return title, "\n\n".join(md), "\n\n".join(plain)


def as_html(title: str, plain: str, number: int) -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in plain.split("\n\n"))
    teasers = "".join(f'<li><a href="/news/{number}-{k}">More: council delays vote {k}</a></li>' for k in range(5))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head><body>'
            f'<nav><ul>{teasers}</ul></nav><main><article><h1>{html.escape(title)}</h1>{body}</article></main>'
            f'<footer><p>The Generated Gazette</p></footer></body></html>')


def build(root: Path, count: int, seed: int = 14, paragraphs: tuple[int, int] = (4, 12), broken: bool = True) -> int:
    """Write ``count`` articles under ``root``; returns the bytes written."""
    rng = random.Random(seed)
    size = 0
    for n in range(count):
        folder = root / f"{2000 + n // 1200}" / f"{n // 100 % 12 + 1:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        title, md, plain = article(rng, n, rng.randint(*paragraphs))
        kind = n % 10
        if kind < 7:
            path, data = folder / f"story-{n:06d}.md", f"# {title}\n\n{md}\n"
        elif kind < 9:
            path, data = folder / f"story-{n:06d}.html", as_html(title, plain, n)
        else:
            path, data = folder / f"story-{n:06d}.md", f"# {title}\n\n{plain}\n"
            sidecar = ('[[source]]\nref = "reuters"\nurl = "https://www.reuters.com/world/sidecar-{n}/"\n\n'
                       '[[source]]\nref = "no-such-outlet"\nurl = "https://example.org/{n}"\n').format(n=n)
            (folder / f"story-{n:06d}.sources.toml").write_text(sidecar, encoding="utf-8")
        encoded = data.encode("utf-8")
        if broken and n % 97 == 50:
            encoded = encoded[:40] + b"\xff\xfe bad bytes" + encoded[40:]  # not UTF-8: an input error
        if broken and n % 83 == 41:
            (folder / f"story-{n:06d}.sources.toml").write_text("[[source]\nref = ", encoding="utf-8")  # broken TOML
        path.write_bytes(encoded)
        size += len(encoded)
    return size


def long_article(size: int, seed: int = 7) -> dict[str, str]:
    """One article of at least ``size`` bytes (of plain text) in each format: ``{"md", "txt", "html"}``.

    Made of the archive's paragraphs, so about a third of its sentences are attributions (a
    10 MB article has ~80,000): for memory tests and bench/memory."""
    rng = random.Random(seed)
    md, plain = [], []
    written = number = 0
    while written < size:
        _, m, p = article(rng, number, 40)
        md.append(m)
        plain.append(p)
        written += len(p.encode("utf-8")) + 2
        number += 1
    title = "A long generated article"
    body = "\n\n".join(plain)
    return {"md": f"# {title}\n\n" + "\n\n".join(md) + "\n", "txt": f"{title}\n\n{body}\n", "html": as_html(title, body, 1)}


_MESSY = [
    "Councillors reportedly met in secret, [the Associated Press](https://apnews.com/article/x-{n}) reported.",
    "According to [Reuters](https://www.reuters.com/world/same/), the plan failed. "
    "[Reuters](https://www.reuters.com/world/same/) later said it was revived.",
    "\u201cWe had no warning,\u201d [Maren Solvik](https://example.org/solvik) told the *Harlow Bay Ledger*. Sources said the board knew.",
    "> \u201cThe figures are wrong,\u201d the mayor said, as reported by the AP.\n> Critics say the review was rushed.",
    "```\nReuters reported nothing here\n```",
    "<!-- citelint: disable-next-line CL201 -->\nThe deal was reportedly signed &mdash; Bloomberg&rsquo;s reporters said so.",
    "It is widely believed that RT reported the cancellation, [RT said](https://www.rt.com/news/{n}).",
    "WASHINGTON (AP) \u2014 Officials said the bridge would reopen; a source said the **Reu**ters story was wrong.",
    "- The Guardian reported the leak\n- The BBC said it was false\n- Experts believe neither",
    "See https://apnews.com/article/x-1 and [AFP](https://www.afp.com/en/news/y) for more; the Dunmore Courier said `code` is fine.",
]


def messy_markdown(paragraphs: int, seed: int = 3) -> str:
    """A long Markdown article with everything at once: many citations, the same URL twice,
    links around names, entities, block quotes, code, lists, a suppression, front matter."""
    rng = random.Random(seed)
    parts = []
    for n in range(paragraphs):
        k = n % (len(_MESSY) + 1)
        parts.append(_MESSY[k].format(n=n) if k < len(_MESSY) else article(rng, n, 1)[1])
    return "---\ntitle: Messy\ndate: 2024-03-05\n---\n# Council reportedly delays vote\n\n" + "\n\n".join(parts) + "\n"
