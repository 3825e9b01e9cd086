"""Markdown inline markup: comments, code spans, escapes, raw HTML, links and images,
autolinks, tags, bare URLs and emphasis, each found in what the earlier passes left."""
from __future__ import annotations

import bisect
import html
import re

from citelint.load.html_events import BLOCK_TAGS
from citelint.load.markdown_syntax import (
    AUTOLINK,
    BRACKET,
    DELIMITER,
    DESTINATION,
    ESCAPE,
    HREF,
    LABEL,
    NEUTRAL,
    RAW_ELEMENT,
    TAG,
    TICKS,
    clean_url,
    is_punct,
    label_key,
    LoaderState,
)
from citelint.load.text import find_urls
from citelint.model import Comment


class InlinePass(LoaderState):
    """The inline passes; each returns the ranges it consumed (blanked in ``work`` next)."""

    def html_comments(self) -> list[tuple[int, int]]:
        work, text, ranges = self.work, self.text, []
        find = work.find
        at = find("<!--")
        while at != -1:
            close = find("-->", at + 4)
            if close == -1:
                break
            end = close + 3
            span = self.doc.original_span(at, end)
            self.comments.append(Comment(text[at + 4 : close].strip(), span))
            ranges.append((at, end))
            at = find("<!--", end)
        return ranges

    def code_spans(self) -> list[tuple[int, int]]:
        work, paragraphs, ranges = self.work, self.paragraphs, []
        runs = [m.span() for m in TICKS.finditer(work)]
        by_length: dict[int, list[int]] = {}
        for start, end in runs:
            by_length.setdefault(end - start, []).append(start)
        done = 0
        for start, end in runs:
            if start < done:
                continue
            back = start
            while back > 0 and work[back - 1] == "\\":
                back -= 1
            if (start - back) % 2:  # an escaped backtick is literal; the rest may open
                start += 1
            length = end - start
            closers = by_length.get(length)
            if not length or not closers:
                continue
            i = bisect.bisect_left(closers, end)
            if i < len(closers):
                close = closers[i]
                if bisect.bisect_left(paragraphs, start) == bisect.bisect_left(paragraphs, close):
                    ranges.append((start, close + length))
                    done = close + length
        return ranges

    def escapes(self) -> list[tuple[int, int]]:
        matches = list(ESCAPE.finditer(self.work))
        if matches:
            parts, pos = [], 0
            for match in matches:
                parts.append(self.work[pos : match.start()])
                parts.append(NEUTRAL * (match.end() - match.start()))
                pos = match.end()
            parts.append(self.work[pos:])
            self.work = "".join(parts)
        self.drops.extend((m.start(), m.start() + 1) for m in matches)
        self.escaped = [m.span() for m in matches]
        return []

    def raw_elements(self) -> list[tuple[int, int]]:
        work, ranges = self.work, []
        pos = 0
        unclosed: set[str] = set()
        while match := RAW_ELEMENT.search(work, pos):
            name = match.group(1).lower()
            close = None
            if name not in unclosed:
                close = re.compile(rf"</{name}\s*>", re.I).search(work, match.end())
            if close is None:
                unclosed.add(name)
                ranges.append(match.span())
                pos = match.end()
            else:
                ranges.append((match.start(), close.end()))
                pos = close.end()
        return ranges

    def links_and_images(self) -> list[tuple[int, int]]:  # noqa: C901
        work, text, paragraphs = self.work, self.text, self.paragraphs
        blanks: list[tuple[int, int]] = []
        if "[" not in work:
            return blanks  # no link or image opens (a substring test is far faster than the scan)
        stack: list[tuple[int, bool, int]] = []  # (position, is image, sequence)
        sequence = inactive_below = 0
        skip_to = 0
        for token in BRACKET.finditer(work):
            at = token.start()
            if at < skip_to:
                continue
            if token.group() != "]":
                stack.append((at, token.group() == "![", sequence))
                sequence += 1
                continue
            if not stack:
                continue
            opener, image, seq = stack.pop()
            if not image and seq < inactive_below:
                continue  # a link cannot contain a link
            if bisect.bisect_left(paragraphs, opener) != bisect.bisect_left(paragraphs, at):
                continue
            inner_start = opener + (2 if image else 1)
            after = at + 1
            url = None
            nxt = work[after : after + 1]
            if nxt == "(" and (match := DESTINATION.match(work, after)):
                group = 1 if match.group(1) is not None else 2
                url = clean_url(text[match.start(group) : match.end(group)])
                after = match.end()
            elif nxt == "[" and (match := LABEL.match(work, after)):
                label = text[match.start(1) : match.end(1)] or text[inner_start:at]
                url = self.definitions.get(label_key(label))
                after = match.end()
            if url is None:
                after = at + 1
                url = self.definitions.get(label_key(text[inner_start:at]))
                if url is None:
                    continue
            skip_to = after
            if image:
                blanks.append((opener, after))
                continue
            inactive_below = sequence
            self.drops.append((opener, inner_start))
            self.drops.append((at, after))
            inner = text[inner_start:at]
            left, right = len(inner) - len(inner.lstrip()), len(inner.rstrip())
            if right > left:
                self.span_link(url, inner_start + left, inner_start + right)
            else:
                self.span_link(url, opener, after)
        return blanks

    def autolinks(self) -> list[tuple[int, int]]:
        ranges = []
        for match in AUTOLINK.finditer(self.work):
            start, end = match.span(1)
            target = self.text[start:end]
            self.span_link(target if ":" in target else "mailto:" + target, start, end)
            ranges.append(match.span())
        return ranges

    def html_tags(self) -> list[tuple[int, int]]:
        text, ranges = self.text, []
        anchor: tuple[str, int, int] | None = None
        for match in TAG.finditer(self.work):
            start, end = match.span()
            name = (match.group(2) or "").lower()
            closing = match.group(1) == "/"
            if name == "a" or (anchor and name in BLOCK_TAGS):
                if anchor is not None:
                    self.link_anchor(*anchor, start)
                    anchor = None
                href = HREF.search(text, start, end) if name == "a" and not closing else None
                if href:
                    value = next(g for g in href.groups() if g is not None)
                    url = clean_url(html.unescape(value))
                    if url:
                        anchor = (url, start, end)
            if name in BLOCK_TAGS or name == "br":
                ranges.append((start, end))
                if name != "br" and "\n" not in self.text[start:end]:
                    self.block_tags.append((start, end))
            else:
                self.drops.append((start, end))
        if anchor is not None:
            self.link_anchor(*anchor, anchor[2])
        return ranges

    def link_anchor(self, url: str, tag_start: int, tag_end: int, close: int) -> None:
        inner = self.text[tag_end:close]
        left, right = len(inner) - len(inner.lstrip()), len(inner.rstrip())
        if right > left:
            self.span_link(url, tag_end + left, tag_end + right)
        else:
            self.span_link(url, tag_start, tag_end)

    def bare_urls(self) -> list[tuple[int, int]]:
        anchors = sorted((link.anchor.start, link.anchor.end) for link in self.links)
        starts = [a[0] for a in anchors]
        ranges = []
        for start, end in find_urls(self.work):
            i = bisect.bisect_right(starts, start) - 1
            if i < 0 or anchors[i][1] < end:  # not already the text of a link
                self.span_link(self.text[start:end], start, end)
            ranges.append((start, end))
        return ranges

    def emphasis(self) -> list[tuple[int, int]]:
        work, paragraphs, n, text = self.work, self.paragraphs, len(self.work), self.text
        drops: list[tuple[int, int]] = []
        if "*" not in work and "_" not in work and "~~" not in work:
            return drops  # no delimiter at all (substring tests are far faster than the scan)
        stack: list[tuple[str, int, int]] = []  # (delimiter char, start, end)
        paragraph = -1
        for match in DELIMITER.finditer(work):
            start, end = match.span()
            before = work[start - 1] if start else " "
            after = work[end] if end < n else " "
            # Next to a link's blanked "](url)", flanking is judged on the source, as
            # CommonMark does: "**the [Ledger](url)**" is bold.
            if before == " " and start and text[start - 1] == ")":
                before = ")"
            if after == " " and end < n and text[end] == "[":
                after = "["
            char = work[start]
            if char == "_" and before.isalnum() and after.isalnum():
                continue  # snake_case: never emphasis
            space_before, space_after = before.isspace(), after.isspace()
            if space_before and space_after:
                continue  # "5 * 3"
            punct_before, punct_after = is_punct(before), is_punct(after)
            left = not space_after and (not punct_after or space_before or punct_before)
            right = not space_before and (not punct_before or space_after or punct_after)
            if char == "_":
                can_open = left and (not right or punct_before)
                can_close = right and (not left or punct_after)
            else:
                can_open, can_close = left, right
            here = bisect.bisect_left(paragraphs, start)
            if here != paragraph:
                stack.clear()
                paragraph = here
            if can_close:
                for k in range(len(stack) - 1, max(len(stack) - 50, 0) - 1, -1):
                    if stack[k][0] == char:
                        drops.append((stack[k][1], stack[k][2]))
                        drops.append((start, end))
                        del stack[k:]
                        break
                else:
                    if can_open:
                        stack.append((char, start, end))
            elif can_open:
                stack.append((char, start, end))
        return drops
