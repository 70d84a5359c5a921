"""The assignment and review pages (CGS-DEF-1): a subscriber hands in work, another who finished the course
reviews it against the rubric, anonymously both ways; the file goes to the submitter and that reviewer only."""

import io

import pytest
from bs4 import BeautifulSoup

from app.extensions import db
from app.models import AssignmentSubmission, PeerReview
from app.services.learning import peer_review
from tests.assignments import COMMENTS, PDF, SLUG, WORK, reviewer
from tests.banners import SUCCESS_MESSAGE
from tests.conftest import PASSWORD, make_user, text_of
from tests.factories import subscriber

PAGE = f"/cours/{SLUG}/devoir"
REVIEW = f"/cours/{SLUG}/evaluer"


def signed_in_client(app, user):
    client = app.test_client()
    response = client.post("/connexion", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    client.get(response.headers["Location"])  # the "signed in" message shown
    return client


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def get(client, url: str, lang: str = "fr", status: int = 200) -> BeautifulSoup:
    response = client.get(url, headers={"Accept-Language": lang})
    assert response.status_code == status, response.get_data(as_text=True)[:1500]
    return soup(response)


def hand_in(client, text: str = WORK, file: tuple[bytes, str] | None = None, lang: str = "fr"):
    data = {"text": text}
    if file is not None:
        data["file"] = (io.BytesIO(file[0]), file[1])
    return client.post(PAGE, data=data, content_type="multipart/form-data", headers={"Accept-Language": lang})


def review_data(page: BeautifulSoup, chosen: list[int], comments: str = COMMENTS) -> dict:
    data = {"submission_id": page.select_one("input[name=submission_id]")["value"], "comments": comments}
    for fieldset, value in zip(page.select("form fieldset"), chosen, strict=True):
        data[fieldset["id"]] = str(value)
    return data


@pytest.fixture
def sam(app):
    user = subscriber("sam.submitter@example.org", "Sam", "Soumis")
    return user, signed_in_client(app, user)


@pytest.fixture
def rita(app):
    user = reviewer()
    return user, signed_in_client(app, user)


@pytest.mark.clause("CGS-DEF-1")
def test_the_assignment_page_gives_the_instructions_the_rubric_as_a_table_and_the_form(sam):
    _, client = sam
    page = get(client, PAGE)
    assert text_of(page.h1) == "Créez un mini-catalogue de cours avec Flask"
    assert "Livrable" in text_of(page.select_one("section[aria-labelledby=instructions-title]"))
    table = page.select_one("table.rubric")
    assert "20 points au total" in text_of(table.caption) and "70 %" in text_of(table.caption)
    assert [th["scope"] for th in table.select("thead th")] == ["col", "col"]
    rows = table.select("tbody tr")
    assert len(rows) == 5 and rows[0].th["scope"] == "row" and text_of(rows[0].td) == "5"
    form = page.select_one("form[enctype='multipart/form-data']")
    assert form["action"] == PAGE
    assert text_of(form.select_one("label[for=text]")) == "Votre texte"
    assert form.select_one("#text")["aria-required"] == "true"
    file_input = form.select_one("input#file[type=file]")
    assert text_of(form.select_one("label[for=file]")) == "Fichier joint (facultatif)"
    assert "file-hint" in file_input["aria-describedby"]
    hint = text_of(page.select_one("#file-hint"))
    assert "5 Mo au plus" in hint and "PDF" in hint and "PNG" in hint and "JPEG" in hint and "texte brut" in hint


def test_a_visitor_signs_in_first_and_a_non_subscriber_is_sent_to_the_offers(app, client):
    assert "/connexion" in client.get(PAGE).headers["Location"]
    visitor = make_user("no.subscription@example.org")
    response = signed_in_client(app, visitor).get(PAGE)
    assert response.status_code == 302 and response.headers["Location"] == "/premium"
    assert db.session.query(AssignmentSubmission).count() == 0


def test_a_course_without_an_assignment_has_no_assignment_page(sam):
    _, client = sam
    assert client.get("/cours/javascript-fondamentaux/devoir").status_code == 404
    assert client.get("/cours/javascript-fondamentaux/evaluer").status_code == 404


@pytest.mark.clause("CGS-DEF-1")
def test_a_subscriber_hands_in_a_text_with_a_file_and_sees_it_awaits_review(sam):
    user, client = sam
    response = hand_in(client, file=(PDF, "rapport final – été.pdf"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{PAGE}#your-work")
    page = get(client, PAGE)
    assert "Votre travail est rendu" in text_of(page.select_one(SUCCESS_MESSAGE))
    assert text_of(page.select_one("#submission-status")) == "En attente d'évaluation"
    assert WORK in text_of(page.select_one("section[aria-labelledby=your-work]"))
    assert page.select_one("form[enctype='multipart/form-data']") is None  # one active submission
    link = page.select_one(f"a[href^='{PAGE}/rendus/']")
    assert "rapport final – été.pdf" in text_of(link)
    download = client.get(link["href"])
    assert download.status_code == 200 and download.data == PDF and download.mimetype == "application/pdf"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=UTF-8''rapport%20final%20%E2%80%93%20%C3%A9t%C3%A9.pdf" in disposition  # any language


def test_a_text_alone_is_enough(sam):
    user, client = sam
    assert hand_in(client).status_code == 302
    submission = db.session.query(AssignmentSubmission).one()
    assert submission.user_id == user.id and not submission.has_file


@pytest.mark.clause("CGS-DEF-1")
def test_a_pdf_that_is_not_a_pdf_is_refused_next_to_the_field_and_the_text_kept(sam):
    _, client = sam
    response = hand_in(client, text="Mon travail, écrit avec soin.", file=(b"MZ\x90\x00 not a pdf", "rapport.pdf"))
    assert response.status_code == 200
    page = soup(response)
    assert page.title.get_text().startswith("Erreur")
    error = page.select_one("#file-error")
    assert "ni un PDF" in text_of(error)
    assert "file-error" in page.select_one("#file")["aria-describedby"]
    assert page.select_one("#file")["aria-invalid"] == "true"
    assert page.select_one("#error-summary a[href='#file']")
    assert page.select_one("#text").get_text().strip() == "Mon travail, écrit avec soin."
    assert db.session.query(AssignmentSubmission).count() == 0


def test_a_file_too_big_is_refused_and_the_text_kept(app, sam, monkeypatch):
    _, client = sam
    monkeypatch.setitem(app.config, "ASSIGNMENT_MAX_BYTES", 1024 * 1024)
    response = hand_in(client, file=(PDF + b"0" * (1024 * 1024), "rapport.pdf"))
    page = soup(response)
    assert "dépasse 1 Mo" in text_of(page.select_one("#file-error"))
    assert "1 Mo au plus" in text_of(page.select_one("#file-hint"))
    assert page.select_one("#text").get_text().strip() == WORK
    assert db.session.query(AssignmentSubmission).count() == 0


def test_an_empty_text_is_refused_next_to_its_field_and_a_good_file_must_be_chosen_again(sam):
    _, client = sam
    page = soup(hand_in(client, text="  ", file=(PDF, "rapport.pdf")))
    assert "Écrivez votre travail" in text_of(page.select_one("#text-error"))
    assert "text-error" in page.select_one("#text")["aria-describedby"]
    assert page.select_one("#file-error") is None
    assert "il faut le choisir à nouveau" in text_of(page.select_one("#file-hint"))


@pytest.mark.clause("CGS-DEF-1")
def test_the_review_page_is_refused_to_a_learner_who_has_not_finished_the_course(sam):
    _, client = sam
    page = get(client, REVIEW, status=403)
    assert "quand vous aurez terminé ce cours" in text_of(page.select_one("main"))
    assert page.select_one("form fieldset") is None
    assignment_page = get(client, PAGE)
    assert assignment_page.select_one(f"a[href='{REVIEW}']") is None


@pytest.mark.clause("CGS-DEF-1")
def test_a_reviewer_scores_anonymous_work_per_criterion_and_the_submitter_sees_an_anonymous_grade(sam, rita):
    submitter, submitter_client = sam
    reviewer_user, reviewer_client = rita
    hand_in(submitter_client, file=(PDF, "sam-soumis-rapport.pdf"))
    others = get(reviewer_client, PAGE).select_one("section[aria-labelledby=review-others]")
    assert "1 travail attend une évaluation" in text_of(others)
    page = get(reviewer_client, REVIEW)
    assert text_of(page.h1) == "Évaluer le travail d'un autre apprenant"
    assert WORK in text_of(page.select_one("section[aria-labelledby=work-title]"))
    whole = text_of(page) + str(page)
    for identity in ("Sam", "Soumis", submitter.email, "sam-soumis"):
        assert identity not in whole
    fieldsets = page.select("form fieldset")
    assert len(fieldsets) == 5
    assert text_of(fieldsets[0].legend).startswith("Critère 1 sur 5 : Les routes et les templates fonctionnent")
    assert len(fieldsets[0].select("input[type=radio]")) == 6  # 0 to 5 points
    assert all(fieldset.select_one(f"label[for={radio['id']}]") for fieldset in fieldsets
               for radio in fieldset.select("input[type=radio]"))
    assert page.select_one("label[for=comments]")
    download = reviewer_client.get(page.select_one(f"a[href^='{PAGE}/rendus/']")["href"])
    assert download.data == PDF and "sam" not in download.headers["Content-Disposition"]

    response = reviewer_client.post(REVIEW, data=review_data(page, [4, 4, 3, 2, 1]))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{PAGE}#review-others")
    review = db.session.query(PeerReview).one()
    assert review.reviewer_id == reviewer_user.id and review.points == 14

    graded = get(submitter_client, PAGE)
    assert text_of(graded.select_one("#submission-status")) == "Évalué : réussi"
    section = graded.select_one("section[aria-labelledby=your-work]")
    assert "Votre note : 70 % (14 points sur 20)" in text_of(section)
    detail = section.select_one("table")
    assert [text_of(row.select("td")[0]) for row in detail.select("tbody tr")] == ["4", "4", "3", "2", "1"]
    assert COMMENTS in text_of(section)
    whole = text_of(graded) + str(graded)
    for identity in ("Rita", "Relectrice", reviewer_user.email):
        assert identity not in whole


@pytest.mark.clause("CGS-DEF-1")
def test_a_forged_review_of_ones_own_work_is_refused(rita):
    reviewer_user, client = rita
    hand_in(client)
    own = db.session.query(AssignmentSubmission).one()
    assert get(client, REVIEW).select_one("form fieldset") is None  # nothing to review: never one's own
    criteria = peer_review.course_assignment(own.assignment.course_id).criteria
    data = {"submission_id": str(own.id), "comments": COMMENTS,
            **{peer_review.criterion_field(c.id): str(c.max_points) for c in criteria}}
    response = client.post(REVIEW, data=data)
    assert response.status_code == 403
    assert "votre propre travail" in text_of(soup(response).select_one("main"))
    assert db.session.query(PeerReview).count() == 0


def test_review_errors_are_shown_next_to_each_criterion_and_the_comments_kept(sam, rita):
    _, submitter_client = sam
    _, client = rita
    hand_in(submitter_client)
    page = get(client, REVIEW)
    data = review_data(page, [4, 4, 3, 2, 1], comments="Trop court")
    first = page.select("form fieldset")[0]["id"]
    del data[first]
    response = client.post(REVIEW, data=data)
    assert response.status_code == 200
    again = soup(response)
    assert "Critère 1 : choisissez une note" in text_of(again.select_one(f"#{first}-error"))
    assert f"{first}-error" in again.select_one(f"fieldset#{first}")["aria-describedby"]
    assert again.select_one(f"#error-summary a[href='#{first}-0']")
    assert "Expliquez votre note" in text_of(again.select_one("#comments-error"))
    assert again.select_one("#comments").get_text().strip() == "Trop court"
    second = page.select("form fieldset")[1]["id"]
    assert again.select_one(f"input[name={second}][value='4']").has_attr("checked")  # the points given are kept
    assert db.session.query(PeerReview).count() == 0


@pytest.mark.clause("CGS-DEF-1")
def test_the_file_is_not_found_for_anyone_but_the_submitter_and_the_assigned_reviewer(app, client, sam, rita):
    _, submitter_client = sam
    hand_in(submitter_client, file=(PDF, "rapport.pdf"))
    submission = db.session.query(AssignmentSubmission).one()
    url = f"{PAGE}/rendus/{submission.id}/fichier"
    _, reviewer_client = rita
    assert reviewer_client.get(url).status_code == 404  # not given to this reviewer yet
    get(reviewer_client, REVIEW)
    assert reviewer_client.get(url).status_code == 200
    other = signed_in_client(app, reviewer("ravi.reviewer@example.org"))
    assert other.get(url).status_code == 404
    stranger = signed_in_client(app, subscriber("stranger@example.org"))
    assert stranger.get(url).status_code == 404
    assert submitter_client.get(f"/cours/accessibilite-numerique/devoir/rendus/{submission.id}/fichier"
                                ).status_code == 404
    assert "/connexion" in client.get(url).headers["Location"]


def test_the_pages_are_in_english_for_an_english_reader(sam, rita):
    _, submitter_client = sam
    page = get(submitter_client, PAGE, lang="en")
    assert page.html["lang"] == "en"
    assert text_of(page.h1) == "Build a small course catalogue with Flask"
    assert text_of(page.select_one("#rubric-title")) == "Assessment rubric"
    assert "5 MB at most" in text_of(page.select_one("#file-hint"))
    hand_in(submitter_client)
    _, reviewer_client = rita
    review = get(reviewer_client, REVIEW, lang="en")
    assert text_of(review.h1) == "Review another learner's work"
    assert text_of(review.select("form fieldset legend")[0]).startswith("Criterion 1 of 5: Routes and templates work")



@pytest.mark.clause("CGS-DEF-1")
def test_the_course_page_says_where_the_learner_stands_with_the_assignment(sam, rita):
    _, client = sam
    line = get(client, f"/cours/{SLUG}").select_one("#course-progress #assignment-status")
    assert "pas encore rendu (note requise : 70 %)" in text_of(line)
    assert line.select_one("a")["href"] == PAGE
    hand_in(client)
    assert "rendu, en attente d'évaluation" in text_of(get(client, f"/cours/{SLUG}").select_one("#assignment-status"))
    _, reviewer_client = rita
    page = get(reviewer_client, REVIEW)
    reviewer_client.post(REVIEW, data=review_data(page, [5, 5, 4, 3, 0]))
    line = get(client, f"/cours/{SLUG}").select_one("#assignment-status")
    assert "réussi avec 85 %" in text_of(line)
    assert text_of(line.select_one("a")) == "Voir la note et les commentaires"
    assert get(client, "/cours/javascript-fondamentaux").select_one("#assignment-status") is None
