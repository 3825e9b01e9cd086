"""Markdown articles: markup blanked to spaces, entities and block breaks mapped.

Almost all markup (code, front matter, link syntax, URLs, markers) is blanked to spaces of
equal length, so prose offsets equal original offsets. Three things are *replaced* through
the OffsetMap: entities (``&rsquo;`` → ``’``); inline markup inside a word (``**Reu**ters``,
``<b>Reu</b>ters``) → "" so it never splits the word; and the newline ending a heading,
a table row or the line before a heading, list item or table, which becomes "\\n\\n".
So in the prose every paragraph, heading, list item and table row is its own block,
separated by a blank line (``\\n\\s*\\n``); lines within a paragraph stay single newlines.
"""
from __future__ import annotations

import bisect
import html
import re
import unicodedata

from citelint.load.html_events import BLOCK_TAGS
from citelint.load.prose import ENTITY, ProseBuilder, blank_ranges, decode_entity, gc_paused
from citelint.load.text import find_urls
from citelint.model import Comment, Document, Link

_FRONT_MATTER = re.compile(
    r"\A(---|\+\+\+)[ \t]*\r?\n(?:[^\n]*\n)*?(?:\1|\.\.\.)[ \t]*\r?(?:\n|\Z)"
)
_QUOTE = re.compile(r"(?:[ ]{0,3}>[ ]?)+")
_FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})([^\r]*)")
_HEADING = re.compile(r"[ ]{0,3}#{1,6}(?:[ \t]+|(?=\r?$))")
_CLOSING_HASHES = re.compile(r"(?<=[ \t])#+[ \t]*\r?$")
_RULE = re.compile(r"[ ]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*\r?$")
_SETEXT = re.compile(r"[ ]{0,3}(?:=+|-+)[ \t]*\r?$")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(?:\[[ xX]\](?=[ \t]))?|(?=\r?$))")
_REF_DEF = re.compile(
    r"""[ ]{0,3}\[((?:[^\[\]\\]|\\.){1,999})\]:[ \t]*(<[^<>\n]*>|\S+)"""
    r"""(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\r?$"""
)
_DELIMITER_ROW = re.compile(r"[ ]{0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*\r?$")
_PIPE = re.compile(r"(?<!\\)\|")
_PARA_BREAK = re.compile(r"\n[ \t\r]*\n")
_TICKS = re.compile(r"`+")
_ESCAPE = re.compile(r"\\(?:[!-/:-@\[-`{-~]|(?=\r?\n))")
_RAW_ELEMENT = re.compile(r"<(script|style|pre|textarea)(?:\s[^>]*)?>", re.I)
_BRACKET = re.compile(r"!\[|\[|\]")
_DESTINATION = re.compile(
    r"""\([ \t]*(?:\r?\n[ \t]*)?(?:<([^<>\n]*)>|((?:[^\s()]|\((?:[^\s()])*\))*))"""
    r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)"""
)
_LABEL = re.compile(r"\[((?:[^\[\]\\]|\\.){0,999})\]")
_AUTOLINK = re.compile(
    r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*"
    r"|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)>"
)
_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s+[A-Za-z_:][\w.:-]*"
    r"""(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*/?>|<![A-Za-z][^<>]*>"""
)
_HREF = re.compile(r"""\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
_DELIMITER = re.compile(r"\*+|_+|~~")
_TEXT_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_NEUTRAL = "\x1a"  # stands in for escaped characters while looking for markup
_SPECIAL_START = frozenset(" \t\r>#-*_+=`~[|0123456789")
_ITEM_START = frozenset("-*+0123456789")


class _Loader:
    """One Markdown document in the making; each pass finds markup in ``work`` (the text
    with what earlier passes consumed blanked) and records blanks, drops and links."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.doc = Document(path=path, text=text, format="markdown", prose="")
        self.blanks: list[tuple[int, int]] = []  # block-level markup: spaces in the prose
        self.drops: list[tuple[int, int]] = []  # inline markup: spaces, or "" inside a word
        self.breaks: set[int] = set()  # newlines that become "\n\n"
        self.quotes: list[tuple[int, int]] = []  # original ranges of block quotes
        self.definitions: dict[str, str] = {}
        self.block_tags: list[tuple[int, int]] = []  # HTML block tags: "\n\n" in the prose
        self.escaped: list[tuple[int, int]] = []  # backslash escapes, neutralised in work
        self.links: list[Link] = []
        self.comments: list[Comment] = []
        self.work = text
        self.paragraphs: list[int] = []

    def run(self) -> Document:
        self.blocks()
        self.work = blank_ranges(self.text, self.blanks)
        self.paragraphs = [m.start() for m in _PARA_BREAK.finditer(self.work)]
        for inline_pass in (
            self.html_comments, self.code_spans, self.escapes, self.raw_elements,
            self.links_and_images, self.autolinks, self.html_tags, self.bare_urls,
        ):  # fmt: skip
            committed = len(self.drops)
            blanks = inline_pass()
            if inline_pass != self.escapes:  # escapes are neutralised in work, not blanked
                blanks = blanks + self.drops[committed:]
            if blanks:
                self.work = blank_ranges(self.work, blanks)
        return self.build()

    def restore_escapes(self, out: str) -> str:
        """Put back the escaped characters that are still prose ("\\*" → " *")."""
        if not self.escaped:
            return out
        text, parts, pos = self.text, [], 0
        for start, end in self.escaped:
            parts.append(out[pos:start])
            for at in range(start, end):
                if out[at] != _NEUTRAL:  # blanked by a later pass
                    parts.append(out[at])
                else:
                    parts.append(" " if at == start else text[at])
            pos = end
        parts.append(out[pos:])
        return "".join(parts)

    def span_link(self, url: str, start: int, end: int) -> None:
        if url:
            self.links.append(Link(url, self.doc.original_span(start, end)))

    def blocks(self) -> None:  # noqa: C901 - one pass over lines, states kept local for speed
        text = self.text
        blanks, breaks = self.blanks, self.breaks
        front = _FRONT_MATTER.match(text)
        pos = front.end() if front else 0
        if front:
            blanks.append((0, pos))
        fence: tuple[str, int, bool] | None = None
        indented = in_list = in_table = para = False
        prev_blank = True
        quote_start = quote_end = -1
        quote_para = False
        prev_line_start = -1
        for line in text[pos:].split("\n"):
            start = pos
            end = pos + len(line)
            pos = end + 1
            stripped_end = end - 1 if line.endswith("\r") else end
            head = line[:1]
            if fence is None and (not line or line == "\r"):  # fast path: an empty line
                if quote_start >= 0:
                    self.quotes.append((quote_start, quote_end))
                    quote_start = -1
                prev_blank, para, in_table, indented = True, False, False, False
                continue
            plain = head and head not in _SPECIAL_START and "|" not in line
            if plain and fence is None and not in_table:
                # Fast path: an ordinary paragraph line.
                if prev_blank:
                    in_list = False
                if quote_start >= 0:
                    if quote_para:
                        quote_end = stripped_end
                    else:
                        self.quotes.append((quote_start, quote_end))
                        quote_start = -1
                indented = False
                para, prev_blank = True, False
                prev_line_start = start
                continue
            offset = 0
            quoted = False
            if (fence is None or fence[2]) and ">" in line[:4] and (match := _QUOTE.match(line)):
                offset = match.end()
                quoted = True
                blanks.append((start, start + offset))
            if fence is not None:
                blanks.append((start + offset, end))
                body = line[offset:]
                marker = body.strip(" \t\r")
                if (
                    marker
                    and len(body) - len(body.lstrip(" ")) < 4
                    and marker == fence[0] * len(marker)
                    and len(marker) >= fence[1]
                ):
                    fence = None
                continue
            body_start = start + offset
            is_blank = not line[offset:].strip()
            if quoted:
                if quote_start < 0:
                    quote_start = body_start
                quote_end = stripped_end
                quote_para = not is_blank
            elif quote_start >= 0:
                if is_blank or not quote_para or head in "#`~":
                    self.quotes.append((quote_start, quote_end))
                    quote_start = -1
                else:  # a lazy continuation line of the quoted paragraph
                    quote_end = stripped_end
            if is_blank:
                prev_blank, para, in_table, indented = True, False, False, False
                continue
            if in_table and "|" in line:
                pipes = _PIPE.finditer(line, offset)
                blanks.extend((start + m.start(), start + m.end()) for m in pipes)
                breaks.add(end)
                prev_blank = False
                continue
            in_table = False
            body = line[offset:]
            indent = len(body) - len(body.lstrip(" \t"))
            if (
                (indented or (prev_blank and not in_list))
                and not para
                and (body.startswith("    ") or body.startswith("\t"))
            ):
                blanks.append((body_start, end))
                indented, prev_blank = True, False
                continue
            indented = False
            block = False
            first = body[indent : indent + 1]
            item = None
            if (indent < 4 or in_list) and first in _ITEM_START:
                item = _LIST_ITEM.match(line, offset)
            if prev_blank and indent == 0 and item is None:
                in_list = False  # a block at the margin after a blank line ends the list
            if indent < 4:
                if first in "`~" and (fence_match := _FENCE.match(line, offset)):
                    ticks, info = fence_match.groups()
                    if ticks[0] == "~" or "`" not in info:
                        fence = (ticks[0], len(ticks), quoted)
                        blanks.append((body_start, end))
                        prev_blank, para = True, False
                        continue
                if first == "#" and (match := _HEADING.match(line, offset)):
                    blanks.append((start + match.start(), start + match.end()))
                    closing = _CLOSING_HASHES.search(line, match.end())
                    if closing:
                        blanks.append((start + closing.start(), start + closing.end()))
                    block = True
                elif first in "-*_" and _RULE.match(line, offset):
                    blanks.append((body_start, end))
                    prev_blank, para, block = True, False, False
                    continue
                elif para and first in "=-" and _SETEXT.match(line, offset):
                    blanks.append((body_start, end))
                    prev_blank, para = True, False
                    continue
                elif (
                    first == "["
                    and (match := _REF_DEF.match(line, offset))
                    and not match.group(1).startswith("^")  # a footnote's text is prose
                ):
                    label, url = match.groups()
                    key = _label_key(label)
                    if key and key not in self.definitions:
                        self.definitions[key] = _clean_url(url[1:-1] if url[:1] == "<" else url)
                    blanks.append((body_start, end))
                    prev_blank, para = True, False
                    continue
                elif (
                    para
                    and "|" in line
                    and prev_line_start >= 0
                    and "|" in text[prev_line_start:start]
                    and _DELIMITER_ROW.match(line, offset)
                ):
                    header = text[prev_line_start : start - 1]
                    blanks.extend(
                        (prev_line_start + m.start(), prev_line_start + m.end())
                        for m in _PIPE.finditer(header)
                    )
                    blanks.append((body_start, end))
                    if prev_line_start > 0:
                        breaks.add(prev_line_start - 1)
                    breaks.add(start - 1)
                    in_table, prev_blank, para = True, False, False
                    continue
            if item is not None:
                blanks.append((start + item.start(), start + item.end()))
                in_list = True
                if not prev_blank and start > 0:
                    breaks.add(start - 1)
            if block:
                if not prev_blank and start > 0:
                    breaks.add(start - 1)
                if end < len(text):
                    breaks.add(end)
                para, prev_blank = False, True
            else:
                para, prev_blank = True, False
            prev_line_start = start
        if quote_start >= 0:
            self.quotes.append((quote_start, quote_end))

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
        runs = [m.span() for m in _TICKS.finditer(work)]
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
        matches = list(_ESCAPE.finditer(self.work))
        if matches:
            parts, pos = [], 0
            for match in matches:
                parts.append(self.work[pos : match.start()])
                parts.append(_NEUTRAL * (match.end() - match.start()))
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
        while match := _RAW_ELEMENT.search(work, pos):
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
        stack: list[tuple[int, bool, int]] = []  # (position, is image, sequence)
        sequence = inactive_below = 0
        skip_to = 0
        for token in _BRACKET.finditer(work):
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
            if nxt == "(" and (match := _DESTINATION.match(work, after)):
                group = 1 if match.group(1) is not None else 2
                url = _clean_url(text[match.start(group) : match.end(group)])
                after = match.end()
            elif nxt == "[" and (match := _LABEL.match(work, after)):
                label = text[match.start(1) : match.end(1)] or text[inner_start:at]
                url = self.definitions.get(_label_key(label))
                after = match.end()
            if url is None:
                after = at + 1
                url = self.definitions.get(_label_key(text[inner_start:at]))
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
        for match in _AUTOLINK.finditer(self.work):
            start, end = match.span(1)
            target = self.text[start:end]
            self.span_link(target if ":" in target else "mailto:" + target, start, end)
            ranges.append(match.span())
        return ranges

    def html_tags(self) -> list[tuple[int, int]]:
        text, ranges = self.text, []
        anchor: tuple[str, int, int] | None = None
        for match in _TAG.finditer(self.work):
            start, end = match.span()
            name = (match.group(2) or "").lower()
            closing = match.group(1) == "/"
            if name == "a" or (anchor and name in BLOCK_TAGS):
                if anchor is not None:
                    self.link_anchor(*anchor, start)
                    anchor = None
                href = _HREF.search(text, start, end) if name == "a" and not closing else None
                if href:
                    value = next(g for g in href.groups() if g is not None)
                    url = _clean_url(html.unescape(value))
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
        stack: list[tuple[str, int, int]] = []  # (delimiter char, start, end)
        paragraph = -1
        for match in _DELIMITER.finditer(work):
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
            punct_before, punct_after = _is_punct(before), _is_punct(after)
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

    def build(self) -> Document:
        text = self.text
        emphasis = self.emphasis()
        self.drops.extend(emphasis)
        # work already has every blank and drop but these: finish it into the prose base.
        out = self.restore_escapes(blank_ranges(self.work, emphasis))
        edits: list[tuple[int, int, str]] = []
        n = len(text)
        for start, end in _merge_touching(self.drops):
            if 0 < start and end < n and not out[start - 1].isspace() and not out[end].isspace():
                if "\n" not in text[start:end]:
                    edits.append((start, end, ""))
        for match in ENTITY.finditer(self.work):
            value = decode_entity(match.group())
            if value is not None:
                edits.append((match.start(), match.end(), value))
        edits.extend((at, at + 1, "\n\n") for at in self.breaks if at < n and out[at] == "\n")
        edits.extend((start, end, "\n\n") for start, end in self.block_tags)
        edits.sort()
        builder = ProseBuilder(out)
        done = 0
        for start, end, replacement in edits:
            if start >= done:
                builder.replace(start, end, replacement)
                done = end
        prose, offsets = builder.build()
        bounds = builder.to_prose([x for q in self.quotes for x in q])
        regions = tuple(
            (bounds[i], bounds[i + 1])
            for i in range(0, len(bounds), 2)
            if bounds[i + 1] > bounds[i]
        )
        self.links.sort(key=lambda link: (link.anchor.start, link.anchor.end))
        return Document(
            path=self.doc.path,
            text=text,
            format="markdown",
            prose=prose,
            offsets=offsets,
            links=tuple(self.links),
            comments=tuple(self.comments),
            quote_regions=regions,
            _lines=self.doc.lines,
        )


def load(text: str, path: str) -> Document:
    with gc_paused():
        return _Loader(text, path).run()


def _label_key(label: str) -> str:
    """Reference labels match case-insensitively with whitespace collapsed."""
    return " ".join(label.split()).casefold()


def _clean_url(url: str) -> str:
    return html.unescape(_TEXT_ESCAPE.sub(r"\1", url.strip()))


def _is_punct(char: str) -> bool:
    if char < "\x80":
        return char in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    return unicodedata.category(char)[0] in "PS"


def _merge_touching(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
