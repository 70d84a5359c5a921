"""Handing in a project, and the mentor's evaluation of it: for each criterion, met or not (radio buttons) and a
written comment. The rules (what is required, lengths, addresses) are the service's."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import RadioField, TextAreaField

from app.forms import Form, work_files
from app.models import Project
from app.services.mentoring import projects
from app.services.mentoring.projects import Judgement

MET, NOT_MET = "met", "not_met"


class ProjectSubmissionForm(Form):
    text = TextAreaField(_l("Présentation de votre travail"),
                         description=_l("Ce que vous avez réalisé, vos choix, et ce que contiennent les liens et le "
                                        "fichier joint."))
    links = TextAreaField(_l("Liens (facultatif)"),
                          description=_l("Une adresse par ligne, commençant par https:// : un dépôt de code, une "
                                         "maquette, une présentation en ligne. %(n)s au plus.", n=projects.MAX_LINKS))
    file = FileField(_l("Fichier joint (facultatif)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        work_files.describe(self.file, archive=True)


class EvaluationForm(Form):
    _ids: list[int] = []  # the criteria, in the order of `_criteria`
    _criteria: list[tuple[str, str]] = []  # (judgement, comment) field names, set on each class by evaluation_form
    feedback = TextAreaField(_l("Appréciation générale (facultatif)"),
                             description=_l("Ce que l'apprenant retiendra de ce projet, et la suite."))

    def criteria_fields(self):
        return [(getattr(self, judged), getattr(self, comment)) for judged, comment in self._criteria]

    def judgements(self) -> dict[int, Judgement]:
        found = {}
        for criterion_id, (judged, comment) in zip(self._ids, self.criteria_fields(), strict=True):
            met = {MET: True, NOT_MET: False}.get(judged.data or "")
            found[criterion_id] = Judgement(met, comment.data or "")
        return found


def evaluation_form(project: Project, **kwargs) -> EvaluationForm:
    """The evaluation form of `project`: per criterion, "met" / "to rework" and a comment."""

    class ProjectEvaluationForm(EvaluationForm):
        _criteria: list[tuple[str, str]] = []
        _ids: list[int] = []

    total = len(project.criteria)
    for number, criterion in enumerate(project.criteria, start=1):
        judged, comment = projects.criterion_field(criterion.id), projects.comment_field(criterion.id)
        label = gettext("Critère %(number)s sur %(total)s : %(label)s", number=number, total=total,
                        label=criterion.t("label"))
        setattr(ProjectEvaluationForm, judged, RadioField(
            label, choices=[(MET, _l("Atteint")), (NOT_MET, _l("À retravailler"))], validate_choice=False))
        setattr(ProjectEvaluationForm, comment, TextAreaField(
            gettext("Votre commentaire sur le critère %(number)s", number=number)))
        ProjectEvaluationForm._criteria.append((judged, comment))
        ProjectEvaluationForm._ids.append(criterion.id)
    return ProjectEvaluationForm(**kwargs)
