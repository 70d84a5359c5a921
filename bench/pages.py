"""The pages the benchmark loads, with the target each must reach (the project's issue on speed) and what each
must show to count as itself."""

from dataclasses import dataclass
from typing import Any

from bench.visitor import SIGNED_IN_MARK

# The share of the ceiling's throughput each kind of page must reach in the same run.
ANONYMOUS_TARGET = 0.5
UNCACHED_SEARCH_TARGET = 0.2
SIGNED_IN_TARGET = 0.2
SEARCH = "/cours?q=developpement"


@dataclass(frozen=True)
class Page:
    name: str  # short, stable: the key of the page in the results files
    label: str
    path: str  # for "tracking" and "new-query", the prefix the wrk script completes on every request
    signed_in: bool
    target: float
    marks: tuple[str, ...]  # text the page must contain, checked before and after the load
    variant: str | None = None  # see bench/wrk.py
    check_path: str = ""  # the address checked, when `path` is only a prefix
    as_mentor: bool = False  # signed in as the learner's mentor rather than as the learner

    @property
    def who(self) -> str:
        """Whose cookie the page is asked with: "mentor", "learner" or "" (a visitor)."""
        return "mentor" if self.as_mentor else "learner" if self.signed_in else ""

    @property
    def checked(self) -> str:
        return self.check_path or self.path


def all_pages(scenario: dict[str, Any]) -> list[Page]:
    """Anonymous pages, then the signed-in learner's, as the bench's set-up made her (bench/learner.py)."""
    anonymous = ("Se connecter",)
    signed_in = (SIGNED_IN_MARK,)
    return [
        Page("home", "anonymous: home", "/", False, ANONYMOUS_TARGET, anonymous),
        Page("catalogue", "anonymous: catalogue", "/cours", False, ANONYMOUS_TARGET, anonymous),
        Page("course", "anonymous: a course", scenario["course_path"], False, ANONYMOUS_TARGET,
             (*anonymous, scenario["course_title"])),
        Page("parcours", "anonymous: a Parcours", "/parcours/developpeur-application-python", False,
             ANONYMOUS_TARGET, anonymous),
        Page("search-tracking", "anonymous: search, new utm_campaign each time", f"{SEARCH}&utm_campaign=",
             False, ANONYMOUS_TARGET, (*anonymous, scenario["course_title"]), "tracking",
             f"{SEARCH}&utm_campaign=check"),
        Page("search-new", "anonymous: search never seen (uncached)", "/cours?q=", False, UNCACHED_SEARCH_TARGET,
             (*anonymous, scenario["course_title"]), "new-query", "/cours?q=flask"),
        Page("premium", "signed in: Mes paramètres > Premium", scenario["premium_path"], True, SIGNED_IN_TARGET,
             (*signed_in, scenario["invoice_numbers"][-1])),
        Page("chapter", "signed in: a chapter", scenario["chapter_path"], True, SIGNED_IN_TARGET,
             (*signed_in, scenario["chapter_title"])),
        Page("forum-thread", "signed in: a forum thread", scenario["thread_path"], True, SIGNED_IN_TARGET,
             (*signed_in, scenario["thread_title"])),
        Page("course-progress", "signed in: a course with progress", scenario["course_path"], True,
             SIGNED_IN_TARGET, (*signed_in, "Reprendre là où j'en étais")),
        Page("catalogue-signed-in", "signed in: catalogue", "/cours", True, SIGNED_IN_TARGET, signed_in),
        # Her Premium Plus home: the Parcours' courses and projects, her mentor, her next session, his last word.
        Page("my-parcours", "signed in: Mon parcours", "/mon-parcours", True, SIGNED_IN_TARGET,
             (*signed_in, "projet obligatoire validé sur")),
        # Her mentor's space: his learners, the session to record, the one ahead, the project to evaluate.
        Page("mentor-space", "signed in: the mentor's space", "/mentor", True, SIGNED_IN_TARGET,
             (*signed_in, scenario["learner_name"]), as_mentor=True),
    ]


def select(pages: list[Page], names: str) -> list[Page]:
    """The pages named in BENCH_PAGES (comma-separated), all of them when it is empty."""
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    unknown = sorted(set(wanted) - {page.name for page in pages})
    if unknown:
        raise ValueError(f"unknown page(s) {', '.join(unknown)}; known: {', '.join(p.name for p in pages)}")
    return [page for page in pages if not wanted or page.name in wanted]
