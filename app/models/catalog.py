"""The catalogue: categories, courses with their chapters, and Parcours (learning paths)."""

import enum

from sqlalchemy import JSON, Boolean, Column, ColumnElement, ForeignKey, Integer, String, Table, Text, func, or_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models._i18n import Bilingual
from app.models._types import string_enum


class Level(enum.StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class CourseFormat(enum.StrEnum):
    TEXT = "text"
    VIDEO = "video"
    MIXED = "mixed"


class ChapterKind(enum.StrEnum):
    TEXT = "text"
    VIDEO = "video"



class Category(Bilingual, Model):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))


class Course(Bilingual, Model):
    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    level: Mapped[Level] = mapped_column(string_enum(Level), index=True)
    format: Mapped[CourseFormat] = mapped_column(string_enum(CourseFormat), index=True)
    duration_hours: Mapped[int] = mapped_column(Integer)
    pass_mark_percent: Mapped[int] = mapped_column(Integer, default=70, server_default="70")
    title_fr: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    summary_fr: Mapped[str] = mapped_column(Text)
    summary_en: Mapped[str] = mapped_column(Text)
    # Title and summary folded (lower case, no accents) so that search ignores accents on every database.
    search_fr: Mapped[str] = mapped_column(Text, default="")
    search_en: Mapped[str] = mapped_column(Text, default="")

    category: Mapped[Category] = relationship(lazy="joined")
    chapters: Mapped[list["Chapter"]] = relationship(
        back_populates="course", order_by="Chapter.position", cascade="all, delete-orphan"
    )


class Chapter(Bilingual, Model):
    __tablename__ = "chapter"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[ChapterKind] = mapped_column(string_enum(ChapterKind))
    minutes: Mapped[int] = mapped_column(Integer)
    title_fr: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    # Text chapters: Markdown. Video chapters: the full transcript (Markdown) and a WebVTT caption track,
    # so that a blind or deaf learner loses nothing; the video file itself is optional.
    body_fr: Mapped[str | None] = mapped_column(Text, nullable=True)
    body_en: Mapped[str | None] = mapped_column(Text, nullable=True)
    transcript_fr: Mapped[str | None] = mapped_column(Text, nullable=True)
    transcript_en: Mapped[str | None] = mapped_column(Text, nullable=True)
    captions_fr: Mapped[str | None] = mapped_column(Text, nullable=True)
    captions_en: Mapped[str | None] = mapped_column(Text, nullable=True)
    video_file: Mapped[str | None] = mapped_column(String(200), nullable=True)  # under static/video/

    course: Mapped[Course] = relationship(back_populates="chapters")

    @hybrid_property
    def has_content(self) -> bool:
        """A chapter that can be read: its text or its video's transcript is online."""
        return bool(self.body_fr or self.transcript_fr)

    @has_content.inplace.expression
    @classmethod
    def _has_content_expression(cls) -> ColumnElement[bool]:
        return or_(func.length(cls.body_fr) > 0, func.length(cls.transcript_fr) > 0)

    @property
    def is_video(self) -> bool:
        """A video chapter, open to everyone (a text chapter is for subscribers)."""
        return self.kind == ChapterKind.VIDEO


parcours_courses = Table(
    "parcours_course",
    Model.metadata,
    Column("parcours_id", ForeignKey("parcours.id"), primary_key=True),
    Column("course_id", ForeignKey("course.id"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class Registry(enum.StrEnum):
    RNCP = "RNCP"
    RS = "RS"


class Parcours(Bilingual, Model):
    """A learning path. Its pedagogical fields are those the terms require on its page (art. 2.2 d)."""

    __tablename__ = "parcours"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    duration_months: Mapped[int] = mapped_column(Integer)
    min_projects: Mapped[int] = mapped_column(Integer)
    # Mentoring sessions a Premium Plus learner may book in each monthly period.
    sessions_per_month: Mapped[int] = mapped_column(Integer, default=4, server_default="4")
    monthly_price_cents: Mapped[int] = mapped_column(Integer)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    certification_registry: Mapped[Registry | None] = mapped_column(string_enum(Registry), nullable=True)
    registry_code: Mapped[str | None] = mapped_column(String(40), nullable=True)

    title_fr: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    summary_fr: Mapped[str] = mapped_column(Text)
    summary_en: Mapped[str] = mapped_column(Text)
    opening_period_fr: Mapped[str | None] = mapped_column(String(200), nullable=True)
    opening_period_en: Mapped[str | None] = mapped_column(String(200), nullable=True)
    opening_notice_fr: Mapped[str | None] = mapped_column(Text, nullable=True)
    opening_notice_en: Mapped[str | None] = mapped_column(Text, nullable=True)
    registry_level_fr: Mapped[str | None] = mapped_column(String(200), nullable=True)
    registry_level_en: Mapped[str | None] = mapped_column(String(200), nullable=True)
    programme_fr: Mapped[list[str]] = mapped_column(JSON, default=list)
    programme_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    work_nature_fr: Mapped[str] = mapped_column(Text)
    work_nature_en: Mapped[str] = mapped_column(Text)
    training_conditions_fr: Mapped[str] = mapped_column(Text)
    training_conditions_en: Mapped[str] = mapped_column(Text)
    support_fr: Mapped[str] = mapped_column(Text)
    support_en: Mapped[str] = mapped_column(Text)
    methods_fr: Mapped[str] = mapped_column(Text)
    methods_en: Mapped[str] = mapped_column(Text)
    assessments_fr: Mapped[str] = mapped_column(Text)
    assessments_en: Mapped[str] = mapped_column(Text)
    instructions_fr: Mapped[str] = mapped_column(Text)
    instructions_en: Mapped[str] = mapped_column(Text)
    prerequisites_fr: Mapped[str] = mapped_column(Text)
    prerequisites_en: Mapped[str] = mapped_column(Text)
    education_level_fr: Mapped[str] = mapped_column(Text)
    education_level_en: Mapped[str] = mapped_column(Text)
    jobs_fr: Mapped[list[str]] = mapped_column(JSON, default=list)
    jobs_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    hardware_fr: Mapped[str | None] = mapped_column(Text, nullable=True)
    hardware_en: Mapped[str | None] = mapped_column(Text, nullable=True)

    courses: Mapped[list[Course]] = relationship(
        secondary=parcours_courses, order_by=parcours_courses.c.position
    )

    @property
    def registry_reference(self) -> str:
        """"RNCP38606", "RS6543": the code, which already names its registry; the registry before a bare code."""
        code = self.registry_code or ""
        registry = str(self.certification_registry or "")
        return code if code.startswith(registry) else f"{registry} {code}".strip()

    @property
    def is_rncp_title(self) -> bool:
        """Registered at the RNCP (a professional title), rather than at the RS or nowhere."""
        return self.certification_registry == Registry.RNCP
