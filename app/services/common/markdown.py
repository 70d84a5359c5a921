"""Markdown to HTML for the portal's documents and course content: CommonMark, no raw HTML, headings with
ids unique in the document (for tables of contents and links). One piece of HTML is understood, and only this
one: `<span lang="fr">…</span>` (or lang="en"), a phrase in the other language, so that a screen reader or a
synthesiser says it in its own language; any other markup is shown as written."""

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from app.services.common.text import slugify


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


# A phrase in another language: the opening tag exactly as written here, its text on one line with no tag in it.
_LANG_SPAN = re.compile(r'<span lang="(fr|en)">([^<>\n]+)</span>')
_LANG_TAGS = re.compile(r'<span lang="(?:fr|en)">|</span>')


def _lang_span(state: StateInline, silent: bool) -> bool:
    """`<span lang="fr">Mes paramètres</span>`: the phrase, parsed as Markdown, in a span that says its language."""
    found = _LANG_SPAN.match(state.src, state.pos)
    if found is None or found.end() > state.posMax:
        return False
    if not silent:
        state.push("lang_span_open", "span", 1).attrSet("lang", found.group(1))
        end = state.posMax
        state.pos, state.posMax = found.start(2), found.end(2)
        state.md.inline.tokenize(state)
        state.posMax = end
        state.push("lang_span_close", "span", -1)
    state.pos = found.end()
    return True


def without_lang_spans(text: str) -> str:
    """The text of a heading (or any source line) without the language spans' tags: what it reads."""
    return _LANG_TAGS.sub("", text)


def _anchor_headings(state: StateCore) -> None:
    """Give every heading an id from its text, unique in the document ("a-description", "a-description-2")."""
    seen: dict[str, int] = {}
    for index, token in enumerate(state.tokens):
        if token.type == "heading_open":
            base = slugify(without_lang_spans(state.tokens[index + 1].content))
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
    md.inline.ruler.before("html_inline", "lang_span", _lang_span)
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
            found.append(Heading(level, without_lang_spans(tokens[index + 1].content), str(token.attrGet("id"))))
    return found


# --- A document read aloud: its sections as plain text, for speech synthesis ------------------------------------

# The key of what comes before the first h2 (never an anchor: `slugify` makes no underscore).
INTRO = "_intro"
_SENTENCE_END = (".", "!", "?", ":", ";", "…")


@dataclass(frozen=True)
class SpokenSection:
    anchor: str  # the h2's id, as `headings` and the HTML give it; INTRO for the text before the first h2
    title: str
    text: str


def _block_text(tokens: list[Token], index: int) -> str:
    """The words of an inline token: link texts without their addresses, code as written, line breaks as spaces."""
    words = []
    for child in tokens[index].children or ():
        if child.type in ("text", "code_inline"):
            words.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            words.append(" ")
    return "".join(words).strip()


def _as_sentence(text: str) -> str:
    """A heading or a list item said as a sentence: a synthesiser pauses only where punctuation tells it to."""
    return text if text.endswith(_SENTENCE_END) else text + "."


def spoken_sections(markdown_text: str) -> list[SpokenSection]:
    """The document cut at its h2 headings, each section as plain sentences (its heading first), in order; the
    text before the first h2, if any, under INTRO. No Markdown syntax and no link address is ever read out."""
    tokens = _MD.parse(markdown_text)
    sections: list[tuple[str, str, list[str]]] = [(INTRO, "", [])]
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            sections.append((str(token.attrGet("id")), without_lang_spans(tokens[index + 1].content), []))
        if token.type == "inline":
            text = _block_text(tokens, index)
        elif token.type in ("fence", "code_block"):
            text = " ".join(token.content.split())
        else:
            continue
        if text:
            sections[-1][2].append(_as_sentence(text))
    return [SpokenSection(anchor, title, "\n".join(sentences))
            for anchor, title, sentences in sections if sentences]


_H2 = re.compile(r'<h2 id="([^"]+)">.*?</h2>\n?', re.DOTALL)


@dataclass(frozen=True)
class HtmlSection:
    anchor: str  # INTRO for what comes before the first h2
    heading: str  # the h2 element, empty for the intro
    body: str


def html_sections(html: str) -> list[HtmlSection]:
    """HTML from `to_html` cut at its h2 headings, so that a page can put something after each one. Raw HTML is
    off, so every `<h2 id=` in it is a heading of the document (a written one would be escaped)."""
    found = list(_H2.finditer(html))
    starts = [match.start() for match in found] + [len(html)]
    sections = [HtmlSection(INTRO, "", html[:starts[0]])] if html[:starts[0]].strip() else []
    for match, end in zip(found, starts[1:], strict=True):
        sections.append(HtmlSection(match.group(1), match.group(0), html[match.end():end]))
    return sections
