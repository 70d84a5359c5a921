"""Asking for the final defence from "Mon parcours", with accommodations, and Student Success scheduling it on the
defences page: errors next to their fields, the outcome announced, the learner's page showing the defence."""

from datetime import datetime

from app.models.commerce import OfferKind
from app.services.common import clock
from app.services.learning import defences
from tests.banners import SUCCESS_MESSAGE
from tests.conftest import signed_in_client, soup_of, text_of
from tests.diploma_candidates import complete, learner_with, parcours_named, staff_member

PAGE = "/mon-parcours/soutenance"


def completed_learner():
    clock.freeze(datetime(2026, 12, 1, 10, 0, tzinfo=clock.PARIS))
    learner = learner_with(OfferKind.PLUS)
    complete(learner, parcours_named())
    clock.freeze(datetime(2026, 12, 15, 10, 0, tzinfo=clock.PARIS))
    return learner


def test_the_learner_asks_for_the_defence_with_accommodations(app):
    learner = completed_learner()
    client = signed_in_client(app, learner)
    home = soup_of(client.get("/mon-parcours"))
    assert home.select_one("#ask-defence")["href"] == PAGE
    page = soup_of(client.get(PAGE))
    assert text_of(page.h1) == "Ma soutenance finale"
    assert [text_of(label) for label in page.select("fieldset label")] == [
        "Un temps supplémentaire", "Un interprète en langue des signes",
        "Un autre format (par écrit, en plusieurs temps, en présentiel…)"]
    page = soup_of(client.post(PAGE, data={"other_format": "y"}))
    assert text_of(page.title).startswith("Erreur")
    assert text_of(page.select_one("#details-error")).endswith(
        "Décrivez le format qui vous convient : nous l'organisons avec le jury.")
    assert page.select_one("#other_format").has_attr("checked")  # kept as ticked
    response = client.post(PAGE, data={"other_format": "y", "details": "À l'écrit, en deux temps."})
    assert response.status_code == 302
    page = soup_of(client.get(PAGE))
    assert text_of(page.select_one(SUCCESS_MESSAGE)).startswith("Votre demande de soutenance est enregistrée.")
    assert text_of(page.select_one("#defence-requested")).startswith("Vous avez demandé votre soutenance le 15")
    assert page.select_one("form[action='/mon-parcours/soutenance']") is None


def test_staff_schedule_the_defence_and_the_learner_sees_it(app):
    learner = completed_learner()
    subscription = defences.subscriptions.current_subscription(learner.id, OfferKind.PLUS)
    request = defences.ask(learner, subscription, defences.Accommodations(extra_time=True))
    staff = signed_in_client(app, staff_member())
    page = soup_of(staff.get("/equipe/soutenances"))
    card = page.select_one(f"#schedule-{request.id}")
    assert [text_of(item) for item in card.select(".accommodations li")] == ["Un temps supplémentaire"]
    url = f"/equipe/soutenances/demandes/{request.id}/programmer"
    prefix = f"schedule-{request.id}-"
    page = soup_of(staff.post(url, data={prefix + "starts_on-day": "22", prefix + "starts_on-month": "12",
                                         prefix + "starts_on-year": "2026", prefix + "starts_time": "14:30",
                                         prefix + "minutes": "80", prefix + "video_url": "https://visio.example.org/j",
                                         prefix + "jury": "Mme Durand"}))
    assert text_of(page.select_one(f"#{prefix}accommodation_answer-error")).endswith(
        "Répondez aux aménagements demandés : ce qui est accordé, et comment.")
    assert page.select_one(f"#{prefix}jury").get_text().lstrip("\r\n") == "Mme Durand"
    response = staff.post(url, data={prefix + "starts_on-day": "22", prefix + "starts_on-month": "12",
                                     prefix + "starts_on-year": "2026", prefix + "starts_time": "14:30",
                                     prefix + "minutes": "80", prefix + "video_url": "https://visio.example.org/j",
                                     prefix + "jury": "Mme Durand", prefix + "accommodation_answer": "Tiers temps."})
    assert response.status_code == 302
    assert "programmée le 22 décembre 2026 à 14:30" in text_of(soup_of(staff.get("/equipe/soutenances"))
                                                               .select_one(SUCCESS_MESSAGE))
    mine = soup_of(signed_in_client(app, learner).get(PAGE, headers={"Accept-Language": "en"}))
    scheduled = mine.select_one("#defence-scheduled")
    assert "December 22, 2026 at 14:30" in text_of(scheduled)
    assert "80 minutes" in text_of(scheduled) and "Tiers temps." in text_of(scheduled)


def test_the_pages_are_not_for_anyone_else(app):
    learner = completed_learner()
    subscription = defences.subscriptions.current_subscription(learner.id, OfferKind.PLUS)
    request = defences.ask(learner, subscription, defences.Accommodations())
    assert signed_in_client(app, learner).post(
        f"/equipe/soutenances/demandes/{request.id}/programmer", data={}).status_code == 404
    other = learner_with(None, email="curieuse@example.org")
    assert signed_in_client(app, other).get(PAGE).status_code == 404
