"""The service terms (HTML and PDF), the Student Rules and the legal pages."""

from dataclasses import dataclass
from datetime import UTC, timedelta
from io import BytesIO

from flask import Blueprint, Response, abort, current_app, make_response, render_template, send_file, url_for
from flask_babel import gettext as _

from app.http_headers import vary_also_on
from app.i18n import current_language
from app.services.common import clock, markdown
from app.services.legal import audio, changes, documents
from app.views._render import prose_page

bp = Blueprint("legal", __name__)


def _terms_or_404():
    return documents.version_in_force() or abort(404)


@dataclass(frozen=True)
class SectionAudio:
    url: str
    name: str  # the player's accessible name: which section it reads
    section: str  # the section's title (the document's, for what comes before the first heading)


def _document_page(template: str, version, **context):
    """A legal document's page: its outline, its body cut at each h2, and the player of each section heard."""
    body = version.t("body")
    title = documents.title_of(body)
    outline = markdown.headings(body)
    titles = {heading.anchor: heading.text for heading in outline}
    language = current_language()
    endpoint = "legal.terms_audio" if version.document == documents.TERMS else "legal.rules_audio"

    def heard(anchor: str) -> SectionAudio:
        url = url_for(endpoint, version_name=version.version, language=language, anchor=anchor)
        if anchor == markdown.INTRO:
            return SectionAudio(url, _("Écouter le début de « %(title)s » (voix de synthèse)", title=title), title)
        section = titles.get(anchor, title)
        return SectionAudio(url, _("Écouter la section « %(section)s » (voix de synthèse)", section=section), section)

    return render_template(template, version=version, title=title, outline=outline,
                           audio={anchor: heard(anchor) for anchor in audio.stored_anchors(version, language)},
                           sections=markdown.html_sections(markdown.to_html(documents.body_without_title(body))),
                           **context)


def _terms_page(version):
    return _document_page("legal/terms.html", version, upcoming=version.effective_on > clock.today_in_paris(),
                          in_force=documents.version_in_force())


@bp.route("/conditions-generales")
def terms():
    return _terms_page(_terms_or_404())


@bp.route("/conditions-generales/version/<version>")
def terms_version(version: str):
    """Any published version, the next one included: subscribers read a change before it applies."""
    return _terms_page(documents.published_version(documents.TERMS, version) or abort(404))


@bp.route("/conditions-generales.pdf")
@bp.route("/conditions-generales/version/<version_name>.pdf")
def terms_pdf(version_name: str | None = None):
    if version_name is None:
        version = _terms_or_404()
    else:
        version = documents.published_version(documents.TERMS, version_name) or abort(404)
    language = current_language()
    content = documents.stored_pdf(version, language)
    if content is None:
        # Rendered by the job queue when the version was published: a few seconds after, it is there (202, as
        # an invoice being prepared: accepted, not an error).
        response = make_response(render_template("legal/terms_pdf_preparing.html", version=version), 202)
        response.headers["Retry-After"] = "10"
        return response
    filename = f"conditions-generales-{version.version}-{language}.pdf"
    response = Response(content, mimetype="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{filename}"',
                                 "Cache-Control": "public, max-age=3600"})
    # The same address serves the French or the English PDF: a shared cache must keep one per language.
    vary_also_on(response.headers, "Accept-Language", "Cookie")
    return response


def _rules_page(version):
    return _document_page("legal/rules.html", version)


def _section_audio(document: str, version_name: str, language: str, anchor: str):
    """One section read aloud, as stored: the same bytes for ever (a version never changes), seekable (Range)."""
    version = documents.published_version(document, version_name) or abort(404)
    if language not in current_app.config["LANGUAGES"]:
        abort(404)
    section = audio.stored_section(version, language, anchor) or abort(404)
    response = send_file(BytesIO(section.content), mimetype="audio/mpeg", conditional=True,
                         download_name=f"{document}-{version.version}-{language}-{section.position:02d}.mp3",
                         etag=f"{section.id}-{len(section.content)}", last_modified=section.created_at,
                         max_age=365 * 24 * 3600)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


@bp.route("/conditions-generales/version/<version_name>/audio/<language>/<anchor>.mp3")
def terms_audio(version_name: str, language: str, anchor: str):
    return _section_audio(documents.TERMS, version_name, language, anchor)


@bp.route("/reglement-interieur/version/<version_name>/audio/<language>/<anchor>.mp3")
def rules_audio(version_name: str, language: str, anchor: str):
    return _section_audio(documents.RULES, version_name, language, anchor)


@bp.route("/reglement-interieur")
def student_rules():
    return _rules_page(documents.version_in_force(documents.RULES) or abort(404))


@bp.route("/reglement-interieur/version/<version>")
def rules_version(version: str):
    """Any published version: the one a learner accepted stays readable as it was."""
    return _rules_page(documents.published_version(documents.RULES, version) or abort(404))


def document_url(version) -> str:
    """Where a published version of the terms or of the Student Rules is read, as it was."""
    endpoint = "legal.rules_version" if version.document == documents.RULES else "legal.terms_version"
    return url_for(endpoint, version=version.version)


def changes_url(older, newer) -> str:
    """Where the changes from one version of a document to another are shown side by side."""
    endpoint = "legal.rules_changes" if newer.document == documents.RULES else "legal.terms_changes"
    return url_for(endpoint, newer=newer.version, older=older.version)


def _changes_page(document: str, newer_name: str, older_name: str):
    newer = documents.published_version(document, newer_name) or abort(404)
    older = documents.published_version(document, older_name) or abort(404)
    if older.id == newer.id:
        abort(404)
    title = (_("Ce qui change dans le règlement intérieur") if document == documents.RULES
             else _("Ce qui change dans les conditions générales"))
    return render_template("legal/changes.html", title=title, older=older, newer=newer,
                           older_url=document_url(older), newer_url=document_url(newer),
                           sections=changes.by_section(changes.between(older, newer)))


@bp.route("/conditions-generales/version/<newer>/changements-depuis/<older>")
def terms_changes(newer: str, older: str):
    return _changes_page(documents.TERMS, newer, older)


@bp.route("/reglement-interieur/version/<newer>/changements-depuis/<older>")
def rules_changes(newer: str, older: str):
    return _changes_page(documents.RULES, newer, older)


@bp.route("/accessibilite")
def accessibility():
    return prose_page(_("Déclaration d'accessibilité"), "legal/content/accessibility")


@bp.route("/mentions-legales")
def legal_notice():
    return prose_page(_("Mentions légales"), "legal/content/legal_notice")


@bp.route("/donnees-personnelles")
def privacy():
    return prose_page(_("Politique de protection des données personnelles"), "legal/content/privacy")


@bp.route("/securite")
def security_policy():
    """How to report a vulnerability (the Policy of security.txt)."""
    return prose_page(_("Signaler une faille de sécurité"), "legal/content/security")


# RFC 9116: the file must be renewed before it expires; a year ahead, from the start of the current day (the
# same file all day long).
SECURITY_TXT_VALIDITY = timedelta(days=365)


@bp.route("/.well-known/security.txt")
def security_txt():
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    today = clock.now().astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    lines = [
        f"Contact: mailto:{current_app.config['SECURITY_CONTACT_EMAIL']}",
        f"Expires: {(today + SECURITY_TXT_VALIDITY).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: fr, en",
        f"Canonical: {base}{url_for('legal.security_txt')}",
        f"Policy: {base}{url_for('legal.security_policy')}",
    ]
    return Response("\n".join(lines) + "\n", mimetype="text/plain",
                    headers={"Cache-Control": "public, max-age=86400"})
