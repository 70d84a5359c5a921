"""The subscribers' community (CGS-2.1-A3, art. 2.1 a): "Échange avec les autres Abonnés sur le forum et la
messagerie privée".

The rules:
- the forum (read and write) and writing private messages need a subscription that gives access
  (`subscriptions.GIVES_ACCESS`, Premium Solo or Plus); posts name their author to other subscribers only;
- a private message goes from one subscriber to another, never to oneself; a learner whose subscription no
  longer gives access can still read (and report) the conversations they took part in, but sends nothing;
- authors are shown by first name and initial of the last name ("Léa M."), never by email;
- posts and messages are plain text: stored as written (control characters removed, line ends unified) and
  always shown escaped; titles and bodies have length limits, refused with a message saying by how much;
- any subscriber can report a post of someone else, or a message they received, with a reason; Student
  Success examines the reports and hides the content or keeps it.
Using the forum or the messages is not an access to premium *content*: it does not end the Premium Solo
withdrawal right (art. 6.1), which only the first opened chapter or exercise does.

Functions flush and never commit: the caller commits once.
"""

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload
from sqlalchemy.orm.util import identity_key

from app.extensions import db
from app.models import (
    AbuseReport,
    Conversation,
    Course,
    ForumCategory,
    ForumPost,
    ForumThread,
    PrivateMessage,
    User,
)
from app.models.community import ReportOutcome, ReportReason
from app.services import DomainError
from app.services.commerce import access
from app.services.common import clock
from app.services.common.pages import Page, paginate

TITLE_MIN_LENGTH = 5
TITLE_MAX_LENGTH = 150
POST_MAX_LENGTH = 10_000
MESSAGE_MAX_LENGTH = 5_000
REPORT_DETAILS_MAX_LENGTH = 1_000
THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 30
GENERAL_FORUM_SLUG = "general"

class AccessRefused(Exception):
    """The learner has no subscription giving access to the forum and the private messages."""


# --- who takes part ------------------------------------------------------------------------------------------

def can_take_part(user: User | None) -> bool:
    """Reading and writing in the forum, writing private messages: subscribers whose subscription gives access."""
    return user is not None and getattr(user, "is_authenticated", False) and access.has_premium(user)


def _require_member(user: User | None) -> None:
    if not can_take_part(user):
        raise AccessRefused


def _id_of(user: User | None) -> int | None:
    return getattr(user, "id", None) if user is not None and getattr(user, "is_authenticated", False) else None


def is_author(post: ForumPost, user: User | None) -> bool:
    """The post is the user's own: the thread marks it "(vous)"."""
    return _id_of(user) is not None and post.author_id == _id_of(user)


def _someone_elses(post: ForumPost, user: User | None) -> bool:
    return _id_of(user) is not None and not is_author(post, user)


def can_report(post: ForumPost, user: User | None) -> bool:
    """A learner reports other people's posts, never their own."""
    return _someone_elses(post, user)


def can_message(post: ForumPost, user: User | None) -> bool:
    """A learner writes privately to the author of someone else's post, never to themselves."""
    return _someone_elses(post, user)


def sent_by(message: PrivateMessage, user: User | None) -> bool:
    """The private message is one the user sent: the conversation shows it as theirs."""
    return _id_of(user) is not None and message.sender_id == _id_of(user)


def can_report_message(message: PrivateMessage, user: User | None) -> bool:
    """Only the recipient of a private message reports it."""
    return _id_of(user) is not None and message.recipient_id == _id_of(user)


def public_name(user: User) -> str:
    """How other learners see an author: "Léa M." (first name, initial of the last name), never the email."""
    if user.closed_at is not None:
        return str(_l("Ancien membre"))
    first = " ".join(user.first_name.split())
    last = user.last_name.strip()
    return f"{first} {last[0].upper()}." if last else first


# --- text ----------------------------------------------------------------------------------------------------

def clean_text(text: str | None) -> str:
    """Line ends unified, control characters (but line ends and tabs) removed, outer blank space trimmed."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    return text.strip()


def _check_body(field: str, body: str, limit: int) -> list[tuple[str | None, str]]:
    if not body:
        return [(field, str(_l("Écrivez votre message.")))]
    if len(body) > limit:
        return [(field, str(_l(
            "Votre message dépasse la limite de %(limit)s caractères (il en compte %(count)s) : raccourcissez-le "
            "ou découpez-le en plusieurs messages.", limit=format_number(limit), count=format_number(len(body)))))]
    return []


def _check_title(title: str) -> list[tuple[str | None, str]]:
    if not title:
        return [("title", str(_l("Donnez un titre à votre sujet.")))]
    if len(title) < TITLE_MIN_LENGTH:
        return [("title", str(_l("Le titre doit compter au moins %(min)s caractères : dites en quelques mots de "
                                 "quoi il s'agit.", min=TITLE_MIN_LENGTH)))]
    if len(title) > TITLE_MAX_LENGTH:
        return [("title", str(_l("Le titre doit compter au plus %(limit)s caractères (il en compte %(count)s).",
                                 limit=TITLE_MAX_LENGTH, count=len(title))))]
    return []


# --- forums --------------------------------------------------------------------------------------------------

def sync_course_forums() -> None:
    """The general forum and one forum per course of the catalogue, named after the course (idempotent)."""
    general = db.session.scalar(select(ForumCategory).where(ForumCategory.slug == GENERAL_FORUM_SLUG))
    if general is None:
        general = ForumCategory(slug=GENERAL_FORUM_SLUG, position=0)
        db.session.add(general)
    _set(general, name_fr="Discussions générales", name_en="General discussion",
         description_fr="Présentez-vous, parlez de vos projets, de votre façon d'apprendre et de la vie de la "
                        "plateforme.",
         description_en="Introduce yourself, talk about your projects, the way you learn and life on the "
                        "platform.")
    existing = {c.course_id: c for c in db.session.scalars(select(ForumCategory).where(
        ForumCategory.course_id.is_not(None)))}
    for course in db.session.scalars(select(Course).order_by(Course.id)):
        category = existing.get(course.id)
        if category is None:
            category = ForumCategory(slug=course.slug, course_id=course.id, position=1)
            db.session.add(category)
        _set(category, name_fr=course.title_fr, name_en=course.title_en,
             description_fr=f"Questions et entraide sur le cours « {course.title_fr} ».",
             description_en=f"Questions and mutual help on the course “{course.title_en}”.")
    db.session.flush()


def _set(row: object, **values: object) -> None:
    for field, value in values.items():
        if getattr(row, field) != value:
            setattr(row, field, value)


@dataclass(frozen=True)
class CategorySummary:
    category: ForumCategory
    thread_count: int
    last_activity_at: datetime | None


def categories() -> list[CategorySummary]:
    """Every forum, the general one first then the courses' by name, with its visible threads and last activity."""
    stats = {category_id: (count, last) for category_id, count, last in db.session.execute(
        select(ForumThread.category_id, func.count(ForumThread.id), func.max(ForumThread.last_activity_at))
        .where(ForumThread.hidden_at.is_(None)).group_by(ForumThread.category_id))}
    rows = list(db.session.scalars(select(ForumCategory)))
    rows.sort(key=lambda c: (c.position, unicodedata.normalize("NFKD", c.t("name")).casefold()))
    return [CategorySummary(c, *stats.get(c.id, (0, None))) for c in rows]


def category_by_slug(slug: str) -> ForumCategory | None:
    return db.session.scalar(select(ForumCategory).where(ForumCategory.slug == slug))


def threads(category: ForumCategory, page: int | None = None) -> Page[ForumThread]:
    """The category's visible threads, the most recently active first, with their authors (two queries)."""
    return paginate(
        select(ForumThread).where(ForumThread.category_id == category.id, ForumThread.hidden_at.is_(None))
        .options(joinedload(ForumThread.author), joinedload(ForumThread.last_author))
        .order_by(ForumThread.last_activity_at.desc(), ForumThread.id.desc()), page, THREADS_PER_PAGE)


_THREAD_IN = (select(ForumThread).join(ForumThread.category).options(contains_eager(ForumThread.category))
              .where(ForumThread.id == bindparam("thread_id"), ForumCategory.slug == bindparam("slug")))


def thread_in(category_slug: str, thread_id: int) -> ForumThread | None:
    """The thread with its forum (one query), if it belongs to the forum named in the address."""
    return db.session.scalar(_THREAD_IN, {"thread_id": thread_id, "slug": category_slug})


def posts(thread: ForumThread, page: int | None = None) -> Page[ForumPost]:
    """A page of the thread's posts in the order they were written, with their authors (one query)."""
    return paginate(
        select(ForumPost).where(ForumPost.thread_id == thread.id).options(joinedload(ForumPost.author))
        .order_by(ForumPost.id), page, POSTS_PER_PAGE, total=thread.post_count)


def page_of(post: ForumPost) -> int:
    """The page of its thread where a post is shown."""
    before: int = db.session.execute(select(func.count(ForumPost.id)).where(
        ForumPost.thread_id == post.thread_id, ForumPost.id < post.id)).scalar_one()
    return before // POSTS_PER_PAGE + 1


def is_shown(content: ForumThread | ForumPost | PrivateMessage) -> bool:
    """Whether a thread's title, a post's or a private message's text is shown to those who may read it: always,
    unless Student Success hid it (a notice takes its place, and nobody reports it or writes to its author from
    it any more)."""
    return content.hidden_at is None


def shown_post(post_id: int, thread: ForumThread | None = None) -> ForumPost | None:
    """The forum post a member may act on (write to its author, report it): one that is shown, and of `thread`
    when the address names one; None otherwise."""
    post = db.session.get(ForumPost, post_id)
    if post is None or not is_shown(post) or (thread is not None and post.thread_id != thread.id):
        return None
    return post


def start_thread(author: User, category: ForumCategory, title: str | None, body: str | None) -> ForumThread:
    """A new thread in `category`, opened by `author`'s first post."""
    _require_member(author)
    title = " ".join((title or "").split())
    body = clean_text(body)
    errors = _check_title(title) + _check_body("body", body, POST_MAX_LENGTH)
    if errors:
        raise DomainError(errors)
    now = clock.now()
    thread = ForumThread(category=category, author=author, title=title, created_at=now, last_activity_at=now,
                         last_author=author, post_count=1)
    db.session.add(thread)
    db.session.add(ForumPost(thread=thread, author=author, body=body, is_opening=True, created_at=now))
    db.session.flush()
    return thread


def reply(author: User, thread: ForumThread, body: str | None) -> ForumPost:
    """`author`'s answer at the end of the thread; the thread becomes the most recently active of its forum."""
    _require_member(author)
    if not is_shown(thread):
        raise DomainError([("body", str(_l("Ce sujet a été masqué par l'équipe Student Success : il n'est plus "
                                           "possible d'y répondre.")))])
    body = clean_text(body)
    errors = _check_body("body", body, POST_MAX_LENGTH)
    if errors:
        raise DomainError(errors)
    now = clock.now()
    post = ForumPost(thread=thread, author=author, body=body, created_at=now)
    db.session.add(post)
    thread.post_count = ForumThread.post_count + 1  # in SQL: two replies at once both count
    thread.last_activity_at = now
    thread.last_author = author
    db.session.flush()
    return post


# --- private messages ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ConversationSummary:
    conversation: Conversation
    other: User
    unread: int
    last_message: PrivateMessage | None


def has_conversations(user: User) -> bool:
    return db.session.scalar(select(Conversation.id).where(
        or_(Conversation.first_user_id == user.id, Conversation.second_user_id == user.id)).limit(1)) is not None


def conversations(user: User) -> list[ConversationSummary]:
    """The learner's conversations, the latest message first, with their unread counts (three queries)."""
    rows = db.session.scalars(
        select(Conversation)
        .where(or_(Conversation.first_user_id == user.id, Conversation.second_user_id == user.id))
        .options(joinedload(Conversation.first_user), joinedload(Conversation.second_user))
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())).all()
    if not rows:
        return []
    ids = [c.id for c in rows]
    unread = dict(db.session.execute(
        select(PrivateMessage.conversation_id, func.count(PrivateMessage.id))
        .where(PrivateMessage.recipient_id == user.id, PrivateMessage.read_at.is_(None),
               PrivateMessage.conversation_id.in_(ids))
        .group_by(PrivateMessage.conversation_id)).all())
    latest_ids = select(func.max(PrivateMessage.id)).where(
        PrivateMessage.conversation_id.in_(ids)).group_by(PrivateMessage.conversation_id)
    latest = {m.conversation_id: m for m in db.session.scalars(
        select(PrivateMessage).where(PrivateMessage.id.in_(latest_ids)))}
    return [ConversationSummary(c, c.other(user.id), unread.get(c.id, 0), latest.get(c.id)) for c in rows]


def conversation_for(user: User, conversation_id: int) -> Conversation | None:
    """The conversation if `user` takes part in it; nobody else may open it (not even staff)."""
    conversation = db.session.scalar(
        select(Conversation).where(Conversation.id == conversation_id)
        .options(joinedload(Conversation.first_user), joinedload(Conversation.second_user)))
    return conversation if conversation is not None and conversation.includes(user.id) else None


def conversation_between(user: User, other: User) -> Conversation | None:
    low, high = sorted((user.id, other.id))
    return db.session.scalar(select(Conversation).where(
        Conversation.first_user_id == low, Conversation.second_user_id == high))


@dataclass(frozen=True)
class OpenedConversation:
    messages: list[PrivateMessage]
    newly_read: frozenset[int]  # the messages the learner had not read before this opening


def open_conversation(user: User, conversation: Conversation) -> OpenedConversation:
    """The messages in order; those sent to `user` become read (the unread count goes down)."""
    messages = db.session.scalars(select(PrivateMessage).where(PrivateMessage.conversation_id == conversation.id)
                                  .order_by(PrivateMessage.id)).all()
    unread = frozenset(m.id for m in messages if m.recipient_id == user.id and m.read_at is None)
    if unread:
        now = clock.now()
        db.session.execute(update(PrivateMessage).where(PrivateMessage.id.in_(unread)).values(read_at=now))
        _recount_unread(user.id)
    return OpenedConversation(list(messages), unread)


def can_receive(user: User) -> bool:
    """Private messages go only to subscribers whose subscription gives access."""
    return access.has_premium(user)


def write_to(sender: User, recipient: User, body: str | None) -> PrivateMessage:
    """A private message from one subscriber to another: in their conversation, started if they had none."""
    _require_member(sender)
    if recipient.id == sender.id:
        raise DomainError([("body", str(_l("Vous ne pouvez pas vous envoyer un message à vous-même.")))])
    body = clean_text(body)
    errors = _check_body("body", body, MESSAGE_MAX_LENGTH)
    if not can_receive(recipient):
        errors.insert(0, ("body", str(_l("%(name)s ne peut pas recevoir de messages privés pour le moment : la "
                                         "messagerie est réservée aux abonnés.", name=public_name(recipient)))))
    if errors:
        raise DomainError(errors)
    conversation = conversation_between(sender, recipient) or _new_conversation(sender, recipient)
    now = clock.now()
    message = PrivateMessage(conversation=conversation, sender=sender, recipient=recipient, body=body,
                             created_at=now)
    db.session.add(message)
    conversation.last_message_at = now
    db.session.flush()
    _recount_unread(recipient.id)
    return message


def reply_in(sender: User, conversation: Conversation, body: str | None) -> PrivateMessage:
    if not conversation.includes(sender.id):
        raise AccessRefused
    return write_to(sender, conversation.other(sender.id), body)


def _new_conversation(user: User, other: User) -> Conversation:
    low, high = sorted((user.id, other.id))
    now = clock.now()
    conversation = Conversation(first_user_id=low, second_user_id=high, created_at=now, last_message_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(conversation)
    except IntegrityError:  # the other person started it at the same moment: theirs is the conversation
        theirs = conversation_between(user, other)
        assert theirs is not None  # the unique pair that refused this one
        return theirs
    return conversation


def _recount_unread(user_id: int) -> None:
    """The learner's unread count, recounted in the database (exact even when messages cross)."""
    unread = select(func.count(PrivateMessage.id)).where(
        PrivateMessage.recipient_id == user_id, PrivateMessage.read_at.is_(None)).scalar_subquery()
    db.session.execute(update(User).where(User.id == user_id).values(unread_messages=unread)
                       .execution_options(synchronize_session=False))
    loaded = db.session.identity_map.get(identity_key(User, user_id))
    if loaded is not None:
        db.session.expire(loaded, ["unread_messages"])


def received_message(user: User, conversation: Conversation, message_id: int) -> PrivateMessage | None:
    """A message of the conversation that `user` received and that is shown: the ones they may report."""
    message = db.session.get(PrivateMessage, message_id)
    if message is None or message.conversation_id != conversation.id or message.recipient_id != user.id:
        return None
    return message if is_shown(message) else None


# --- reports -------------------------------------------------------------------------------------------------

def _check_report(reason: str | None, details: str) -> list[tuple[str | None, str]]:
    errors: list[tuple[str | None, str]] = []
    if reason not in {r.value for r in ReportReason}:
        errors.append(("reason", str(_l("Choisissez la raison du signalement."))))
    if len(details) > REPORT_DETAILS_MAX_LENGTH:
        errors.append(("details", str(_l("Les précisions doivent compter au plus %(limit)s caractères (elles en "
                                         "comptent %(count)s).", limit=format_number(REPORT_DETAILS_MAX_LENGTH),
                                         count=format_number(len(details))))))
    elif reason == ReportReason.OTHER and not details:
        errors.append(("details", str(_l("Précisez la raison du signalement."))))
    return errors


def _already_reported(reporter: User, **target: object) -> bool:
    return db.session.scalar(select(AbuseReport.id).filter_by(reporter_id=reporter.id, **target).where(
        AbuseReport.resolved_at.is_(None)).limit(1)) is not None


def report_post(reporter: User, post: ForumPost, reason: str | None, details: str | None) -> AbuseReport:
    """A subscriber reports someone else's forum post to Student Success."""
    _require_member(reporter)
    if not can_report(post, reporter):
        raise DomainError([(None, str(_l("Vous ne pouvez pas signaler votre propre message.")))])
    return _report(reporter, reason, details, post=post)


def report_message(reporter: User, message: PrivateMessage, reason: str | None,
                   details: str | None) -> AbuseReport:
    """The recipient of a private message reports it, even once their subscription has ended."""
    if not can_report_message(message, reporter):
        raise DomainError([(None, str(_l("Vous ne pouvez signaler que les messages que vous avez reçus.")))])
    return _report(reporter, reason, details, message=message)


def _report(reporter: User, reason: str | None, details: str | None, **target: object) -> AbuseReport:
    details = clean_text(details)
    errors = _check_report(reason, details)
    if errors or reason is None:
        raise DomainError(errors)
    if _already_reported(reporter, **target):
        raise DomainError([(None, str(_l("Vous avez déjà signalé ce message : l'équipe Student Success "
                                         "l'examine.")))])
    report = AbuseReport(reporter=reporter, reason=ReportReason(reason), details=details, created_at=clock.now(),
                         **target)
    db.session.add(report)
    db.session.flush()
    return report


def _reports() -> Select[AbuseReport]:
    return select(AbuseReport).options(
        joinedload(AbuseReport.reporter),
        joinedload(AbuseReport.post).joinedload(ForumPost.author),
        joinedload(AbuseReport.post).joinedload(ForumPost.thread).joinedload(ForumThread.category),
        joinedload(AbuseReport.message).joinedload(PrivateMessage.sender))


def open_reports() -> list[AbuseReport]:
    """For Student Success: the reports not examined yet, the oldest first."""
    return list(db.session.scalars(_reports().where(AbuseReport.resolved_at.is_(None))
                                   .order_by(AbuseReport.created_at, AbuseReport.id)).unique())


def resolved_reports(limit: int = 50) -> list[AbuseReport]:
    return list(db.session.scalars(_reports().options(joinedload(AbuseReport.resolved_by))
                                   .where(AbuseReport.resolved_at.is_not(None))
                                   .order_by(AbuseReport.resolved_at.desc()).limit(limit)).unique())


def get_report(report_id: int) -> AbuseReport | None:
    return db.session.get(AbuseReport, report_id)


def resolve_report(report: AbuseReport, staff: User, hide: bool) -> None:
    """Student Success decides: the content is hidden (an opening post hides its thread's title too) or kept.
    Every open report of the same content is closed with the same decision."""
    if not staff.is_staff:
        raise AccessRefused
    if report.resolved_at is not None:
        raise DomainError([(None, str(_l("Ce signalement a déjà été traité.")))])
    now = clock.now()
    target = report.target
    if hide and target.hidden_at is None:
        target.hidden_at = now
        if isinstance(target, ForumPost) and target.is_opening:
            target.thread.hidden_at = now
    same_target = (AbuseReport.post_id == report.post_id) if report.post_id else (
        AbuseReport.message_id == report.message_id)
    for open_report in db.session.scalars(select(AbuseReport).where(same_target, AbuseReport.resolved_at.is_(None))):
        open_report.resolved_at = now
        open_report.resolved_by = staff
        open_report.outcome = ReportOutcome.HIDDEN if hide else ReportOutcome.KEPT
    db.session.flush()
