"""Request-level wiring: language, signed-in user, security headers, template helpers, error pages."""

import json
from datetime import UTC, date, datetime
from functools import lru_cache

from flask import Flask, current_app, g, has_request_context, render_template, request, session
from flask_babel import format_currency, format_date, format_decimal, format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from jinja2 import pass_context
from werkzeug.datastructures import LanguageAccept
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import parse_accept_header

from app import assets, fragments, frame, jobs, labels, request_guard, time_zone
from app.assets import asset_url, category_illustration
from app.extensions import db, limiter, login_manager
from app.http_headers import vary_also_on
from app.i18n import current_language
from app.labels import FORMAT_LABELS, LEVEL_LABELS, SUBSCRIPTION_STATUS_LABELS, TRANSACTION_KIND_LABELS
from app.models import User
from app.services.accounts import users
from app.services.billing import renewal_price
from app.services.commerce import checkout, subscriptions, terms_changes

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def select_locale() -> str:
    if not has_request_context():  # CLI commands and services run outside a request: French
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return str(chosen)
    return _language_for(request.headers.get("Accept-Language", ""), tuple(languages),
                         str(current_app.config["BABEL_DEFAULT_LOCALE"]))


@lru_cache(maxsize=512)
def _language_for(accept_language: str, languages: tuple[str, ...], default: str) -> str:
    """The language for a browser's `Accept-Language`: browsers send few distinct ones, and parsing it cost more than
    the rest of serving a page kept in the cache."""
    return parse_accept_header(accept_language, LanguageAccept).best_match(languages) or default


def is_unsupported_browser() -> bool:
    """Internet Explorer and Opera Mini are not supported (art. 5 of the terms): they get a notice."""
    user_agent = request.headers.get("User-Agent", "")
    return any(marker in user_agent for marker in ("MSIE ", "Trident/", "Opera Mini", "OPiOS"))


@limiter.request_filter
def _reading_is_never_limited() -> bool:
    """Only form submissions are rate-limited, and the few pages whose view is marked `limits_reads` (the public
    certificate look-ups): skip the limiter's work on every other page view."""
    if request.method not in ("GET", "HEAD"):
        return False
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return not getattr(view, "limits_reads", False)


def _hx_headers() -> str | None:
    """The CSRF token for HTMX requests, sent from `<body hx-headers>`. Only once the browser has a session
    (signed in, or a form already shown): an anonymous reader of the catalogue gets no cookie at all, and
    every form carries its own token anyway, which HTMX submits with the form."""
    if current_user.is_authenticated or "csrf_token" in session:
        return json.dumps({"X-CSRFToken": generate_csrf()})
    return None


def may_be_signed_in() -> bool:
    """Whether this request may come from someone signed in: only a session cookie carrying a server-side session's
    token signs anyone in (`load_user`), so without one there is no user to load (a visitor of the catalogue)."""
    return "sid" in session


@login_manager.user_loader
def load_user(user_id: str):
    return users.session_user(int(user_id), session.get("sid"))


def _error_page(code: int, title: str, message: str):
    db.session.rollback()
    return render_template("errors/error.html", code=code, title=title, message=message), code


ERROR_TEXTS = {
    400: (_l("Requête incorrecte"), _l("La demande n'a pas pu être comprise. Revenez en arrière et réessayez.")),
    403: (_l("Accès refusé"), _l("Vous n'avez pas accès à cette page.")),
    404: (_l("Page introuvable"), _l("Cette page n'existe pas ou a été déplacée. Vérifiez l'adresse, "
                                     "ou repartez de l'accueil ou du catalogue.")),
    405: (_l("Action non permise"), _l("Cette action n'est pas possible sur cette page.")),
    413: (_l("Envoi trop volumineux"), _l("Ce que vous avez envoyé dépasse la taille permise : rien n'a été "
                                          "enregistré. Joignez un fichier plus léger ou raccourcissez le texte, "
                                          "puis réessayez.")),
    429: (_l("Trop de tentatives"), _l("Vous avez fait trop de tentatives en peu de temps. "
                                       "Patientez une minute, puis réessayez.")),
    500: (_l("Erreur du serveur"), _l("Une erreur inattendue s'est produite de notre côté. Rien n'a été "
                                      "perdu : réessayez dans un instant. Si le problème persiste, "
                                      "contactez-nous.")),
}


def euros(cents: int) -> str:
    """An amount in euros as the reader's language writes it ("20,00 €", "€20.00")."""
    return _euros_in(cents, current_language())


# Babel builds the currency pattern anew for each amount (about 0.1 ms); a page shows the same few amounts, and
# the site a few hundred, so each is formatted once per language.
@lru_cache(maxsize=4096)
def _euros_in(cents: int, language: str) -> str:
    formatted: str = format_currency(cents / 100, "EUR")
    return formatted


def paris_datetime(moment: datetime) -> str:
    """A date and time shown in Europe/Paris (the app's time zone), in the reader's language."""
    return _paris_datetime_in(moment, current_language())


# Formatting a date and a time costs Babel about 0.1 ms; a forum page shows one per post, the same ones for
# every reader of the thread.
@lru_cache(maxsize=4096)
def _paris_datetime_in(moment: datetime, language: str) -> str:
    return _local_datetime_in(moment, time_zone.NAME, language)


def zone_label(name: str) -> str:
    """ "heure de Paris", "heure de Montreal": the zone a time is given in, as the reader says it."""
    if name == time_zone.NAME:
        return str(_("heure de Paris"))
    return str(_("heure de %(place)s", place=time_zone.place(name)))


def local_datetime(moment: datetime, zone_name: str) -> str:
    """A date and time in the given zone ("14 mars 2027 à 12:00"), in the reader's language: the times of
    mentoring sessions, read in each person's own zone (the page or the mail says which)."""
    return _local_datetime_in(moment, zone_name, current_language())


def zoned_datetime(moment: datetime, zone_name: str) -> str:
    """`local_datetime`, naming its zone ("14 mars 2027 à 12:00 (heure de Montreal)")."""
    return str(_("%(when)s (%(zone)s)", when=local_datetime(moment, zone_name), zone=zone_label(zone_name)))


def their_time(moment: datetime, person: User) -> str:
    """A session's time for `person`, in the zone they chose, named."""
    return zoned_datetime(moment, users.time_zone_of(person))


def their_local_time(moment: datetime, person: User) -> str:
    """A session's time for `person`, in the zone they chose (the page or the mail names it once)."""
    return local_datetime(moment, users.time_zone_of(person))


@lru_cache(maxsize=4096)
def _local_datetime_in(moment: datetime, zone_name: str, language: str) -> str:
    if moment.tzinfo is None:  # stored in UTC; as Babel reads it
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(time_zone.zone(zone_name))
    return str(_("%(date)s à %(time)s", date=format_date(local, "long", rebase=False),
                 time=format_time(local, "HH:mm", rebase=False)))


def long_date(value: date) -> str:
    """A date written out in the reader's language ("4 décembre 2026", "December 4, 2026")."""
    return _long_date_in(value, current_language())


# The Premium tab alone shows eight dates (periods, invoices), the same ones on every visit.
@lru_cache(maxsize=4096)
def _long_date_in(value: date, language: str) -> str:
    formatted: str = format_date(value, "long")
    return formatted


def file_size(size_bytes: int) -> str:
    """A file's size as a reader says it: "840 Ko", "1,2 Mo" ("840 KB", "1.2 MB")."""
    if size_bytes < 1000 * 1000:
        return _("%(size)s Ko", size=format_decimal(max(1, round(size_bytes / 1000))))
    return _("%(size)s Mo", size=format_decimal(round(size_bytes / 1000 / 1000, 1)))


def first_sentence(text: str) -> str:
    """The first sentence of a message, without its full stop: what a page title can hold of an outcome
    ("Votre abonnement est résilié. Il prendra fin le..." -> "Votre abonnement est résilié")."""
    text = str(text).strip()
    end = text.find(". ")
    return (text if end < 0 else text[:end]).rstrip(".")


def init_app(app: Flask) -> None:
    request_guard.init_app(app)  # first: its `int` converter must be in place before any rule is added

    login_manager.login_view = "auth.sign_in"
    login_manager.session_protection = None  # sessions are tracked server-side (UserSession)

    @app.before_request
    def terms_change_notice():
        """A subscriber with an undecided material change of the terms sees the notice on every page; after
        its 30 days, this visit accepts the new terms (art. 1)."""
        g.terms_notice = None
        if request.endpoint in (None, assets.ENDPOINT) or not may_be_signed_in() or not current_user.is_authenticated:
            return
        pending_before = current_user.pending_terms_notice_id
        if pending_before is None:
            return
        g.terms_notice = terms_changes.pending_notice(current_user)
        if current_user.pending_terms_notice_id != pending_before:
            db.session.commit()

    @app.context_processor
    def template_helpers():
        return {
            "terms_notice": g.get("terms_notice"),
            "asset_url": asset_url,
            "category_illustration": category_illustration,
            "company": app.config["COMPANY"],
            "current_language": current_language(),
            "language_names": LANGUAGE_NAMES,
            "other_languages": [code for code in app.config["LANGUAGES"] if code != current_language()],
            "unsupported_browser": is_unsupported_browser(),
            "hx_headers": _hx_headers(),
            "level_labels": LEVEL_LABELS,
            "format_labels": FORMAT_LABELS,
            "subscription_status_labels": SUBSCRIPTION_STATUS_LABELS,
            "transaction_kind_labels": TRANSACTION_KIND_LABELS,
        }

    # pass_context: Jinja must never fold `{{ 0 | euros }}` into the template once, in the first reader's
    # language; these depend on the language of each rendering.
    app.jinja_env.filters["euros"] = pass_context(lambda _context, cents: euros(cents))
    app.jinja_env.filters["long_date"] = pass_context(lambda _context, value: long_date(value))
    app.jinja_env.filters["decimal"] = pass_context(lambda _context, value: format_decimal(value))
    app.jinja_env.filters["paris_datetime"] = pass_context(lambda _context, moment: paris_datetime(moment))
    # A session's time for `person` (a user), in the zone they chose: named, or not (the page says it once).
    app.jinja_env.filters["their_time"] = pass_context(lambda _context, moment, person: their_time(moment, person))
    app.jinja_env.filters["their_local_time"] = pass_context(
        lambda _context, moment, person: their_local_time(moment, person))
    app.jinja_env.globals["zone_label"] = zone_label
    app.jinja_env.filters["first_sentence"] = first_sentence
    app.jinja_env.filters["file_size"] = pass_context(lambda _context, size_bytes: file_size(size_bytes))
    app.jinja_env.globals["current_user"] = current_user
    labels.init_app(app)
    frame.init_app(app)
    fragments.init_app(app)
    # Rules that templates of several areas (and mails, rendered outside any blueprint) ask about: each is
    # decided by its service, never by a template comparing a status.
    app.jinja_env.globals.update(is_plus=subscriptions.is_plus, is_paid=checkout.is_paid,
                                 can_cancel=subscriptions.can_cancel, is_cancelled=subscriptions.is_cancelled,
                                 renewal_amount=renewal_price.renewal_amount)

    # The same on every answer, so added in one go (setting them one by one was a tenth of a cached page's cost).
    headers_for_all = [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if app.config["SESSION_COOKIE_SECURE"]:
        headers_for_all.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.extend(headers_for_all)
        if response.content_type.startswith("text/html"):
            headers.setdefault("Cache-Control", "no-cache")
            vary_also_on(headers, "Cookie")
        return response

    @app.after_request
    def enqueue_after_commit(response):
        """What this request committed (mail, invoices to render) is handed to the job queue: a web request never
        talks to a mail server nor renders an invoice. A request that never opened a database session (a page
        served from the cache) committed nothing, and does not open one to find that out."""
        if db.session.registry.has():
            jobs.enqueue_committed_jobs()
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _error_page(400, str(_l("Formulaire expiré")),
                           str(_l("Le formulaire a expiré ou n'a pas pu être vérifié. Rechargez la page "
                                  "et renvoyez-le : vos informations n'ont pas été enregistrées.")))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        title, message = ERROR_TEXTS.get(code, (error.name, error.description))
        return _error_page(code, str(title), str(message))

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Unhandled error on %s", request.path)
        title, message = ERROR_TEXTS[500]
        return _error_page(InternalServerError.code, str(title), str(message))
