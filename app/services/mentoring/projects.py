"""Projects (Premium Plus; the terms' "Projet", CGS-2.2-D1): the practical work of a Parcours, handed in by the
learner and evaluated by their mentor against the project's criteria.

The rules:
- a learner hands in the projects of the Parcours of their Premium Plus subscription, while it gives access;
- a project that "opens after the previous one" can be handed in once the project before it is validated;
- one submission at a time: another only after the mentor asked for rework, none after validation;
- the learner's mentor now (not another mentor) evaluates, criterion by criterion: met or not, with a written
  comment for each; the project is validated when every criterion is met, and sent back for rework otherwise;
- the learner is emailed the evaluation, the mentor each submission, each in their own language;
- the defence may be asked for once every required project of the Parcours is validated (`all_required_validated`).

Functions flush and never commit: the caller commits once.
"""

import enum
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import ScalarSelect, SQLColumnExpression, and_, bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import (
    CriterionEvaluation,
    MentorAssignment,
    Project,
    ProjectStatus,
    ProjectSubmission,
    Subscription,
    User,
)
from app.services import DomainError
from app.services.commerce import mentors, subscriptions
from app.services.common import clock, mail, safe_text, uploads
from app.services.common.uploads import Upload

MAX_TEXT_LENGTH = 20_000
MAX_LINKS = 5
MAX_LINK_LENGTH = 500
MAX_COMMENT_LENGTH = 3_000


class ProjectState(enum.StrEnum):
    """Where a learner stands on a project."""
    LOCKED = "locked"  # opens once the project before it is validated
    TO_DO = "to_do"
    AWAITING_EVALUATION = "awaiting_evaluation"
    TO_REWORK = "to_rework"
    VALIDATED = "validated"


@dataclass(frozen=True)
class Standing:
    project: Project
    submissions: list[ProjectSubmission]  # the learner's, the first first
    state: ProjectState

    @property
    def latest(self) -> ProjectSubmission | None:
        return self.submissions[-1] if self.submissions else None

    @property
    def may_submit(self) -> bool:
        return self.state in (ProjectState.TO_DO, ProjectState.TO_REWORK)


@dataclass(frozen=True)
class Progress:
    standings: list[Standing]  # in the Parcours' order

    @property
    def validated(self) -> int:
        return sum(1 for standing in self.standings if standing.state == ProjectState.VALIDATED)

    @property
    def required(self) -> int:
        return sum(1 for standing in self.standings if standing.project.required)

    @property
    def required_validated(self) -> int:
        return sum(1 for standing in self.standings
                   if standing.project.required and standing.state == ProjectState.VALIDATED)

    @property
    def every_required_validated(self) -> bool:
        """What the defence waits for (`completions` says it from the database alone)."""
        return self.required_validated == self.required

    @property
    def next_to_hand_in(self) -> Standing | None:
        """The first project the learner can work on now (to do, or to rework)."""
        return next((standing for standing in self.standings if standing.may_submit), None)


def _state(latest: ProjectSubmission | None, previous_validated: bool, project: Project) -> ProjectState:
    if latest is not None:
        return ProjectState(latest.status.value)
    if project.opens_after_previous and not previous_validated:
        return ProjectState.LOCKED
    return ProjectState.TO_DO


def of_parcours(parcours_id: int, with_criteria: bool = True) -> list[Project]:
    statement = select(Project).where(Project.parcours_id == parcours_id).order_by(Project.position)
    if with_criteria:
        statement = statement.options(selectinload(Project.criteria))
    return list(db.session.scalars(statement))


def progress(subscription: Subscription, with_details: bool = True) -> Progress:
    """The learner's standing on every project of their Parcours. One query for the projects with the learner's
    submissions, and two more `with_details` (the criteria, the evaluations)."""
    if subscription.parcours_id is None:
        return Progress([])
    statement = (
        select(Project, ProjectSubmission)
        .outerjoin(ProjectSubmission, and_(ProjectSubmission.project_id == Project.id,
                                           ProjectSubmission.learner_id == subscription.user_id))
        .where(Project.parcours_id == subscription.parcours_id)
        .order_by(Project.position, Project.id, ProjectSubmission.attempt))
    if with_details:
        statement = statement.options(selectinload(Project.criteria), selectinload(ProjectSubmission.evaluations))
    projects: list[Project] = []
    submitted: dict[int, list[ProjectSubmission]] = {}
    for project, submission in db.session.execute(statement):
        if not projects or projects[-1] is not project:
            projects.append(project)
        if submission is not None:
            submitted.setdefault(project.id, []).append(submission)
    standings: list[Standing] = []
    for project in projects:
        mine = submitted.get(project.id, [])
        previous_validated = not standings or standings[-1].state == ProjectState.VALIDATED
        standings.append(Standing(project, mine, _state(mine[-1] if mine else None, previous_validated, project)))
    return Progress(standings)


def standing(subscription: Subscription, project_id: int) -> Standing | None:
    """The learner's standing on one project of their Parcours; None for a project of another Parcours."""
    return next((found for found in progress(subscription).standings if found.project.id == project_id), None)


@dataclass(frozen=True)
class Completion:
    """A learner's required projects of a Parcours: all validated or not, and when the last was validated (None
    for a Parcours that asks for no project)."""
    complete: bool
    last_validated_at: datetime | None


def completions(pairs: Collection[tuple[int, int]]) -> dict[tuple[int, int], Completion]:
    """For each (learner id, Parcours id): have they validated every required project of it? Two queries."""
    if not pairs:
        return {}
    learner_ids, parcours_ids = {learner for learner, _ in pairs}, {parcours for _, parcours in pairs}
    required = {parcours_id: count for parcours_id, count in db.session.execute(
        select(Project.parcours_id, func.count(Project.id))
        .where(Project.parcours_id.in_(parcours_ids), Project.required.is_(True)).group_by(Project.parcours_id))}
    validated = {(learner, parcours): (count, last) for learner, parcours, count, last in db.session.execute(
        select(ProjectSubmission.learner_id, Project.parcours_id, func.count(func.distinct(Project.id)),
               func.max(ProjectSubmission.evaluated_at))
        .join(Project, Project.id == ProjectSubmission.project_id)
        .where(ProjectSubmission.learner_id.in_(learner_ids), Project.parcours_id.in_(parcours_ids),
               Project.required.is_(True), ProjectSubmission.status == ProjectStatus.VALIDATED)
        .group_by(ProjectSubmission.learner_id, Project.parcours_id))}
    found = {}
    for pair in pairs:
        total = required.get(pair[1], 0)
        count, last = validated.get(pair, (0, None))
        found[pair] = Completion(count >= total, last if total else None)
    return found


def all_required_validated(user_id: int, parcours_id: int) -> bool:
    """Every required project of the Parcours validated by the learner (true of a Parcours without projects)."""
    return completions([(user_id, parcours_id)])[user_id, parcours_id].complete


# --- Handing in ------------------------------------------------------------------------------------------------

def _links(text: str) -> tuple[list[str], str | None]:
    """The addresses given, one a line; with what is wrong with them, if anything."""
    links = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(links) > MAX_LINKS:
        return links, str(_l("Donnez %(n)s adresses au plus, une par ligne.", n=MAX_LINKS))
    for link in links:
        parts = urlsplit(link)
        if (parts.scheme not in ("http", "https") or not parts.netloc or len(link) > MAX_LINK_LENGTH
                or safe_text.has_control(link) or " " in link):
            return links, str(_l("« %(link)s » n'est pas une adresse web : elle commence par https:// et tient "
                                 "sur une ligne.", link=link[:80]))
    return links, None


def submit(subscription: Subscription, project_id: int, text: str, links_text: str,
           upload: Upload | None) -> ProjectSubmission:
    """Hand in a project. Refused with the reasons next to their fields: no presentation, a bad address, a file of
    the wrong type or too big; or, for the whole form, a project not open to this learner now."""
    errors: list[tuple[str | None, str]] = []
    text = (text or "").strip()
    if not text:
        errors.append(("text", str(_l("Présentez votre travail : ce que vous avez fait, et où le trouver."))))
    elif len(text) > MAX_TEXT_LENGTH:
        errors.append(("text", str(_l("Le texte ne doit pas dépasser %(n)s caractères.",
                                      n=format_decimal(MAX_TEXT_LENGTH)))))
    links, link_problem = _links(links_text)
    if link_problem is not None:
        errors.append(("links", link_problem))
    checked = None
    if upload is not None:
        checked, refusal = uploads.check_work(upload, uploads.PROJECT_TYPES)
        if refusal is not None:
            errors.append(("file", refusal))
    found = standing(subscription, project_id) if mentors.needs_mentor(subscription) else None
    if found is None:
        errors.append((None, str(_l("Les projets sont ceux de votre Parcours, tant que votre abonnement Premium "
                                    "Plus est en cours."))))
    elif not found.may_submit:
        errors.append((None, _reason_not_open(found.state)))
    if errors:
        raise DomainError(errors)
    assert found is not None
    submission = ProjectSubmission(
        project_id=project_id, learner_id=subscription.user_id, subscription_id=subscription.id,
        attempt=len(found.submissions) + 1, text=text, links="\n".join(links), submitted_at=clock.now(),
        status=ProjectStatus.AWAITING_EVALUATION)
    if upload is not None and checked is not None:
        uploads.attach(submission, upload, checked, "projet")
    try:
        with db.session.begin_nested():  # the same form sent twice at once: one submission
            db.session.add(submission)
    except IntegrityError:
        raise DomainError([(None, _reason_not_open(ProjectState.AWAITING_EVALUATION))]) from None
    assignment = mentors.current(subscription)
    if assignment is not None:
        mentor = assignment.mentor
        mail.queue(mentor.email, "project_submitted", mentor.locale, submission=submission, person=mentor,
                   learner=subscription.user, dedupe_key=f"project-submitted:{submission.id}")
    return submission


def _reason_not_open(state: ProjectState) -> str:
    return str({
        ProjectState.LOCKED: _l("Ce projet s'ouvre quand le projet précédent est validé."),
        ProjectState.AWAITING_EVALUATION: _l("Vous avez déjà rendu ce projet : votre mentor l'évalue."),
        ProjectState.VALIDATED: _l("Ce projet est validé : il n'y a plus rien à rendre."),
    }.get(state, _l("Ce projet ne peut pas être rendu maintenant.")))


def learners_submission(user: User, submission_id: int) -> ProjectSubmission | None:
    """The learner's own submission; anyone else's is as good as unknown."""
    submission = db.session.get(ProjectSubmission, submission_id)
    return submission if submission is not None and submission.learner_id == user.id else None


# --- The mentor's side -----------------------------------------------------------------------------------------

def _is_current_mentor(mentor: User, subscription_id: int) -> bool:
    return db.session.scalar(select(MentorAssignment.id).where(
        MentorAssignment.subscription_id == subscription_id, MentorAssignment.mentor_id == mentor.id,
        MentorAssignment.ended_at.is_(None)).limit(1)) is not None


def mentors_submission(mentor: User, submission_id: int) -> ProjectSubmission | None:
    """A submission of a learner the mentor accompanies now; any other is as good as unknown to them."""
    submission = db.session.get(ProjectSubmission, submission_id)
    if submission is None or not _is_current_mentor(mentor, submission.subscription_id):
        return None
    return submission


def can_download(user: User, submission: ProjectSubmission) -> bool:
    """The file: for the learner who handed it in and their mentor now."""
    return submission.has_file and (user.id == submission.learner_id
                                    or _is_current_mentor(user, submission.subscription_id))


def can_evaluate(mentor: User, submission: ProjectSubmission) -> bool:
    return (submission.status == ProjectStatus.AWAITING_EVALUATION
            and _is_current_mentor(mentor, submission.subscription_id))


@dataclass(frozen=True)
class Judgement:
    """The mentor's judgement of one criterion: met (None when not chosen) and the written comment."""
    met: bool | None
    comment: str


def evaluate(mentor: User, submission: ProjectSubmission, judgements: dict[int, Judgement],
             feedback: str) -> ProjectStatus:
    """Record the evaluation: every criterion judged, each with a comment. Validated when every criterion is met,
    to rework otherwise; the learner is emailed it."""
    if not can_evaluate(mentor, submission):
        raise DomainError([(None, str(_l("Ce projet n'attend pas votre évaluation : il a déjà été évalué, ou "
                                         "l'apprenant ne vous est plus confié.")))])
    errors: list[tuple[str | None, str]] = []
    for criterion in submission.project.criteria:
        judgement = judgements.get(criterion.id, Judgement(None, ""))
        if judgement.met is None:
            errors.append((criterion_field(criterion.id), str(_l("Dites si ce critère est atteint."))))
        comment = judgement.comment.strip()
        if not comment:
            errors.append((comment_field(criterion.id), str(_l("Expliquez votre appréciation de ce critère : "
                                                                "l'apprenant s'en sert pour progresser."))))
        elif len(comment) > MAX_COMMENT_LENGTH:
            errors.append((comment_field(criterion.id), str(_l("Le commentaire ne doit pas dépasser %(n)s "
                                                                "caractères.", n=format_decimal(MAX_COMMENT_LENGTH)))))
    if len(feedback.strip()) > MAX_COMMENT_LENGTH:
        errors.append(("feedback", str(_l("Le commentaire ne doit pas dépasser %(n)s caractères.",
                                          n=format_decimal(MAX_COMMENT_LENGTH)))))
    if errors:
        raise DomainError(errors)
    for criterion in submission.project.criteria:
        judgement = judgements[criterion.id]
        submission.evaluations.append(CriterionEvaluation(criterion_id=criterion.id, met=bool(judgement.met),
                                                          comment=judgement.comment.strip()))
    every_met = all(judgements[criterion.id].met for criterion in submission.project.criteria)
    submission.status = ProjectStatus.VALIDATED if every_met else ProjectStatus.TO_REWORK
    submission.evaluator_id, submission.evaluated_at = mentor.id, clock.now()
    submission.feedback = feedback.strip() or None
    db.session.flush()
    learner = submission.learner
    mail.queue(learner.email, "project_evaluated", learner.locale, submission=submission, person=learner,
               mentor=mentor, validated=submission.status == ProjectStatus.VALIDATED,
               dedupe_key=f"project-evaluated:{submission.id}")
    return submission.status


def criterion_field(criterion_id: int) -> str:
    return f"criterion_{criterion_id}"


def comment_field(criterion_id: int) -> str:
    return f"comment_{criterion_id}"


_TO_EVALUATE = (  # built once (the mentor's space)
    select(ProjectSubmission)
    .join(MentorAssignment, MentorAssignment.subscription_id == ProjectSubmission.subscription_id)
    .join(Subscription, Subscription.id == ProjectSubmission.subscription_id)
    .where(MentorAssignment.mentor_id == bindparam("mentor_id"), MentorAssignment.ended_at.is_(None),
           Subscription.status.in_(subscriptions.GIVES_ACCESS),
           ProjectSubmission.status == ProjectStatus.AWAITING_EVALUATION)
    .options(joinedload(ProjectSubmission.learner), joinedload(ProjectSubmission.project))
    .order_by(ProjectSubmission.submitted_at, ProjectSubmission.id))


def to_evaluate(mentor: User) -> list[ProjectSubmission]:
    """The submissions of the learners the mentor accompanies now that wait for evaluation, the oldest first."""
    return list(db.session.scalars(_TO_EVALUATE, {"mentor_id": mentor.id}))


def history(submission: ProjectSubmission) -> list[ProjectSubmission]:
    """Every submission of the same project by the same learner, the first first (the mentor reads what was asked
    for before)."""
    return list(db.session.scalars(
        select(ProjectSubmission).where(ProjectSubmission.project_id == submission.project_id,
                                        ProjectSubmission.learner_id == submission.learner_id)
        .options(selectinload(ProjectSubmission.evaluations)).order_by(ProjectSubmission.attempt)))


def latest_evaluated_id(subscription_id: int | SQLColumnExpression[int]) -> ScalarSelect[int]:
    """The contract's submission the mentor evaluated last (its id, for a query; the contract's id may be an outer
    query's column)."""
    return (select(ProjectSubmission.id).where(
        ProjectSubmission.subscription_id == subscription_id, ProjectSubmission.evaluated_at.is_not(None))
        .order_by(ProjectSubmission.evaluated_at.desc(), ProjectSubmission.id.desc()).limit(1)
        .correlate_except(ProjectSubmission).scalar_subquery())
