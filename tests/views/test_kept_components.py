"""GOV.UK components are rendered once per distinct parameters and kept (app/components.py): a field's error, the
value typed, the option chosen and the language must still be each page's own."""

from bs4 import BeautifulSoup
from markupsafe import Markup

from app import components
from tests.conftest import soup_of, text_of


class _CountingMacro:
    """Stands for a port macro: a name, and HTML made from its parameters."""

    def __init__(self, name: str = "govukTag"):
        self.name = name
        self.calls = 0

    def __call__(self, params):
        self.calls += 1
        return f"<p>{params!r}</p>"


def test_a_component_is_rendered_once_for_the_same_parameters():
    macro = _CountingMacro("govukTestOnce")
    first = components.component(macro, {"text": "Payé", "classes": "govuk-tag--green"})
    again = components.component(macro, {"text": "Payé", "classes": "govuk-tag--green"})
    assert first == again and macro.calls == 1
    components.component(macro, {"text": "Échoué", "classes": "govuk-tag--red"})
    assert macro.calls == 2


def test_parameters_that_would_be_written_differently_are_kept_apart():
    macro = _CountingMacro("govukTestApart")
    written = [
        components.component(macro, {"attributes": {"id": "a", "lang": "en"}}),
        components.component(macro, {"attributes": {"lang": "en", "id": "a"}}),  # attributes in another order
        components.component(macro, {"checked": True}),
        components.component(macro, {"checked": 1}),
        components.component(macro, {"text": "<b>"}),
        components.component(macro, {"text": Markup("<b>")}),  # already HTML: the port would not escape it
        components.component(macro, {"items": [{"value": "card"}, {"value": "paypal"}]}),
        components.component(macro, {"items": [{"value": "paypal"}, {"value": "card"}]}),
    ]
    assert macro.calls == len(written)
    other = _CountingMacro("govukTestOther")
    components.component(other, {"checked": True})
    assert other.calls == 1, "another macro with the same parameters is rendered by itself"


def test_parameters_it_cannot_read_are_rendered_each_time():
    macro = _CountingMacro("govukTestUnreadable")
    for _ in range(2):
        components.component(macro, {"text": object()})
    assert macro.calls == 2


def test_what_is_kept_is_bounded(monkeypatch):
    monkeypatch.setattr(components, "KEPT_AT_MOST", 3)
    monkeypatch.setattr(components, "_kept", {})
    macro = _CountingMacro("govukTestBounded")
    for number in range(10):
        components.component(macro, {"text": str(number)})
    assert len(components._kept) == 3
    components.component(macro, {"text": "9"})
    components.component(macro, {"text": "0"})
    assert macro.calls == 11, "the newest are kept, the oldest made again"


def test_a_kept_field_shows_each_answer_its_own_error_and_value(client):
    fresh = soup_of(client.get("/inscription"))
    assert fresh.select_one("#email").get("value") in (None, "")
    assert not fresh.select("#email-error")
    wrong = soup_of(client.post("/inscription", data={"email": "pas-une-adresse"}))
    assert wrong.select_one("#email")["value"] == "pas-une-adresse"
    assert wrong.select_one("#email")["aria-invalid"] == "true"
    assert "Indiquez une adresse email valide" in text_of(wrong.select_one("#email-error"))
    other = soup_of(client.post("/inscription", data={"email": "autre-erreur"}))
    assert other.select_one("#email")["value"] == "autre-erreur"
    again = soup_of(client.get("/inscription"))
    assert not again.select("#email-error") and again.select_one("#email").get("value") in (None, "")
    english = soup_of(client.post("/inscription", data={"email": "pas-une-adresse"},
                                  headers={"Accept-Language": "en"}))
    assert "Indiquez" not in text_of(english.select_one("#email-error"))


def test_a_selects_options_are_given_with_their_choice_and_their_own_attributes(app):
    from wtforms import Form, SelectField

    class _ZoneForm(Form):
        zone = SelectField("Fuseau", choices=[("Europe/Paris", "Paris"), ("Europe/Kyiv", "Kyiv", {"disabled": True}),
                                              ("America/Cayenne", "Cayenne", {"data-x": False, "lang": "fr"})])

    form = _ZoneForm(data={"zone": "America/Cayenne"})
    assert components.select_items(form.zone) == [
        {"value": "Europe/Paris", "text": "Paris", "selected": False},
        {"value": "Europe/Kyiv", "text": "Kyiv", "selected": False,
         "attributes": {"disabled": {"value": True, "optional": True}}},
        {"value": "America/Cayenne", "text": "Cayenne", "selected": True, "attributes": {"lang": "fr"}},
    ]
    with app.test_request_context():
        html = BeautifulSoup(app.jinja_env.from_string(
            '{% from "components/forms.html" import field %}{{ field(form.zone) }}').render(form=form), "html.parser")
    options = html.select("select#zone option")
    assert [option["value"] for option in options] == ["Europe/Paris", "Europe/Kyiv", "America/Cayenne"]
    assert options[1].has_attr("disabled") and options[2].has_attr("selected") and options[2]["lang"] == "fr"
    assert not options[0].has_attr("selected") and not options[0].has_attr("disabled")


def test_a_kept_select_follows_each_forms_choices_and_value(app, monkeypatch):
    from wtforms import Form, SelectField

    read = []
    select_items = components.select_items
    monkeypatch.setattr(components, "select_items", lambda field: read.append(field.data) or select_items(field))

    class _ZoneForm(Form):
        zone = SelectField("Fuseau horaire du test gardé")

    def selected(value, zones=("Europe/Paris", "Europe/Kyiv", "America/Cayenne")):
        form = _ZoneForm(data={"zone": value})
        form.zone.choices = [(zone, zone) for zone in zones]
        with app.test_request_context():
            html = BeautifulSoup(app.jinja_env.from_string(
                '{% from "components/forms.html" import field %}{{ field(form.zone) }}').render(form=form),
                "html.parser")
        return [option["value"] for option in html.select("option[selected]")], len(html.select("option"))

    assert selected("Europe/Kyiv") == (["Europe/Kyiv"], 3)
    assert selected("Europe/Kyiv") == (["Europe/Kyiv"], 3) and read == ["Europe/Kyiv"]  # kept: options not read
    assert selected("America/Cayenne") == (["America/Cayenne"], 3)
    assert selected("Europe/Kyiv", zones=("Europe/Kyiv", "Asia/Tokyo")) == (["Europe/Kyiv"], 2)
    assert read == ["Europe/Kyiv", "America/Cayenne", "Europe/Kyiv"]
