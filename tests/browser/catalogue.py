"""The texts, dates and amounts as the live server renders them, for the browser tests' expectations."""

from flask_babel import format_currency, format_date, gettext


class Catalogue:
    """The texts, dates and amounts as the live server renders them for a reader of `lang`, whitespace folded
    as text_of folds it. Same app, same cached translations as the pages."""

    def __init__(self, app, lang: str):
        self.app, self.lang = app, lang

    def _render(self, function, *args, **kwargs) -> str:
        with self.app.test_request_context(headers={"Accept-Language": self.lang}):
            return " ".join(str(function(*args, **kwargs)).split())

    def __call__(self, msgid: str, **variables) -> str:
        return self._render(gettext, msgid, **variables)

    def date(self, moment) -> str:
        return self._render(format_date, moment, "long")

    def euros(self, cents: int) -> str:
        return self._render(format_currency, cents / 100, "EUR")
