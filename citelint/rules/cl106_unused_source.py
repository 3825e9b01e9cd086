"""A source listed in the article's sidecar is never attributed in the article.

**What it flags.** A `[[source]]` of `NAME.sources.toml` that no attribution in the article
resolves to (by registry id, name or URL domain). The finding points at the sidecar line.

**Why editors care.** A leftover source usually means an attribution was cut or reworded
out of existence, or the entry has a wrong `ref`; either way the list no longer documents
the article.

**Bad:** a sidecar listing `ref = "reuters"` for a draft that never mentions Reuters.

**Good:** every listed source is named in the text ("Reuters reported …"), or the entry is removed.
Standard: project rule (the source list documents the article).
"""
from __future__ import annotations

from collections.abc import Iterator

from citelint.model import Severity
from citelint.rules.base import Context, Hit

CODE = "CL106"
SLUG = "unused-source"
SEVERITY = Severity.INFO


def check(context: Context) -> Iterator[Hit]:
    sidecar = context.document.sidecar
    if sidecar is None:
        return
    article = context.document.path.rsplit("/", 1)[-1]
    for index, source in enumerate(sidecar.sources):
        if index in context.resolution.sidecar_used:
            continue
        label = source.ref or source.name or source.url
        url = f" ({source.url})" if source.url and label != source.url else ""
        yield Hit(
            source.span,
            f"source '{label}'{url} is listed but never attributed in {article}; attribute it or remove the entry",
            path=sidecar.path,
        )
