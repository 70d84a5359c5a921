"""What changed between two versions of a legal document, for a reader who compares them side by side: each
passage (a paragraph, a list item, a heading) removed, added or rewritten, under the heading of its section, and
within a rewritten passage the words taken out and put in. Unchanged passages are left out: both versions are
a link away."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from itertools import zip_longest

from app.models import LegalDocumentVersion
from app.services.common.markdown import without_lang_spans
from app.services.legal.documents import body_without_title

_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_WORDS = re.compile(r"\s+|[^\s]+")


class Kind(StrEnum):
    SAME = "same"
    REMOVED = "removed"
    ADDED = "added"


@dataclass(frozen=True)
class Piece:
    text: str
    kind: Kind

    @property
    def is_removed(self) -> bool:
        return self.kind == Kind.REMOVED

    @property
    def is_added(self) -> bool:
        return self.kind == Kind.ADDED


@dataclass(frozen=True)
class Change:
    section: str  # the heading the passage comes under in the newer version ("" before the first one)
    before: tuple[Piece, ...]  # the passage in the older version; empty when it was added
    after: tuple[Piece, ...]  # in the newer version; empty when it was removed


def _plain(passage: str) -> str:
    """The passage as it reads: the Markdown's link targets, emphasis marks, list bullets and the tags that say a
    phrase's language left out."""
    text = _LIST_ITEM.sub("", without_lang_spans(passage))
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


def passages(markdown_text: str) -> list[str]:
    """The document's passages in order: its headings, paragraphs and list items, each as plain text."""
    found: list[str] = []
    block: list[str] = []

    def close() -> None:
        if block:
            found.append(_plain(" ".join(block)))
            block.clear()

    for line in body_without_title(markdown_text).splitlines():
        if not line.strip():
            close()
        elif line.lstrip().startswith("#") or _LIST_ITEM.match(line):
            close()
            block.append(line.strip())
            if line.lstrip().startswith("#"):
                close()
        else:
            block.append(line.strip())
    close()
    return [passage for passage in found if passage]


def _heading(passage: str) -> str | None:
    return _shown(passage) if passage.startswith("#") else None


def _shown(passage: str) -> str:
    """A heading's text without its Markdown marks; any other passage as it is."""
    return passage.lstrip("#").strip()


def _words(before: str, after: str) -> tuple[tuple[Piece, ...], tuple[Piece, ...]]:
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    removed: list[Piece] = []
    added: list[Piece] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            removed.append(Piece("".join(old[i1:i2]), Kind.SAME))
            added.append(Piece("".join(new[j1:j2]), Kind.SAME))
            continue
        if i2 > i1:
            removed.append(Piece("".join(old[i1:i2]), Kind.REMOVED))
        if j2 > j1:
            added.append(Piece("".join(new[j1:j2]), Kind.ADDED))
    return tuple(removed), tuple(added)


def compare(older: str, newer: str) -> list[Change]:
    """The passages of `older` (Markdown) that `newer` removed, added or rewrote, in the newer one's order."""
    old, new = passages(older), passages(newer)
    changes: list[Change] = []
    section = ""
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            for passage in new[j1:j2]:
                section = _heading(passage) or section
            continue
        for before, after in zip_longest(old[i1:i2], new[j1:j2]):
            if after is not None:
                section = _heading(after) or section
            if before is not None and after is not None:
                changes.append(Change(section, *_words(_shown(before), _shown(after))))
            elif before is not None:
                changes.append(Change(section, (Piece(_shown(before), Kind.REMOVED),), ()))
            else:
                changes.append(Change(section, (), (Piece(_shown(after), Kind.ADDED),)))
    return changes


def between(older: LegalDocumentVersion, newer: LegalDocumentVersion) -> list[Change]:
    """The changes from one version to another of the same document, in the reader's language."""
    return compare(older.t("body"), newer.t("body"))


@dataclass(frozen=True)
class Section:
    title: str
    changes: list[Change]


def by_section(changes: list[Change]) -> list[Section]:
    """The changes grouped under their sections, in the document's order."""
    sections: list[Section] = []
    for change in changes:
        if not sections or sections[-1].title != change.section:
            sections.append(Section(change.section, []))
        sections[-1].changes.append(change)
    return sections
