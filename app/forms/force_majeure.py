"""The learner's force majeure request."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import Form


class ForceMajeureForm(Form):
    reason = TextAreaField(_l("Ce qui vous empêche de suivre la formation"),
                           validators=[DataRequired(_l("Décrivez ce qui vous empêche de suivre la formation.")),
                                       Length(max=5000)],
                           description=_l("Par exemple une hospitalisation, un événement familial grave. Student "
                                          "Success vous répond par email."))
    document = FileField(_l("Justificatif (facultatif)"),
                         description=_l("Un PDF, une image PNG ou JPEG, 2 Mo au plus."))
