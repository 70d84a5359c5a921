"""Application factory."""

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from app import time_zone
from app.config import BASE_DIR, Config
from app.cookie_session import CookieSessionInterface
from app.extensions import (
    babel,
    cache,
    compress,
    csrf,
    db,
    htmx,
    limiter,
    login_manager,
    migrate,
    use_sqlite_savepoints,
)
from app.request_limits import PortalRequest
from app.services.billing import notifications
from app.services.payments import build_gateway


def create_app(config: Config | None = None) -> Flask:
    config = config or Config()
    app = Flask(__name__, static_folder=None, instance_path=config.INSTANCE_PATH)
    app.config.from_object(config)
    app.request_class = PortalRequest
    app.session_interface = CookieSessionInterface()
    # GOV.UK Frontend's components as Jinja macros ("govuk_frontend_jinja/components/tag/macro.html"), beside
    # the portal's own templates; their stylesheet is built from the matching npm package (styles/).
    app.jinja_loader = ChoiceLoader([  # type: ignore[method-assign]  # Flask's documented way
        FileSystemLoader(str(BASE_DIR / "app" / "templates")),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})])
    if app.config["TRUSTED_PROXIES"] > 0:
        # Behind N reverse proxies, the client's address and scheme are the ones they forward (the rate limits and
        # the consents' recorded address use it); the Host header is kept as received.
        trusted = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted)  # type: ignore[method-assign]  # Flask's documented way
    from app.services.exits.termination import check_rate

    check_rate(app.config["EARLY_TERMINATION_RATE_PERCENT"])  # refuse to start with an unlawful rate

    from app import cli, components, i18n, jobs, views, web

    db.init_app(app)
    with app.app_context():
        use_sqlite_savepoints(db.engine)  # the "processed" marker commits with its effect, never alone
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=web.select_locale, timezone_selector=lambda: time_zone.NAME)
    i18n.init_app(app)
    components.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    cache.init_app(app)
    login_manager.init_app(app)
    web.init_app(app)
    views.register(app)
    app.extensions["payment_gateway"] = build_gateway(app, notifications.handle_body)
    jobs.init_app(app)
    cli.init_app(app)
    return app
