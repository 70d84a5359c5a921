"""Files that learners upload (a force majeure document, an assignment), checked by what they contain.

The type is recognised from the file's first bytes, never from the name or the type the browser sends: a file
named `.pdf` that is not a PDF is refused. Plain text has no signature: it is text when it decodes as UTF-8
and holds no control characters other than tabs, line and page breaks.
"""

import enum
from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

from flask import current_app
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TEXT = "text/plain"
ZIP = "application/zip"

SIGNATURES = {b"%PDF-": PDF, b"\x89PNG\r\n\x1a\n": PNG, b"\xff\xd8\xff": JPEG, b"PK\x03\x04": ZIP}
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", TEXT: ".txt", ZIP: ".zip"}
# What a learner hands in as work: an assignment; a project may also be an archive of several files.
WORK_TYPES = (PDF, PNG, JPEG, TEXT)
PROJECT_TYPES = (*WORK_TYPES, ZIP)
_TEXT_CONTROLS_ALLOWED = {"\t", "\n", "\r", "\f"}


@dataclass(frozen=True)
class Upload:
    """An uploaded file: the name the learner's computer gave it, and its bytes."""

    name: str
    content: bytes


class Problem(enum.StrEnum):
    EMPTY = "empty"
    WRONG_TYPE = "wrong_type"
    TOO_BIG = "too_big"


@dataclass(frozen=True)
class Checked:
    """The type recognised (None when refused) and, when refused, why."""

    content_type: str | None
    problem: Problem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _is_plain_text(content: bytes) -> bool:
    try:
        decoded = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(char) < 32 and char not in _TEXT_CONTROLS_ALLOWED or ord(char) == 127 for char in decoded)


def content_type(content: bytes) -> str | None:
    """What the bytes are (PDF, PNG, JPEG or plain text), or None."""
    signed = next((kind for magic, kind in SIGNATURES.items() if content.startswith(magic)), None)
    if signed is not None:
        return signed
    return TEXT if content and _is_plain_text(content) else None


def check(upload: Upload, accepted: Collection[str], max_bytes: int) -> Checked:
    """Is `upload` one of the `accepted` types and no bigger than `max_bytes`? The type is checked first."""
    if not upload.content:
        return Checked(None, Problem.EMPTY)
    kind = content_type(upload.content)
    if kind not in accepted:
        return Checked(None, Problem.WRONG_TYPE)
    if len(upload.content) > max_bytes:
        return Checked(kind, Problem.TOO_BIG)
    return Checked(kind, None)


def safe_name(name: str, limit: int = 200) -> str:
    """The file name without any folder part nor control character, cut to `limit` characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(char for char in base if ord(char) >= 32 and ord(char) != 127).strip()[:limit]



def work_max_bytes() -> int:
    """The size limit of a file handed in as work (an assignment, a project)."""
    limit: int = current_app.config["ASSIGNMENT_MAX_BYTES"]
    return limit


def work_max_megabytes() -> str:
    """That limit in megabytes, as the reader writes numbers ("5", "2,5")."""
    return str(format_decimal(round(work_max_bytes() / (1024 * 1024), 1), format="#,##0.#"))


def check_work(upload: Upload, accepted: Collection[str] = WORK_TYPES) -> tuple[Checked, str | None]:
    """A file handed in as work, checked: with the message to show next to the field when it is refused."""
    checked = check(upload, accepted, work_max_bytes())
    if checked.problem == Problem.EMPTY:
        return checked, str(_l("Le fichier choisi est vide. Choisissez-le à nouveau ou un autre."))
    if checked.problem == Problem.WRONG_TYPE and ZIP in accepted:
        return checked, str(_l("Ce fichier n'est ni un PDF, ni une image PNG ou JPEG, ni un texte brut, ni une "
                               "archive ZIP : son contenu ne correspond pas. Réunissez vos fichiers dans une archive "
                               "ZIP, ou donnez un lien."))
    if checked.problem == Problem.WRONG_TYPE:
        return checked, str(_l("Ce fichier n'est ni un PDF, ni une image PNG ou JPEG, ni un texte brut : son "
                               "contenu ne correspond pas. Choisissez un fichier de l'un de ces types."))
    if checked.problem == Problem.TOO_BIG:
        return checked, str(_l("Le fichier dépasse %(size)s Mo. Choisissez un fichier plus léger.",
                               size=work_max_megabytes()))
    return checked, None


class HoldsAFile(Protocol):
    """A row that keeps one file handed in (an assignment's or a project's submission)."""
    file_name: str | None
    file_type: str | None
    file_size: int | None
    file_content: bytes | None


def attach(row: HoldsAFile, upload: Upload, checked: Checked, default_name: str) -> None:
    """Keep a checked file on the row: its cleaned name, the type recognised, its size and bytes."""
    row.file_name = safe_name(upload.name) or default_name
    row.file_type = checked.content_type
    row.file_size = len(upload.content)
    row.file_content = upload.content
