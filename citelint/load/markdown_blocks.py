"""Markdown block structure: front matter, fences, indented code, headings, rules, lists,
tables, block quotes, reference definitions and HTML blocks, found line by line."""
from __future__ import annotations

from citelint.dates import front_matter_date
from citelint.load.markdown_syntax import (
    CLOSING_HASHES,
    DELIMITER_ROW,
    FENCE,
    FRONT_MATTER,
    HEADING,
    ITEM_START,
    LIST_ITEM,
    PIPE,
    QUOTE,
    REF_DEF,
    RULE,
    SETEXT,
    SPECIAL_START,
    clean_url,
    label_key,
    LoaderState,
)


class BlockPass(LoaderState):
    """The pass over lines that marks block markup (the inline passes come after it)."""

    def blocks(self) -> None:  # noqa: C901 - one pass over lines, states kept local for speed
        text = self.text
        blanks, breaks = self.blanks, self.breaks
        front = FRONT_MATTER.match(text)
        pos = front.end() if front else 0
        if front:
            blanks.append((0, pos))
            self.published = front_matter_date(front.group())
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
            plain = head and head not in SPECIAL_START and "|" not in line
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
            if (fence is None or fence[2]) and ">" in line[:4] and (match := QUOTE.match(line)):
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
                pipes = PIPE.finditer(line, offset)
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
            if (indent < 4 or in_list) and first in ITEM_START:
                item = LIST_ITEM.match(line, offset)
            if prev_blank and indent == 0 and item is None:
                in_list = False  # a block at the margin after a blank line ends the list
            if indent < 4:
                if first in "`~" and (fence_match := FENCE.match(line, offset)):
                    ticks, info = fence_match.groups()
                    if ticks[0] == "~" or "`" not in info:
                        fence = (ticks[0], len(ticks), quoted)
                        blanks.append((body_start, end))
                        prev_blank, para = True, False
                        continue
                if first == "#" and (match := HEADING.match(line, offset)):
                    blanks.append((start + match.start(), start + match.end()))
                    closing = CLOSING_HASHES.search(line, match.end())
                    if closing:
                        blanks.append((start + closing.start(), start + closing.end()))
                    block = True
                elif first in "-*_" and RULE.match(line, offset):
                    blanks.append((body_start, end))
                    prev_blank, para, block = True, False, False
                    continue
                elif para and first in "=-" and SETEXT.match(line, offset):
                    blanks.append((body_start, end))
                    prev_blank, para = True, False
                    continue
                elif (
                    first == "["
                    and (match := REF_DEF.match(line, offset))
                    and not match.group(1).startswith("^")  # a footnote's text is prose
                ):
                    label, url = match.groups()
                    key = label_key(label)
                    if key and key not in self.definitions:
                        self.definitions[key] = clean_url(url[1:-1] if url[:1] == "<" else url)
                    blanks.append((body_start, end))
                    prev_blank, para = True, False
                    continue
                elif (
                    para
                    and "|" in line
                    and prev_line_start >= 0
                    and "|" in text[prev_line_start:start]
                    and DELIMITER_ROW.match(line, offset)
                ):
                    header = text[prev_line_start : start - 1]
                    blanks.extend(
                        (prev_line_start + m.start(), prev_line_start + m.end())
                        for m in PIPE.finditer(header)
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
