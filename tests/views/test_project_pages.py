"""The project pages: the learner's list and project page, handing in with a file, errors next to their fields;
the mentor's evaluation page, open to the learner's mentor only; the file for the learner and their mentor."""

import io

from app.extensions import db
from app.services.mentoring import projects
from tests.banners import CONTENT, SUCCESS_MESSAGE
from tests.conftest import make_user, signed_in_client, soup_of, text_of
from tests.plus_learners import PYTHON, evaluated, first_project, handed_in, mentor, mentored_in_march


def test_the_learner_sees_each_project_with_where_they_stand(app):
    coach, subscription = mentored_in_march()
    evaluated(coach, handed_in(subscription))
    page = soup_of(signed_in_client(app, subscription.user).get("/mon-parcours/projets"))
    assert text_of(page.h1) == "Mes projets"
    assert text_of(page.select_one("#projects-progress-text")) == "1 projet obligatoire validé sur 8"
    items = page.select("#projects > li")
    assert len(items) == 8
    assert [text_of(item.select_one(".govuk-tag")) for item in items[:3]] == ["Validé", "À rendre", "Pas encore ouvert"]
    assert items[1].h2.a["href"] == f"/mon-parcours/projets/{projects.progress(subscription).standings[1].project.id}"
    assert items[2].h2.a is None  # locked: no link
    english = soup_of(signed_in_client(app, subscription.user).get("/mon-parcours/projets",
                                                                   headers={"Accept-Language": "en"}))
    assert text_of(english.h1) == "My projects"
    assert text_of(english.select_one("#projects-progress-text")) == "1 required project validated out of 8"


def test_handing_in_a_project_with_a_file_and_reading_the_evaluation(app):
    coach, subscription = mentored_in_march()
    project = first_project(subscription)
    client = signed_in_client(app, subscription.user)
    url = f"/mon-parcours/projets/{project.id}"
    page = soup_of(client.get(url))
    assert text_of(page.h1) == project.title_fr
    assert [text_of(item) for item in page.select("#criteria li")] == [c.label_fr for c in project.criteria]
    response = client.post(url, data={"text": "Mon script et son rapport.", "links": "https://git.example.org/lea/p1",
                                      "file": (io.BytesIO(b"%PDF-1.7 rapport"), "rapport.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    page = soup_of(client.get(url))
    assert text_of(page.select_one(SUCCESS_MESSAGE)).startswith("Votre projet est rendu.")
    assert text_of(page.select_one("#project-state")) == "En cours d'évaluation"
    assert page.select_one("form[enctype]") is None  # nothing to hand in while it is evaluated
    [article] = page.select("article.project-submission")
    assert text_of(article.h3).startswith("Rendu n° 1 du")
    download = article.find("a", string=lambda text: text and "rapport.pdf" in text)
    assert client.get(download["href"]).data == b"%PDF-1.7 rapport"
    [submission] = projects.progress(subscription).standings[0].submissions
    assert signed_in_client(app, coach).get(download["href"]).data == b"%PDF-1.7 rapport"
    stranger = make_user("curieux@example.org")
    db.session.commit()
    assert signed_in_client(app, stranger).get(download["href"]).status_code == 404
    evaluated(coach, submission, met=False)
    page = soup_of(client.get(url))
    assert text_of(page.select_one("#project-state")) == "À retravailler"
    first_criterion = page.select("dl.evaluation > div")[0]
    assert text_of(first_criterion.dd) == "À retravailler — Commentaire sur le critère 1."
    assert text_of(page.select_one("#submit-title")) == "Rendre le projet à nouveau"


def test_errors_are_shown_next_to_their_fields_and_the_text_is_kept(app):
    _coach, subscription = mentored_in_march()
    url = f"/mon-parcours/projets/{first_project(subscription).id}"
    response = signed_in_client(app, subscription.user).post(
        url, data={"text": "Mon travail", "links": "ftp://old.example.org",
                   "file": (io.BytesIO(b"\x00\x01binaire"), "rapport.pdf")}, content_type="multipart/form-data")
    page = soup_of(response)
    assert response.status_code == 200
    assert text_of(page.select_one("#links-error")).endswith(
        "« ftp://old.example.org » n'est pas une adresse web : elle commence par https:// et tient sur une ligne.")
    assert "ni un PDF" in text_of(page.select_one("#file-error"))
    assert page.select_one("#text").get_text().lstrip("\r\n") == "Mon travail"
    assert page.select_one("#links")["aria-invalid"] == "true"
    assert [link["href"] for link in page.select(".govuk-error-summary a")] == ["#links", "#file"]


def test_the_project_pages_are_not_found_without_premium_plus(app):
    learner = make_user("solo.curieuse@example.org")
    db.session.commit()
    client = signed_in_client(app, learner)
    assert client.get("/mon-parcours/projets").status_code == 404


def test_the_mentor_evaluates_criterion_by_criterion_from_their_space(app):
    coach, subscription = mentored_in_march()
    submission = handed_in(subscription)
    client = signed_in_client(app, coach)
    space = soup_of(client.get("/mentor"))
    [waiting] = space.select("#projects-to-evaluate li")
    assert waiting.a["href"] == f"/mentor/projets/{submission.id}"
    url = waiting.a["href"]
    page = soup_of(client.get(url))
    assert text_of(page.h1) == f"Évaluer « {submission.project.title_fr} » de Léa Bernard"
    criteria = submission.project.criteria
    legends = [text_of(legend) for legend in page.select("#evaluation-form legend")]
    assert legends[0] == f"Critère 1 sur 3 : {criteria[0].label_fr}"
    form = {projects.criterion_field(criteria[0].id): "met", projects.comment_field(criteria[0].id): "Très bien.",
            projects.criterion_field(criteria[1].id): "not_met"}
    page = soup_of(client.post(url, data=form))
    assert text_of(page.select_one(f"#{projects.comment_field(criteria[1].id)}-error")).endswith(
        "Expliquez votre appréciation de ce critère : l'apprenant s'en sert pour progresser.")
    assert text_of(page.select_one(f"#{projects.criterion_field(criteria[2].id)}-error")).endswith(
        "Dites si ce critère est atteint.")
    assert page.select_one(f"#{projects.comment_field(criteria[0].id)}").get_text().lstrip("\r\n") == "Très bien."
    for criterion in criteria[1:]:
        form[projects.criterion_field(criterion.id)] = "met"
        form[projects.comment_field(criterion.id)] = "Atteint."
    response = client.post(url, data=form)
    assert response.status_code == 302 and response.location == "/mentor"
    space = soup_of(client.get("/mentor"))
    assert text_of(space.select_one(SUCCESS_MESSAGE)) == "Projet validé : Léa Bernard en est informé par email."
    assert space.select_one("#nothing-to-evaluate") is not None


def test_another_mentor_finds_nothing(app):
    _coach, subscription = mentored_in_march()
    submission = handed_in(subscription)
    other = mentor("autre.mentor@example.org", PYTHON)
    client = signed_in_client(app, other)
    assert client.get(f"/mentor/projets/{submission.id}").status_code == 404
    assert client.post(f"/mentor/projets/{submission.id}", data={}).status_code == 404
    assert signed_in_client(app, subscription.user).get(f"/mentor/projets/{submission.id}").status_code == 404


def test_with_htmx_the_evaluation_is_swapped_in_place_with_its_outcome(app):
    coach, subscription = mentored_in_march()
    submission = handed_in(subscription)
    client = signed_in_client(app, coach)
    url = f"/mentor/projets/{submission.id}"
    form = {}
    for criterion in submission.project.criteria:
        form[projects.criterion_field(criterion.id)] = "met"
        form[projects.comment_field(criterion.id)] = "Atteint."
    response = client.post(url, data=form, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    fragment = soup_of(response)
    assert fragment.h1 is None and fragment.select_one("#evaluation-area") is not None
    outcome = fragment.select_one("#evaluation-outcome")
    assert outcome.has_attr("autofocus")
    assert text_of(outcome.select_one(CONTENT)) == "Projet validé : Léa Bernard en est informé par email."
    assert "govuk-notification-banner--success" in outcome["class"] and outcome["role"] == "status"
    assert "Validé" in text_of(fragment.select_one("article.project-submission h3"))
