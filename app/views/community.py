"""The subscribers' forum and private messages (CGS-2.1-A3); staff decide on reports in the back office.

Every form works as a plain POST followed by a redirect. With HTMX, a reply (in a thread or a conversation) is
posted in place: the new post is added at the end of the list with focus on it, the form comes back empty and
the status region announces it; a refused reply comes back as the form with its errors, the text kept.
Publishing is limited per learner (`COMMUNITY_POST_RATE_LIMIT`): past the limit, the form says so next to
the field and keeps the text.
"""

import re

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from limits import parse_many
from markupsafe import Markup, escape

from app.extensions import db, limiter
from app.forms import populate_errors
from app.forms.community import MessageForm, NewThreadForm, ReplyForm, ReportForm
from app.services import DomainError
from app.services.community import discussions
from app.views._render import wants_fragment, whole_page_redirect

bp = Blueprint("community", __name__)
bp.add_app_template_global(discussions.public_name, "public_name")
bp.add_app_template_global(discussions.is_shown, "community_shown")
for _predicate in (discussions.is_author, discussions.can_report, discussions.can_message, discussions.sent_by,
                   discussions.can_report_message):
    bp.add_app_template_global(_predicate)

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


@bp.app_template_filter("plain_text")
def plain_text(text: str) -> Markup:
    """A post or a message as written: escaped (any HTML shows as text), paragraphs and line breaks kept."""
    # Escaped once as a whole: escaping leaves line breaks and spaces as they are, so the paragraphs and lines
    # are then cut from the escaped text (one escape a post instead of one a line: a tenth of a thread's cost).
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(str(escape(text or ""))) if p.strip()]
    return Markup("".join(f"<p>{paragraph.replace(chr(10), '<br>')}</p>" for paragraph in paragraphs))


def _learner():
    return current_user if current_user.is_authenticated else None


def _to_the_offers():
    if current_user.is_authenticated:
        flash(_("Le forum et la messagerie privée servent aux échanges entre abonnés Premium : ils sont ouverts "
                "tant que votre abonnement donne accès aux cours. Découvrez les offres ci-dessous."), "info")
    else:
        flash(_("Le forum et la messagerie privée servent aux échanges entre abonnés Premium. Déjà abonné ? "
                "Connectez-vous pour y accéder."), "info")
    return whole_page_redirect(url_for("checkout.offers"))


# --- the rate limit on publishing, counted per learner and only for what was published ------------------------

def _limit_key() -> str:
    return f"community-posting:{current_user.id}"


def _may_publish() -> bool:
    if not limiter.enabled:
        return True
    limits = parse_many(current_app.config["COMMUNITY_POST_RATE_LIMIT"])
    return all(limiter.limiter.test(item, _limit_key()) for item in limits)


def _count_published() -> None:
    if limiter.enabled:
        for item in parse_many(current_app.config["COMMUNITY_POST_RATE_LIMIT"]):
            limiter.limiter.hit(item, _limit_key())


def _publish(form, action):
    """Run `action()` (one service call) for a submitted form, within the rate limit; None if refused, with the
    errors put on the form."""
    if not form.validate_on_submit():
        return None
    if not _may_publish():
        form.body.errors = [_("Vous avez publié beaucoup de messages en peu de temps : patientez quelques minutes "
                              "avant d'envoyer celui-ci. Votre texte est conservé ci-dessous.")]
        return None
    try:
        result = action()
    except DomainError as error:
        populate_errors(form, error)
        return None
    db.session.commit()
    _count_published()
    return result


def _form_again(template: str, form_id: str, **context):
    """For HTMX: the form with its errors in place of the one sent."""
    response = make_response(render_template(template, hx_errors=True, **context))
    response.headers["HX-Retarget"] = f"#{form_id}"
    response.headers["HX-Reswap"] = "outerHTML"
    return response


# --- forum ---------------------------------------------------------------------------------------------------

@bp.route("/forum")
def forum():
    if not discussions.can_take_part(_learner()):
        return _to_the_offers()
    return render_template("community/forum.html", categories=discussions.categories())


def _category_or_404(slug: str):
    return discussions.category_by_slug(slug) or abort(404)


@bp.route("/forum/<slug>")
def category(slug: str):
    if not discussions.can_take_part(_learner()):
        return _to_the_offers()
    found = _category_or_404(slug)
    return render_template("community/category.html", category=found,
                           threads=discussions.threads(found, request.args.get("page", type=int)))


@bp.route("/forum/<slug>/nouveau-sujet", methods=["GET", "POST"])
def new_thread(slug: str):
    if not discussions.can_take_part(_learner()):
        return _to_the_offers()
    found = _category_or_404(slug)
    form = NewThreadForm()
    thread = _publish(form, lambda: discussions.start_thread(current_user, found, form.title.data, form.body.data))
    if thread is not None:
        flash(_("Votre sujet est publié."), "success")
        return redirect(url_for("community.thread", slug=slug, thread_id=thread.id))
    return render_template("community/new_thread.html", category=found, form=form)


@bp.route("/forum/<slug>/<int:thread_id>", methods=["GET", "POST"])
def thread(slug: str, thread_id: int):
    if not discussions.can_take_part(_learner()):
        return _to_the_offers()
    found = discussions.thread_in(slug, thread_id) or abort(404)
    form = ReplyForm()
    if request.method == "POST":
        post = _publish(form, lambda: discussions.reply(current_user, found, form.body.data))
        if post is not None and wants_fragment():
            return render_template("community/_reply_posted.html", thread=found, post=post,
                                   form=ReplyForm(formdata=None), in_place=True), 201
        if post is not None:
            flash(_("Votre réponse est publiée."), "success")
            return redirect(url_for("community.thread", slug=slug, thread_id=thread_id,
                                    page=discussions.page_of(post), _anchor=f"post-{post.id}"))
        if wants_fragment():
            return _form_again("community/_reply_form.html", "reply-form", thread=found, form=form, in_place=True)
    posts = discussions.posts(found, request.args.get("page", type=int))
    return render_template("community/thread.html", thread=found, posts=posts, form=form)


@bp.route("/forum/<slug>/<int:thread_id>/signaler/<int:post_id>", methods=["GET", "POST"])
def report_post(slug: str, thread_id: int, post_id: int) -> ResponseReturnValue:
    if not discussions.can_take_part(_learner()):
        return _to_the_offers()
    found = discussions.thread_in(slug, thread_id) or abort(404)
    post = discussions.shown_post(post_id, found) or abort(404)
    back = url_for("community.thread", slug=slug, thread_id=thread_id, page=discussions.page_of(post),
                   _anchor=f"post-{post.id}")
    return _report(discussions.report_post, post, post.author, back, found.title)


def _report(record, target, author, back: str, context_title: str | None):
    """The report form of a post or a message: `record(reporter, target, reason, details)` files it."""
    form = ReportForm()
    if form.validate_on_submit():
        try:
            record(current_user, target, form.reason.data, form.details.data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Merci : votre signalement est transmis à l'équipe Student Success, qui va l'examiner. "
                    "L'auteur du message ne saura pas qui l'a signalé."), "success")
            return redirect(back)
    return render_template("community/report.html", form=form, target=target, author=author, back=back,
                           context_title=context_title)


# --- private messages ----------------------------------------------------------------------------------------

@bp.route("/messages")
@login_required
def messages():
    member = discussions.can_take_part(current_user)
    if not member and not discussions.has_conversations(current_user):
        return _to_the_offers()
    return render_template("community/messages.html", conversations=discussions.conversations(current_user),
                           member=member)


def _conversation_or_404(conversation_id: int):
    return discussions.conversation_for(current_user, conversation_id) or abort(404)


@bp.route("/messages/<int:conversation_id>", methods=["GET", "POST"])
@login_required
def conversation(conversation_id: int):
    found = _conversation_or_404(conversation_id)
    other = found.other(current_user.id)
    member = discussions.can_take_part(current_user)
    form = MessageForm()
    if request.method == "POST":
        if not member:
            return _to_the_offers()
        message = _publish(form, lambda: discussions.reply_in(current_user, found, form.body.data))
        if message is not None and wants_fragment():
            return render_template("community/_message_sent.html", conversation=found, message=message,
                                   other=other, form=MessageForm(formdata=None), can_write=True), 201
        if message is not None:
            flash(_("Votre message est envoyé à %(name)s", name=discussions.public_name(other)), "success")
            return redirect(url_for("community.conversation", conversation_id=found.id,
                                    _anchor=f"message-{message.id}"))
        if wants_fragment():
            return _form_again("community/_message_form.html", "message-form", conversation=found, form=form,
                               other=other, can_write=True)
    opened = discussions.open_conversation(current_user, found)
    page = render_template("community/conversation.html", conversation=found, other=other, opened=opened, form=form,
                           member=member, can_write=member and discussions.can_receive(other))
    db.session.commit()  # after rendering: committing would expire the messages, read again one by one
    return page


@bp.route("/messages/ecrire/<int:post_id>", methods=["GET", "POST"])
@login_required
def write(post_id: int) -> ResponseReturnValue:
    """"Écrire un message privé" to the author of a forum post: the address names the post, never the person."""
    if not discussions.can_take_part(current_user):
        return _to_the_offers()
    post = discussions.shown_post(post_id) or abort(404)
    recipient = post.author
    if not discussions.can_message(post, current_user):
        flash(_("Vous ne pouvez pas vous envoyer un message à vous-même."), "info")
        return redirect(url_for("community.thread", slug=post.thread.category.slug, thread_id=post.thread_id))
    existing = discussions.conversation_between(current_user, recipient)
    if existing is not None:
        return redirect(url_for("community.conversation", conversation_id=existing.id, _anchor="message-form-title"))
    form = MessageForm()
    message = _publish(form, lambda: discussions.write_to(current_user, recipient, form.body.data))
    if message is not None:
        flash(_("Votre message est envoyé à %(name)s", name=discussions.public_name(recipient)), "success")
        return redirect(url_for("community.conversation", conversation_id=message.conversation_id,
                                _anchor=f"message-{message.id}"))
    return render_template("community/write.html", form=form, post=post, recipient=recipient)


@bp.route("/messages/<int:conversation_id>/signaler/<int:message_id>", methods=["GET", "POST"])
@login_required
def report_message(conversation_id: int, message_id: int) -> ResponseReturnValue:
    found = _conversation_or_404(conversation_id)
    message = discussions.received_message(current_user, found, message_id) or abort(404)
    back = url_for("community.conversation", conversation_id=found.id, _anchor=f"message-{message.id}")
    return _report(discussions.report_message, message, message.sender, back, None)
