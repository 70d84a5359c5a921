"""Text helpers shared by services."""

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case without accents: "Développement" -> "developpement" (for accent-insensitive search)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", stripped.casefold()).strip()


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
