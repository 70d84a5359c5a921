"""Every member of every labelled enum has its label, translated: app/labels.py is the one home of these labels."""

import enum

import pytest
from flask import Flask

from app.forms.support import ContactForm
from app.i18n import force_language
from app.labels import LABELS, UNLABELLED, label
from app.models import ContactQuestion
from app.models.catalog import ChapterKind, CourseFormat, Level
from app.models.community import ReportReason
from app.services.support.requests import question_label

# French labels whose English is the same text (a brand); any other label left untranslated fails.
IDENTICAL_IN_FRENCH_AND_ENGLISH = {"PayPal", "Premium Solo", "Premium Plus"}


@pytest.mark.parametrize("enum_class", list(LABELS), ids=lambda enum_class: enum_class.__name__)
def test_every_member_has_a_french_and_an_english_label(app: Flask, enum_class: type[enum.Enum]) -> None:
    members = [member for member in enum_class if member not in UNLABELLED]
    with app.test_request_context():
        with force_language("fr"):
            french = [label(member) for member in members]
        with force_language("en"):
            english = [label(member) for member in members]
    assert all(text.strip() for text in french + english)
    # Two members never share a label, in either language.
    assert len(set(french)) == len(set(english)) == len(members)
    untranslated = {fr for fr, en in zip(french, english, strict=True) if fr == en}
    assert untranslated == IDENTICAL_IN_FRENCH_AND_ENGLISH & set(french)


def test_the_label_of_a_member_is_its_own_enums_even_when_values_are_equal(app: Flask) -> None:
    # CourseFormat.VIDEO and ChapterKind.VIDEO are both "video": the label comes from the member's enum.
    assert CourseFormat.VIDEO == ChapterKind.VIDEO
    with app.test_request_context(), force_language("fr"):
        assert label(CourseFormat.VIDEO) == "Vidéo"
        assert label(Level.ADVANCED) == "Avancé"
        with pytest.raises(KeyError):
            label(ChapterKind.VIDEO)


def test_services_and_forms_read_the_same_labels(app: Flask) -> None:
    with app.test_request_context(), force_language("en"):
        assert label(ReportReason("spam")) == "Advertising or spam"
        assert question_label(ContactQuestion.TECHNICAL) == label(ContactQuestion.TECHNICAL)
        choices = dict(ContactForm().question.choices)
        assert choices["technical"] == label(ContactQuestion.TECHNICAL)
