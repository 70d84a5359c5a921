"""Countries of residence and their age of majority (art. 1 of the terms: majority of the country)."""

from babel import Locale

from app.services.common.text import fold

DEFAULT_AGE_OF_MAJORITY = 18

# Countries where civil majority is not 18. Everywhere else: 18.
AGE_OF_MAJORITY = {
    "DZ": 19,  # Algeria: Civil Code art. 40
    "KR": 19,  # South Korea: Civil Act art. 4
    "TH": 20,  # Thailand: Civil and Commercial Code s. 19
    "SG": 21,  # Singapore: Civil Law Act s. 35 (contracts)
    "BH": 21,
    "KW": 21,
    "EG": 21,
    "CM": 21,  # Cameroon: Civil Code art. 488
}


def age_of_majority(country_code: str) -> int:
    return AGE_OF_MAJORITY.get(country_code.upper(), DEFAULT_AGE_OF_MAJORITY)


def country_choices(language: str) -> list[tuple[str, str]]:
    """(code, name) pairs in the reader's language, France first, then alphabetical."""
    territories = Locale.parse(language).territories
    names = {code: name for code, name in territories.items() if len(code) == 2 and code.isalpha()}
    for withdrawn in ("ZZ", "QO", "EU", "EZ", "UN", "XA", "XB", "XK"):
        names.pop(withdrawn, None)
    others = sorted((item for item in names.items() if item[0] != "FR"), key=lambda item: _sort_key(item[1]))
    return [("FR", names["FR"]), *others]


def country_name(code: str, language: str) -> str:
    """The country's name in `language` ("Belgique", "Belgium"), or its code when Babel has none."""
    name: str = Locale.parse(language).territories.get(code, code)
    return name


def is_known_country(code: str) -> bool:
    return code in Locale.parse("fr").territories and len(code) == 2 and code.isalpha()


def _sort_key(name: str) -> str:
    return fold(name)
