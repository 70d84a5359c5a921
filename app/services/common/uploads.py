"""Files that learners upload (a force majeure document, an assignment), checked by what they contain.

The type is recognised from the file's first bytes, never from the name or the type the browser sends: a file
named `.pdf` that is not a PDF is refused. Plain text has no signature: it is text when it decodes as UTF-8
and holds no control characters other than tabs, line and page breaks.
"""

import enum
from collections.abc import Collection
from dataclasses import dataclass

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TEXT = "text/plain"

SIGNATURES = {b"%PDF-": PDF, b"\x89PNG\r\n\x1a\n": PNG, b"\xff\xd8\xff": JPEG}
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", TEXT: ".txt"}
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

