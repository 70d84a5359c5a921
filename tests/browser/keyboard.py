"""Keyboard moves of the browser tests: Tab to an element, follow it with Enter, type a date in its three boxes."""

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


def press_enter_on(page, selector: str, max_presses: int = 80) -> None:
    """Tab to the link or button matching `selector` and press Enter, waiting for the page it leads to."""
    tab_to(page, selector, max_presses=max_presses)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_date(page, group_id: str, value: date) -> None:
    """Type `value` into a date's three boxes by keyboard, as a person does: Tab to the day, type it, Tab to the
    month, Tab to the year (the same in every browser and language: no date picker to learn)."""
    tab_to(page, f"#{group_id}-day")
    for part in ("day", "month", "year"):
        if part != "day":
            page.keyboard.press("Tab")
            assert focused_matches(page, f"#{group_id}-{part}"), f"Tab did not lead to the {part}"
        page.keyboard.press("Control+A")  # a box already filled (a profile, an error) is typed over
        page.keyboard.type(str(getattr(value, part)))
    assert [page.locator(f"#{group_id}-{part}").input_value() for part in ("day", "month", "year")] == [
        str(value.day), str(value.month), str(value.year)]
