"""A Premium Plus candidate to the diploma: the Parcours, its certificates, the dates of the defence."""

from datetime import date, datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Certificate, Parcours, ProjectStatus, ProjectSubmission, Subscription, User
from app.models.commerce import OfferKind
from app.services.common import clock
from app.services.learning import completion
from app.services.mentoring import projects
from tests.factories import UserFactory, subscriber

PARCOURS = "developpeur-application-python"
COMPLETED_AT = datetime(2026, 12, 1, 10, 0, tzinfo=clock.PARIS)
DECIDED_AT = datetime(2026, 12, 15, 17, 0, tzinfo=clock.PARIS)
DEFENCE = date(2026, 12, 14)
COMMENTS = "Soutenance claire ; l'architecture de l'application est bien justifiée."


def parcours_named(slug: str = PARCOURS) -> Parcours:
    return db.session.scalar(select(Parcours).where(Parcours.slug == slug))


def learner_with(offer: OfferKind | None, email: str = "lea.martin@example.org", parcours_slug: str = PARCOURS,
                 first_name: str = "Léa", last_name: str = "Martin", locale: str = "fr") -> User:
    """A learner with a paid, active subscription: Premium Plus on `parcours_slug`, or Premium Solo."""
    if offer is None:
        user = UserFactory(email=email, first_name=first_name, last_name=last_name, locale=locale)
        db.session.commit()
        return user
    return subscriber(email, first_name, last_name, offer=offer, locale=locale,
                      parcours=parcours_named(parcours_slug) if offer == OfferKind.PLUS else None)


def complete(user: User, parcours: Parcours, skip: int = 0, projects_left: int = 0) -> list[Certificate]:
    """Issue `user` the certificate of every course of `parcours` but the last `skip` ones, and, when they have a
    subscription, record every required project of it validated but the last `projects_left` ones (the evaluation
    loop itself is proven in tests/services/test_projects.py)."""
    courses = parcours.courses[:len(parcours.courses) - skip]
    issued = [completion.issue(user, course, 80 + index) for index, course in enumerate(courses)]
    subscription_id = db.session.scalar(select(Subscription.id).where(Subscription.user_id == user.id)
                                        .order_by(Subscription.id.desc()).limit(1))
    required = [project for project in projects.of_parcours(parcours.id) if project.required]
    done = set(db.session.scalars(select(ProjectSubmission.project_id).where(ProjectSubmission.learner_id == user.id)))
    if subscription_id is not None:
        for project in [project for project in required[:len(required) - projects_left] if project.id not in done]:
            db.session.add(ProjectSubmission(
                project_id=project.id, learner_id=user.id, subscription_id=subscription_id, attempt=1,
                text="Mon projet.", links="", submitted_at=clock.now(), status=ProjectStatus.VALIDATED,
                evaluated_at=clock.now()))
    db.session.commit()
    return issued


def staff_member(email: str = "sofia.staff@example.org") -> User:
    member = UserFactory(email=email, staff=True)
    db.session.commit()
    return member
