"""Catalogue search: accent- and case-insensitive, filters, pagination."""

from app.extensions import db
from app.models import Course
from app.services.catalog import browse
from app.services.common.text import fold


def search(language="fr", per_page=100, **criteria):
    return browse.search_course_ids(browse.CatalogueQuery(**criteria), browse.catalogue_index(language), per_page)


def found(language="fr", per_page=100, **criteria) -> list[Course]:
    return [db.session.get(Course, course_id) for course_id in search(language, per_page, **criteria).items]


def test_fold_removes_accents_and_case():
    assert fold("  Développement   Web ÇA ") == "developpement web ca"


def test_search_without_accents_finds_accented_title():
    titles = [course.title_fr for course in found(text="developpement")]
    assert "Développement web avec Flask" in titles


def test_search_with_accents_finds_the_same_courses_as_without():
    with_accents = set(search(text="Développement").items)
    without = set(search(text="DEVELOPPEMENT").items)
    assert with_accents and with_accents == without


def test_every_word_must_match():
    results = found(text="flask developpement")
    assert results and all("flask" in c.search_fr and "developpement" in c.search_fr for c in results)
    assert search(text="flask zzzzqqq").total == 0


def test_search_uses_the_readers_language():
    assert search(language="en", text="flask").total >= 1
    assert search(language="en", text="développement web avec").total == 0


def test_like_wildcards_in_the_text_are_literal():
    assert search(text="%").total == 0
    assert search(text="_").total == 0


def test_filters_by_category_level_and_format():
    results = found(category="developpement-web", level="beginner", format="video")
    assert results
    for course in results:
        assert course.category.slug == "developpement-web"
        assert course.level == "beginner" and course.format == "video"


def test_unknown_filter_values_are_ignored():
    assert search(level="expert").total == search().total


def test_pagination_splits_the_results():
    first, second = search(per_page=12, page=1), search(per_page=12, page=2)
    assert first.total == second.total >= 40
    assert len(first.items) == 12
    assert not set(first.items) & set(second.items)


def test_results_come_in_the_catalogues_order_title_then_id():
    titles = [course.title_en for course in found(language="en")]
    assert titles == sorted(titles) and len(titles) >= 40


def test_a_page_past_the_end_shows_the_last_page():
    last = search(per_page=12, page=99)
    assert last.page == last.pages and last.items


def test_the_filter_lists_the_categories_in_the_readers_language():
    french, english = (dict(browse.catalogue_index(language).categories) for language in ("fr", "en"))
    assert list(french) == sorted(french) and french.keys() == english.keys()
    assert french != english
