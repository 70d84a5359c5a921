"""Was this page opened deliberately from the portal itself, or by a link on another site?"""

from urllib.parse import urlsplit

from flask import render_template, request
from flask_login import current_user

from app.forms import EmptyForm
from app.services.commerce import access

# Fetch Metadata: "none" is an address typed, a bookmark or a page reloaded; the others are links and forms of
# this origin or of its own site.
_OWN_NAVIGATION = {"same-origin", "same-site", "none"}


def from_own_site() -> bool:
    """True for a navigation inside the portal (or a typed address); False for a link on another site, and for
    a browser that tells neither Sec-Fetch-Site nor a Referer of this origin: when unsure, the page asks."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in _OWN_NAVIGATION
    referrer = urlsplit(request.referrer or "")
    own = urlsplit(request.host_url)
    return (referrer.scheme, referrer.netloc) == (own.scheme, own.netloc)


def ask_before_first_access(course, title: str, open_label: str, known: access.PremiumAccess | None = None):
    """The page asking the learner to open premium content reached by a link from elsewhere, when this opening
    would be the first premium access (for Premium Solo, the end of the withdrawal right); None to go on.
    "Ouvrir" posts to reader.open_premium, which records the access and comes back here."""
    if request.method != "GET" or not current_user.is_authenticated or from_own_site():
        return None
    if not access.first_access_pending(current_user, known):
        return None
    target = request.full_path if request.query_string else request.path
    return render_template("reader/confirm_first_access.html", course=course, title=title, target=target,
                           open_label=open_label, form=EmptyForm(prefix="open"))
