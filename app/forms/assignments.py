"""Handing in an assignment, and reviewing another learner's against the rubric (one group of radio buttons per
criterion). The rules (required text, file type and size, points within range) are the service's."""

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, TextAreaField

from app.forms import Form, work_files
from app.models import Assignment
from app.services.learning import peer_review


class SubmissionForm(Form):
    text = TextAreaField(_l("Votre texte"),
                         description=_l("Présentez votre travail et, s'il y a un fichier joint, ce qu'il contient. "
                                        "Ne mettez pas votre nom : l'évaluation est anonyme."))
    file = FileField(_l("Fichier joint (facultatif)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        work_files.describe(self.file)


class ReviewForm(Form):
    _criteria: list[str] = []  # the names of the per-criterion fields, set on each form class by review_form
    submission_id = HiddenField()
    comments = TextAreaField(_l("Vos commentaires"),
                             description=_l("Dites ce qui est réussi et ce qui peut être amélioré, critère par "
                                            "critère (%(n)s caractères au moins). Ne donnez pas votre nom : "
                                            "l'évaluation est anonyme.", n=peer_review.MIN_COMMENTS_LENGTH))

    def criteria_fields(self):
        return [getattr(self, name) for name in self._criteria]


def review_form(assignment: Assignment, **kwargs) -> ReviewForm:
    """The review form of `assignment`: a group of radio buttons (0 to the maximum) per rubric criterion."""

    class AssignmentReviewForm(ReviewForm):
        _criteria: list[str] = []

    for number, criterion in enumerate(assignment.criteria, start=1):
        name = peer_review.criterion_field(criterion.id)
        label = gettext("Critère %(number)s sur %(total)s : %(label)s", number=number,
                        total=len(assignment.criteria), label=criterion.t("label"))
        choices = [(str(points), ngettext("%(num)s point", "%(num)s points", points))
                   for points in range(criterion.max_points + 1)]
        setattr(AssignmentReviewForm, name, RadioField(label, choices=choices, validate_choice=False))
        AssignmentReviewForm._criteria.append(name)
    return AssignmentReviewForm(**kwargs)


def points_of(form: ReviewForm, assignment: Assignment) -> dict[int, int | None]:
    """The points given to each criterion (None when not given or not a whole number)."""
    points = {}
    for criterion in assignment.criteria:
        raw = (getattr(form, peer_review.criterion_field(criterion.id)).data or "").strip()
        points[criterion.id] = int(raw) if raw.isascii() and raw.isdigit() else None  # never "²"
    return points
