"""Typed SQLAlchemy models, one module per aggregate."""

from app.models.catalog import Category, Chapter, Course, Parcours, parcours_courses
from app.models.mail import OutboxMessage
from app.models.terms import LegalDocumentVersion, RenderedPdf
from app.models.user import User, UserSession

__all__ = [
    "Category", "Chapter", "Course", "Parcours", "parcours_courses", "OutboxMessage",
    "LegalDocumentVersion", "RenderedPdf", "User", "UserSession",
]
