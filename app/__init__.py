"""Application factory."""

from flask import Flask

from app.config import BASE_DIR, Config
from app.extensions import babel, cache, compress, csrf, db, htmx, limiter, login_manager, migrate
from app.services.payments import build_gateway


def create_app(config: Config | None = None) -> Flask:
    config = config or Config()
    app = Flask(__name__, static_folder=None, instance_path=config.INSTANCE_PATH)
    app.config.from_object(config)
    from app.services.termination import check_rate

    check_rate(app.config["EARLY_TERMINATION_RATE_PERCENT"])  # refuse to start with an unlawful rate

    from app import cli, i18n, web

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=web.select_locale, timezone_selector=lambda: "Europe/Paris")
    i18n.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    cache.init_app(app)
    login_manager.init_app(app)
    web.init_app(app)
    app.extensions["payment_gateway"] = build_gateway(app)
    cli.init_app(app)
    return app
