"""Which characters may enter the portal, and text made safe where it is written.

One set of rules, used at both ends:
- on the way in (every form field, the request guard): text is Unicode NFC, trimmed, and refused when it holds a
  control character or a bidirectional override. Such characters are never typed on purpose: they come from a
  paste (a word processor's manual line break, U+000B) or from someone trying to break a mail header, an XML
  document or the database (PostgreSQL refuses NUL in text), or to make a name read backwards on an invoice;
- on the way out (mail headers, XML, PDFs): text already stored before these rules, or coming from elsewhere,
  is made safe where it is written, so that a character can never stop a mail, an invoice or a payment.

No request, no form here: plain functions over strings.
"""

import re
import unicodedata

# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they reorder what a reader sees.
# The plain marks U+200E/U+200F stay allowed: they change no order on their own and some names need them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Line and paragraph separators: line breaks for Unicode, not for a mail header or a one-line field.
LINE_SEPARATORS = frozenset("\u2028\u2029")
# What a multi-line text may hold among the control characters (CRLF and CR become LF).
MULTILINE_CONTROLS = frozenset("\t\n")
_LINE_ENDS = re.compile(r"\r\n?|[\u2028\u2029]")
# Characters that XML 1.0 forbids (lxml refuses them); surrogates cannot be encoded in UTF-8 either.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BREAK = "\x00-\x1f\x7f-\x9f\u2028\u2029"
_HEADER_BREAKS = re.compile(f" *[{_BREAK}][ {_BREAK}]*")


def is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


def is_bidi_control(char: str) -> bool:
    return char in BIDI_CONTROLS


def is_line_break(char: str) -> bool:
    return char in "\n\r\x0b\x0c\x1c\x1d\x1e\x85" or char in LINE_SEPARATORS


def code_point(char: str) -> str:
    """"U+000B": how a refused character is named in a message (it is invisible, so it cannot be shown)."""
    return f"U+{ord(char):04X}"


def normalise(text: str, multiline: bool = False) -> str:
    """NFC, outer blank space trimmed; in a multi-line text, every line end becomes LF."""
    text = unicodedata.normalize("NFC", text)
    if multiline:
        text = _LINE_ENDS.sub("\n", text)
    return text.strip()


def refused_character(text: str, multiline: bool = False) -> str | None:
    """The first character that `text` may not hold (a control character other than the tab and line feed of a
    multi-line text, a bidi override, a line break in a one-line text), or None."""
    allowed = MULTILINE_CONTROLS if multiline else frozenset()
    for char in text:
        if char in allowed:
            continue
        if is_control(char) or is_bidi_control(char) or (not multiline and is_line_break(char)):
            return char
    return None


def without_refused(text: str, multiline: bool = False) -> str:
    """`text` with every refused character removed (line breaks of a one-line text become spaces): what a form
    shows again next to its error, for the reader to check and send."""
    allowed = MULTILINE_CONTROLS if multiline else frozenset()
    kept = []
    for char in text:
        if not multiline and is_line_break(char):
            kept.append(" ")
        elif char in allowed or not (is_control(char) or is_bidi_control(char)):
            kept.append(char)
    return "".join(kept).strip()


def has_control(text: str) -> bool:
    """True when `text` holds any control character (line breaks and tabs included) or bidi override: for
    values that are never text to read, such as an address or a query parameter's name."""
    return any(is_control(char) or is_bidi_control(char) or char in LINE_SEPARATORS for char in text)


def xml_safe(text: str) -> str:
    """`text` without the characters that XML 1.0 forbids (NUL, vertical tab...), which would make lxml refuse
    the whole document: an invoice must be issued whatever its buyer's name holds. The old page and line
    breaks (a word processor's manual line break is U+000B) become a space, so that words stay apart."""
    return _NOT_XML.sub(lambda found: " " if is_line_break(found.group()) else "", text)


def header_safe(text: str) -> str:
    """`text` on one line, for a mail header (a subject): every run of line breaks, control characters and
    Unicode line separators becomes one space, bidi overrides are dropped, and the ends are trimmed."""
    text = "".join(char for char in text if not is_bidi_control(char))
    return _HEADER_BREAKS.sub(" ", text).strip()
