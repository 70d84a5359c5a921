"""`flask users`: the team creates a colleague's account with a role, and gives or takes back a role, without
editing the database; the new account has no password until its owner chooses one from the mailed link."""

import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import OutboxMessage, User
from app.services.accounts import roles, users
from tests.conftest import signed_in_client, soup_of, text_of
from tests.factories import make_user


def invoke(app, *args: str):
    return app.test_cli_runner().invoke(args=["users", *args])


def create_staff(app, email: str = "ines.moreau@example.org"):
    return invoke(app, "create", email, "--role", "staff", "--first-name", "Inès", "--last-name", "Moreau",
                  "--date-of-birth", "1988-01-21")


def test_a_created_staff_account_has_no_password_and_its_owner_chooses_one_from_the_mailed_link(app, client):
    result = create_staff(app)
    assert result.exit_code == 0, result.output
    assert "created with the role staff" in result.output
    user = users.find_by_email("ines.moreau@example.org")
    assert user is not None and user.is_staff and user.password_hash is None
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email)).one()
    assert message.subject == "Vos identifiants de connexion"
    path = re.search(r"http://127\.0\.0\.1:5000(/reinitialiser-mot-de-passe/\S+)", message.body_text)[1]
    form = soup_of(client.get(path)).select_one("main form")
    assert form is not None and form.select_one("input[type=password]") is not None


def test_creating_an_account_for_an_address_already_registered_changes_nothing(app):
    learner = make_user("lea.martin@example.org")
    result = create_staff(app, learner.email)
    assert result.exit_code != 0
    assert "existe déjà" in result.output
    db.session.refresh(learner)
    assert not learner.is_staff
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_an_address_that_is_not_one_is_refused(app):
    result = create_staff(app, "ines.moreau@")
    assert result.exit_code != 0 and "adresse email valide" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_name_with_a_control_character_is_refused(app):
    result = invoke(app, "create", "ines.moreau@example.org", "--role", "staff", "--first-name", "In\x00ès",
                    "--last-name", "Moreau", "--date-of-birth", "1988-01-21")
    assert result.exit_code != 0 and "sans caractère invisible" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_granting_staff_opens_the_back_office_and_revoking_closes_it_at_the_next_page(app):
    learner = make_user("lea.martin@example.org")
    client = signed_in_client(app, learner)
    assert client.get("/equipe").status_code == 404
    granted = invoke(app, "grant", learner.email, "staff")
    assert granted.exit_code == 0 and "now holds the role staff" in granted.output
    assert "Demandes et réclamations" in text_of(soup_of(client.get("/equipe")).select_one("main"))
    assert "already holds" in invoke(app, "grant", learner.email, "staff").output
    revoked = invoke(app, "revoke", learner.email, "staff")
    assert revoked.exit_code == 0 and "no longer holds the role staff" in revoked.output
    assert client.get("/equipe").status_code == 404
    assert not roles.has(learner, roles.Role.STAFF)


def test_a_role_for_an_unknown_address_or_an_unknown_role_is_refused(app):
    assert "No account has the address" in invoke(app, "grant", "personne@example.org", "staff").output
    make_user("lea.martin@example.org")
    unknown_role = invoke(app, "grant", "lea.martin@example.org", "admin")
    assert unknown_role.exit_code != 0 and "admin" in unknown_role.output
