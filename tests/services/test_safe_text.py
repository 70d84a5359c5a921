"""The character rules shared by forms and writers (app/services/common/safe_text.py): what is refused on the way in,
and what a mail header or an XML document gets on the way out."""

import pytest
from lxml import etree

from app.services.common import safe_text


@pytest.mark.parametrize("name", ["Eve\nX", "Eve\r\nX", "Eve\u2028X", "Eve\u2029X", "Eve\x0bX", "Eve\x0cX",
                                  "Eve\x85X", "Eve\x00X", "Eve \n\n X"])
def test_a_line_break_in_a_name_never_reaches_a_mail_header(name):
    assert safe_text.header_safe(name) == "Eve X"


def test_a_header_keeps_french_spaces_and_loses_bidi_overrides():
    assert safe_text.header_safe("« Léa\u202e »\u202f!\n") == "« Léa »\u202f!"


@pytest.mark.parametrize(("stored", "written"), [("Alice\x0bTester", "Alice Tester"), ("Ali\x00ce", "Alice"),
                                                 ("Zoé\ufffe\x1b", "Zoé"), ("Tab\tand\nline", "Tab\tand\nline")])
def test_what_xml_forbids_never_reaches_an_invoice(stored, written):
    node = etree.Element("Name")
    node.text = safe_text.xml_safe(stored)  # lxml raises ValueError on the stored text itself
    assert etree.fromstring(etree.tostring(node)).text == written


@pytest.mark.parametrize(("text", "multiline", "refused"), [
    ("Léa", False, None), ("Léa\nMartin", False, "\n"), ("Léa\nMartin", True, None), ("a\tb", False, "\t"),
    ("a\tb", True, None), ("a\x0bb", True, "\x0b"), ("a\u202eb", True, "\u202e"), ("a\u2066b", False, "\u2066"),
    ("a\u200fb", False, None), ("🙂 e\u0301", False, None), ("a\x00", True, "\x00"), ("a\u2028b", False, "\u2028"),
])
def test_refused_characters(text, multiline, refused):
    assert safe_text.refused_character(text, multiline) == refused


def test_text_is_normalised_to_nfc_trimmed_and_with_one_kind_of_line_end():
    assert safe_text.normalise("  Cafe\u0301\r\n\r\nfin\r\n", multiline=True) == "Caf\u00e9\n\nfin"
    assert safe_text.normalise("\tCafe\u0301 ") == "Caf\u00e9"
