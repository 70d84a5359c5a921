"""Translated labels for enumerations shown in the interface."""

from flask_babel import lazy_gettext as _l

from app.models.catalog import CourseFormat, Level

LEVEL_LABELS = {
    Level.BEGINNER: _l("Débutant"),
    Level.INTERMEDIATE: _l("Intermédiaire"),
    Level.ADVANCED: _l("Avancé"),
}

FORMAT_LABELS = {
    CourseFormat.TEXT: _l("Texte"),
    CourseFormat.VIDEO: _l("Vidéo"),
    CourseFormat.MIXED: _l("Texte et vidéo"),
}
