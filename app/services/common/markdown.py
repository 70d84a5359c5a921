"""Markdown to HTML for the portal's documents and course content: CommonMark, no raw HTML, headings with
ids unique in the document (for tables of contents and links)."""

from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from app.services.common.text import slugify


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


def _anchor_headings(state: StateCore) -> None:
    """Give every heading an id from its text, unique in the document ("a-description", "a-description-2")."""
    seen: dict[str, int] = {}
    for index, token in enumerate(state.tokens):
        if token.type == "heading_open":
            base = slugify(state.tokens[index + 1].content)
            seen[base] = seen.get(base, 0) + 1
            token.attrSet("id", base if seen[base] == 1 else f"{base}-{seen[base]}")


def _absolute_links(state: StateCore) -> None:
    """With `link_base` in the environment, a link to a page of the portal ("/contact") points at its public
    address: a PDF has no site around it, and a root-relative link there opens nothing (or a local file)."""
    base = state.env.get("link_base")
    if not base:
        return
    for token in state.tokens:
        for child in token.children or ():
            href = child.attrGet("href") if child.type == "link_open" else None
            if isinstance(href, str) and href.startswith("/") and not href.startswith("//"):
                child.attrSet("href", base.rstrip("/") + href)


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"typographer": False, "html": False})
    md.core.ruler.push("anchor_headings", _anchor_headings)
    md.core.ruler.push("absolute_links", _absolute_links)
    return md


_MD = _markdown()


# The same texts (chapters, the terms) are asked for again and again, and a text is its own cache key: a changed
# chapter is a new key. A few hundred entries hold the whole catalogue in both languages.
@lru_cache(maxsize=512)
def to_html(markdown_text: str, link_base: str = "") -> str:
    """HTML of `markdown_text`; with `link_base` (a public address), links to the portal's pages are absolute."""
    html: str = _MD.render(markdown_text, {"link_base": link_base})
    return html


def headings(markdown_text: str, max_level: int = 2) -> list[Heading]:
    """The outline of a document, for its table of contents."""
    tokens = _MD.parse(markdown_text)
    found = []
    for index, token in enumerate(tokens):
        level = int(token.tag[1]) if token.type == "heading_open" else 0
        if 2 <= level <= max_level:
            found.append(Heading(level, tokens[index + 1].content, str(token.attrGet("id"))))
    return found
