"""Mail set aside by the job queue, for staff at /equipe/mails-en-echec: what, to whom, why, and a retry; and the
guardian's approval mail, which a name with a line break never stops and which carries each link once."""

import email
from datetime import datetime
from pathlib import Path

import pytest

from app.extensions import db
from app.models import OutboxMessage, User
from app.models.commerce import OfferKind
from app.models.mail import OutboxStatus
from app.services.accounts import guardians
from app.services.common import clock, mail
from tests import checkout_flow as flow
from tests.banners import SUCCESS_MESSAGE
from tests.conftest import PASSWORD, text_of
from tests.factories import make_staff

SEVENTEEN = "2009-05-01"


@pytest.fixture(autouse=True)
def today():
    clock.freeze(datetime(2026, 11, 26, 10, 0, tzinfo=clock.PARIS))


@pytest.fixture
def staff(client):
    member = make_staff("equipe@example.org")
    db.session.commit()
    assert client.post("/connexion", data={"email": member.email, "password": PASSWORD}).status_code == 302
    return member


def set_aside(recipient: str, subject: str, error: str, attempts: int) -> OutboxMessage:
    message = OutboxMessage(recipient=recipient, subject=subject, body_text="Bonjour", body_html="<p>Bonjour</p>",
                            language="fr", created_at=clock.now(), status=OutboxStatus.FAILED, attempts=attempts,
                            last_error=error)
    db.session.add(message)
    db.session.commit()
    return message


def test_staff_see_the_mail_set_aside_with_its_error_and_send_it_again(client, page, staff, app, tmp_path,
                                                                       monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path))  # only this test's mail
    message = set_aside("camille@example.org", "Réponse à votre demande CTC-000012",
                        "(554, b'Transaction failed: refused by policy')", 10)
    home = page("/equipe")
    queues = {text_of(li.a): text_of(li) for li in home.select("ul.staff-queues li")}
    assert queues["Mails en échec"].endswith("1 en attente")
    soup = page("/equipe/mails-en-echec")
    assert text_of(soup.h1) == "Mails en échec"
    headers = [text_of(th) for th in soup.select("#failed-mail thead th")]
    row = soup.select_one(f"#mail-{message.id}")
    cells = dict(zip(headers, [text_of(cell) for cell in row.select("th, td")], strict=True))
    assert cells["Adresse du destinataire"] == "camille@example.org"
    assert cells["Objet du mail"] == "Réponse à votre demande CTC-000012"
    assert cells["Tentatives d'envoi"] == "10"
    assert "554" in cells["Dernière erreur"]
    response = client.post("/equipe/mails-en-echec", data={"message_id": message.id}, follow_redirects=True)
    outcome = text_of(flow.soup(response).select_one(SUCCESS_MESSAGE))
    assert "camille@example.org est remis dans la file d'envoi" in outcome
    assert message.status == OutboxStatus.SENT and message.attempts == 1  # counted afresh, then delivered
    assert [path.name for path in tmp_path.glob("*.eml")] == [f"20261126T090000-{message.id:06d}.eml"]
    assert "Aucun mail en échec." in text_of(page("/equipe/mails-en-echec").select_one("main"))
    assert text_of(page("/equipe/mails-en-echec", lang="en").h1) == "Failed mail"


def test_a_message_that_still_cannot_be_built_is_set_aside_again(client, page, staff):
    message = set_aside("pas une adresse", "Bonjour", "invalid recipient address", 1)
    client.post("/equipe/mails-en-echec", data={"message_id": message.id})
    assert message.status == OutboxStatus.FAILED and "invalid recipient address" in message.last_error
    assert page("/equipe/mails-en-echec").select_one(f"#mail-{message.id}") is not None


def test_learners_never_reach_the_failed_mail(client, signed_in):
    message = set_aside("camille@example.org", "Bonjour", "refused", 10)
    assert client.get("/equipe/mails-en-echec").status_code == 404
    assert client.post("/equipe/mails-en-echec", data={"message_id": message.id}).status_code == 404
    assert message.status == OutboxStatus.FAILED


def ask_guardian(client, first_name: str) -> OutboxMessage:
    flow.enter(client, date_of_birth=SEVENTEEN)
    learner = db.session.query(User).filter_by(email=flow.VISITOR["email"]).one()
    learner.first_name = first_name  # as stored before names were checked at sign-up
    db.session.commit()
    response = client.post("/accord-representant/solo", data={
        "guardian_name": "Marie Lopez", "guardian_email": "parent@example.org", "relationship": "parent"})
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return db.session.query(OutboxMessage).filter_by(recipient="parent@example.org").one()


@pytest.mark.parametrize("first_name", ["Eve\nX", "Eve\u2028X", "Eve\x0bX"])
def test_a_line_break_in_a_first_name_never_500s_the_guardian_request(client, app, tmp_path, monkeypatch,
                                                                        first_name):
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path))
    message = ask_guardian(client, first_name)
    assert message.status == OutboxStatus.SENT
    [path] = tmp_path.glob(f"*-{message.id:06d}.eml")
    parsed = email.message_from_bytes(Path(path).read_bytes(), policy=email.policy.default)
    assert parsed["To"] == "parent@example.org" and "\n" not in parsed["Subject"]


def test_the_guardian_receives_each_approval_link_once(client, app, tmp_path, monkeypatch):
    """Finding 9: concurrent requests delivered the same approval link up to 8 times. The mail carries a dedupe
    key per link; queuing it again (a retried request) adds nothing."""
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path))
    message = ask_guardian(client, "Ana")
    learner = db.session.query(User).filter_by(email=flow.VISITOR["email"]).one()
    approval = guardians.latest(learner, OfferKind.SOLO, None)
    assert message.dedupe_key == guardians.request_mail_key(approval)
    with app.test_request_context():
        again = mail.queue(message.recipient, "guardian_request", "fr", approval=approval, learner=approval.learner,
                           link="http://127.0.0.1:5000/representant/x", dedupe_key=guardians.request_mail_key(approval))
    db.session.commit()
    assert again.id == message.id
    assert db.session.query(OutboxMessage).filter_by(recipient="parent@example.org").count() == 1
    assert len([path for path in tmp_path.glob("*.eml") if b"parent@example.org" in path.read_bytes()]) == 1
