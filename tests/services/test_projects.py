"""Projects (issue: Premium Plus for real; the terms' "Projet"): a Premium Plus learner hands in the projects of
their Parcours, their mentor evaluates each criterion in writing, the project is validated or sent back for rework,
and a project that builds on the previous one opens once that one is validated."""

import io
import zipfile

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage, Project, ProjectStatus
from app.services.commerce import mentors
from app.services.common.uploads import Upload
from app.services.mentoring import projects
from app.services.mentoring.projects import Judgement, ProjectState
from tests.outcomes import errors_of, mails_to
from tests.plus_learners import evaluated, first_project, handed_in, mentor, mentored_in_march, plus_learner


@pytest.fixture
def pair():
    return mentored_in_march()


def mails(subject_part: str, recipient: str) -> list[OutboxMessage]:
    return [message for message in mails_to(recipient) if subject_part in message.subject]


def test_each_parcours_has_its_projects_in_the_order_of_its_programme(pair):
    _coach, subscription = pair
    standings = projects.progress(subscription).standings
    assert len(standings) == subscription.parcours.min_projects
    assert [standing.project.t("title") for standing in standings][:2] == [
        "Démarrez votre formation de développeur Python", "Utilisez Python pour automatiser une veille tarifaire"]
    assert all(len(standing.project.criteria) == 3 for standing in standings)


def test_a_project_that_builds_on_the_previous_one_opens_once_that_one_is_validated(pair):
    coach, subscription = pair
    second = projects.progress(subscription).standings[1]
    assert second.project.opens_after_previous and second.state == ProjectState.LOCKED
    assert errors_of(lambda: projects.submit(subscription, second.project.id, "Mon travail", "", None)) == {
        None: "Ce projet s'ouvre quand le projet précédent est validé."}
    evaluated(coach, handed_in(subscription))
    assert projects.standing(subscription, second.project.id).state == ProjectState.TO_DO


def test_the_rework_loop_ends_with_validation_and_nothing_more_to_hand_in(pair):
    coach, subscription = pair
    first = handed_in(subscription)
    assert errors_of(lambda: projects.submit(subscription, first.project_id, "Encore", "", None)) == {
        None: "Vous avez déjà rendu ce projet : votre mentor l'évalue."}
    assert evaluated(coach, first, met=False) == ProjectStatus.TO_REWORK
    assert projects.standing(subscription, first.project_id).state == ProjectState.TO_REWORK
    second = handed_in(subscription, first.project, "Version corrigée : la veille tourne chaque nuit.")
    assert second.attempt == 2
    assert evaluated(coach, second) == ProjectStatus.VALIDATED
    standing = projects.standing(subscription, first.project_id)
    assert standing.state == ProjectState.VALIDATED and not standing.may_submit
    assert [submission.status for submission in standing.submissions] == [ProjectStatus.TO_REWORK,
                                                                          ProjectStatus.VALIDATED]
    assert errors_of(lambda: projects.submit(subscription, first.project_id, "Encore", "", None)) == {
        None: "Ce projet est validé : il n'y a plus rien à rendre."}


def test_every_criterion_needs_a_judgement_and_a_written_comment(pair):
    coach, subscription = pair
    submission = handed_in(subscription)
    first, second, third = submission.project.criteria
    errors = errors_of(lambda: projects.evaluate(coach, submission, {
        first.id: Judgement(True, "Bien."), second.id: Judgement(None, "Pas dit."),
        third.id: Judgement(False, "   ")}, ""))
    assert errors == {projects.criterion_field(second.id): "Dites si ce critère est atteint.",
                      projects.comment_field(third.id): "Expliquez votre appréciation de ce critère : l'apprenant "
                                                        "s'en sert pour progresser."}
    assert submission.status == ProjectStatus.AWAITING_EVALUATION and submission.evaluations == []


def test_only_the_learners_mentor_now_evaluates_and_reads_the_file(pair):
    coach, subscription = pair
    submission = projects.submit(subscription, first_project(subscription).id, "Mon rapport en PDF.", "",
                                 Upload("rapport.pdf", b"%PDF-1.7 un rapport"))
    db.session.commit()
    other = mentor("autre.mentor@example.org", "developpeur-application-python")
    assert projects.mentors_submission(other, submission.id) is None
    assert not projects.can_evaluate(other, submission) and not projects.can_download(other, submission)
    assert errors_of(lambda: evaluated(other, submission)) == {
        None: "Ce projet n'attend pas votre évaluation : il a déjà été évalué, ou l'apprenant ne vous est plus "
              "confié."}
    assert projects.can_download(subscription.user, submission) and projects.can_download(coach, submission)
    mentors.assign(subscription, other)  # Student Success changed the mentor
    db.session.commit()
    assert projects.mentors_submission(coach, submission.id) is None and not projects.can_download(coach, submission)
    assert [found.id for found in projects.to_evaluate(other)] == [submission.id]
    assert projects.to_evaluate(coach) == []
    assert evaluated(other, submission) == ProjectStatus.VALIDATED


def test_what_is_handed_in_is_checked_field_by_field(pair):
    _coach, subscription = pair
    project_id = first_project(subscription).id
    errors = errors_of(lambda: projects.submit(subscription, project_id, "  ", "javascript:alert(1)",
                                               Upload("rapport.pdf", b"MZ\x90\x00 un programme")))
    assert errors == {
        "text": "Présentez votre travail : ce que vous avez fait, et où le trouver.",
        "links": "« javascript:alert(1) » n'est pas une adresse web : elle commence par https:// et tient sur une "
                 "ligne.",
        "file": "Ce fichier n'est ni un PDF, ni une image PNG ou JPEG, ni un texte brut, ni une archive ZIP : son "
                "contenu ne correspond pas. Réunissez vos fichiers dans une archive ZIP, ou donnez un lien."}
    many = "\n".join(f"https://git.example.org/lea/{number}" for number in range(6))
    assert errors_of(lambda: projects.submit(subscription, project_id, "Mon travail", many, None)) == {
        "links": "Donnez 5 adresses au plus, une par ligne."}


def test_a_solo_learner_or_another_parcours_has_no_project_to_hand_in(pair):
    _coach, subscription = pair
    elsewhere = plus_learner("yanis.data@example.org", "data-analyst")
    foreign = projects.progress(elsewhere).standings[0].project
    assert projects.standing(subscription, foreign.id) is None
    assert errors_of(lambda: projects.submit(subscription, foreign.id, "Mon travail", "", None)) == {
        None: "Les projets sont ceux de votre Parcours, tant que votre abonnement Premium Plus est en cours."}


def test_the_mentor_is_mailed_each_submission_and_the_learner_each_evaluation(pair):
    coach, subscription = pair
    coach.locale = "en"
    submission = handed_in(subscription)
    [to_mentor] = mails("Léa Bernard", coach.email)
    assert to_mentor.subject == f"Project to evaluate: “{submission.project.title_en}” by Léa Bernard"
    assert f"/mentor/projets/{submission.id}" in to_mentor.body_text
    evaluated(coach, submission, met=False)
    [to_learner] = mails("À retravailler", subscription.user.email)
    assert "Commentaire sur le critère 1." in to_learner.body_text
    assert "Retravaillez-le et rendez-le à nouveau" in to_learner.body_text


def test_the_defence_waits_for_every_required_project_but_not_the_optional_ones(pair):
    coach, subscription = pair
    user_id, parcours_id = subscription.user_id, subscription.parcours_id
    required = [standing.project for standing in projects.progress(subscription).standings if standing.project.required]
    for project in required[:-1]:
        evaluated(coach, handed_in(subscription, project))
    assert not projects.all_required_validated(user_id, parcours_id)
    evaluated(coach, handed_in(subscription, required[-1]))
    assert projects.all_required_validated(user_id, parcours_id)


def test_an_optional_project_is_not_needed_for_the_defence():
    marketing = projects.of_parcours(db.session.scalar(select(Project.parcours_id).where(Project.required.is_(False))))
    assert [project.required for project in marketing][-1] is False
    assert sum(project.required for project in marketing) == marketing[0].parcours.min_projects


def test_several_files_are_handed_in_as_one_zip_archive(pair):
    _coach, subscription = pair
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("prix.csv", "titre;prix\nLe Petit Prince;8,50\n")
    submission = projects.submit(subscription, first_project(subscription).id, "Les CSV extraits.", "",
                                 Upload("veille.zip", archive.getvalue()))
    assert (submission.file_type, submission.file_name) == ("application/zip", "veille.zip")
