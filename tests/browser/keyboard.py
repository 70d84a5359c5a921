"""Keyboard moves of the browser tests: Tab to an element, the digits a date input of this browser expects."""

from datetime import date

import pytest


def focused_matches(page, selector: str) -> bool:
    return page.evaluate("selector => document.activeElement.matches(selector)", selector)


def tab_to(page, selector: str, max_presses: int = 40) -> None:
    """Press Tab until the element matching `selector` has focus."""
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if focused_matches(page, selector):
            return
    pytest.fail(f"{selector} not reached in {max_presses} Tab presses")


def date_digits(page, value: date) -> str:
    """The digits that type `value` into a date input of this browser, found on a scratch input.

    Chromium orders the day, month and year segments by its own interface language, not by the page's or the
    context's locale: Debian's chromium without chromium-l10n only has en-US, so it expects MM/DD/YYYY even for
    fr-FR and en-GB readers, who get DD/MM/YYYY in a French or British Chromium.
    """
    parts = {"d": f"{value.day:02}", "m": f"{value.month:02}", "y": f"{value.year:04}"}
    probe = page.context.new_page()
    try:
        for order in ("dmy", "mdy", "ymd"):
            probe.set_content('<input type="date" aria-label="date" id="d">')
            probe.keyboard.press("Tab")
            digits = "".join(parts[segment] for segment in order)
            probe.keyboard.type(digits)
            if probe.evaluate("document.getElementById('d').value") == value.isoformat():
                return digits
    finally:
        probe.close()
    pytest.fail("no order of day, month and year fills this browser's date input")
