"""Minutes in a small, safe subset of Markdown: everything is escaped first, then paragraphs, "- " bullet lists,
**bold**, *italic* and [links](https://…) (http and https only) are drawn. No raw HTML ever passes through."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?![*\w])")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s()<>\"']+)\)")


def _inline(escaped: str) -> str:
    text = _LINK.sub(r'<a href="\2" rel="nofollow noopener">\1</a>', escaped)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    return _ITALIC.sub(r"<em>\1</em>", text)


def render(source: str) -> SafeString:
    """HTML for ``source``: blocks are separated by blank lines; a block whose lines all start with "- " is a list."""
    blocks = [block.strip("\n") for block in re.split(r"\n\s*\n", source.replace("\r\n", "\n")) if block.strip()]
    html = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n")]
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(escape(line[2:].strip()))}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append("<p>" + "<br>".join(_inline(escape(line)) for line in lines) + "</p>")
    return mark_safe("\n".join(html))  # noqa: S308 - every piece of text above was escaped first
