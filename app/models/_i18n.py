"""Content stored in French and English side by side (`title_fr`, `title_en`)."""

from typing import Any

from app.i18n import current_language


class Bilingual:
    """Mixin: `obj.t("title")` is the field in the reader's language, French when English is empty."""

    def t(self, field: str) -> Any:
        value = getattr(self, f"{field}_{current_language()}", None)
        return value if value not in (None, "", []) else getattr(self, f"{field}_fr")
