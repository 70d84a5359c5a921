"""Content stored in French and English side by side (`title_fr`, `title_en`)."""

from flask_babel import get_locale


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "fr"


class Bilingual:
    """Mixin: `obj.t("title")` is the field in the reader's language, French when English is empty."""

    def t(self, field: str):
        value = getattr(self, f"{field}_{current_language()}", None)
        return value if value not in (None, "", []) else getattr(self, f"{field}_fr")
