"""One page of a long list (the catalogue's results, a forum's threads, a thread's posts): the one paginator.

The page number comes from the address, so any number may be asked: below 1 is the first page, past the end the
last one (an old link, a typed number), and the database's OFFSET never overflows.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from math import ceil
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from app.extensions import db

Item = TypeVar("Item")


@dataclass(frozen=True)
class Page(Generic[Item]):
    items: list[Item]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return last_page(self.total, self.per_page)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    @property
    def first_index(self) -> int:
        """The 1-based position of the first item of the page in the whole list."""
        return (self.page - 1) * self.per_page + 1

    def iter_pages(self) -> Iterator[int | None]:
        """The page numbers to link: the first, the last, two around the current one; None for a gap."""
        shown = {1, self.pages, *range(self.page - 2, self.page + 3)}
        previous = 0
        for number in sorted(n for n in shown if 1 <= n <= self.pages):
            if number > previous + 1:
                yield None
            yield number
            previous = number


def last_page(total: int, per_page: int) -> int:
    return max(1, ceil(total / per_page))


def page_number(asked: int | None, total: int, per_page: int) -> int:
    """The page to show for the number asked: within 1 and the last page."""
    return min(max(asked or 1, 1), last_page(total, per_page))


def page_of(items: list[Item], asked: int | None, per_page: int) -> Page[Item]:
    """One page of a list already in memory and in order (a search of the catalogue's index)."""
    number = page_number(asked, len(items), per_page)
    return Page(items[(number - 1) * per_page:number * per_page], number, per_page, len(items))


def paginate(statement: Select[Any], asked: int | None, per_page: int, total: int | None = None) -> Page[Any]:
    """One page of the rows of a one-entity statement (ordered by the caller), counted first unless `total` is
    known."""
    if total is None:
        total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    number = page_number(asked, total, per_page)
    items = list(db.session.scalars(statement.limit(per_page).offset((number - 1) * per_page)).unique())
    return Page(items, number, per_page, total)
