"""Mentoring sessions: a learner books and cancels; a mentor offers weekly slots and gives their video-call
address."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, TextAreaField, TimeField, URLField
from wtforms.validators import DataRequired, InputRequired, Length

from app.forms import Form

WEEKDAYS = (_l("lundi"), _l("mardi"), _l("mercredi"), _l("jeudi"), _l("vendredi"), _l("samedi"), _l("dimanche"))


class BookingForm(Form):
    starts_at = RadioField(_l("Créneau"), choices=[],
                           validators=[InputRequired(_l("Choisissez un créneau dans la liste."))])

    def __init__(self, *args, start_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.starts_at.choices = list(start_choices)


class CancelSessionForm(Form):
    reason = TextAreaField(_l("Motif de l'annulation"), validators=[Length(max=2000)],
                           description=_l("Obligatoire à moins de 24 heures de la séance ; Student Success "
                                          "l'examine."))


class SlotForm(Form):
    weekday = SelectField(_l("Jour"), choices=[(str(number), name) for number, name in enumerate(WEEKDAYS)],
                          validators=[DataRequired(_l("Choisissez un jour de la semaine."))])
    starts_at = TimeField(_l("Heure de début"), validators=[InputRequired(_l("Indiquez l'heure de début, par "
                                                                            "exemple 18:00."))],
                          description=_l("Chaque créneau donne une séance de 45 minutes."))
    time_zone = SelectField(_l("Fuseau horaire"), choices=[], validators=[DataRequired()])

    def __init__(self, *args, time_zones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone.choices = [(zone, zone) for zone in time_zones]


class VideoCallForm(Form):
    video_call_url = URLField(_l("Adresse de votre salle de visioconférence"),
                              validators=[DataRequired(_l("Indiquez l'adresse de votre salle de visioconférence, "
                                                          "commençant par https://.")), Length(max=300)],
                              description=_l("Elle est envoyée avec chaque séance réservée."))


class AttendanceForm(Form):
    attendance = RadioField(_l("Présence de l'apprenant"), choices=[],
                            validators=[InputRequired(_l("Choisissez ce qui s'est passé."))])
    note = TextAreaField(_l("Note pour l'apprenant (facultatif)"), validators=[Length(max=2000)])

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.attendance.choices = list(choices)


class AttendanceContestForm(Form):
    message = TextAreaField(_l("Ce qui est inexact, et ce qui s'est passé"),
                            validators=[DataRequired(_l("Expliquez ce qui est inexact dans cet enregistrement.")),
                                        Length(max=5000)],
                            description=_l("Student Success examine votre contestation et vous répond par écrit."))


class TimeZoneForm(Form):
    time_zone = SelectField(_l("Afficher les horaires à l'heure de"), choices=[], validators=[DataRequired()],
                            description=_l("Le fuseau horaire du lieu où vous suivez vos séances."))

    def __init__(self, *args, time_zones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone.choices = [(zone, zone) for zone in time_zones]
