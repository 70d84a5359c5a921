"""The "notification processed" marker is written in the same transaction as its effect, on SQLite as on
PostgreSQL: a failure after it rolls both back, and the provider's next delivery is applied.

On SQLite this needs the application's own engine (pysqlite would otherwise commit the marker's savepoint on
its own), so the test builds an application of its own on a fresh SQLite file, outside the per-test rollback.
"""

import sqlite3

import pytest
from flask_migrate import upgrade

from app import create_app
from app.config import TestConfig as OwnConfig
from app.extensions import db
from app.services import demo
from app.services.billing import invoices
from app.services.payments import adyen
from tests import checkout_flow as flow


@pytest.fixture
def own_app(tmp_path):
    config = OwnConfig(f"sqlite:///{tmp_path / 'marker.sqlite3'}")
    config.MAIL_OUTBOX_DIR = str(tmp_path / "outbox")
    application = create_app(config)
    isolated = db.session
    db.session = db._make_scoped_session({})  # a real session per app context, as in production
    try:
        with application.app_context():
            upgrade()
            demo.load_catalogue()
            db.session.commit()
        db.session.remove()
        yield application, tmp_path / "marker.sqlite3"
    finally:
        db.session.remove()
        db.session = isolated


def _committed(path, sql: str):
    with sqlite3.connect(path) as connection:  # another connection: sees only what was committed
        return connection.execute(sql).fetchone()[0]


def test_a_failure_after_the_processed_marker_leaves_no_marker_and_the_retry_is_applied(own_app, monkeypatch):
    application, path = own_app
    client = application.test_client()
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    flow.validate(client, reference)
    item = {"eventCode": "AUTHORISATION", "success": "true", "pspReference": "PSPMARKER1",
            "merchantReference": reference, "merchantAccountCode": "SimulatedMerchant",
            "eventDate": "2026-11-26T10:00:00+01:00", "amount": {"value": 2000, "currency": "EUR"}, "reason": ""}
    body = adyen.notification_body([item], application.extensions["payment_gateway"].hmac_key)

    def broken(*args, **kwargs):
        raise RuntimeError("the invoice could not be written")

    monkeypatch.setattr(invoices, "issue_for_charge", broken)
    failed = client.post("/webhooks/paiement", data=body, content_type="application/json")
    assert failed.status_code == 500  # the provider delivers it again later
    assert _committed(path, "SELECT count(*) FROM processed_notification") == 0
    assert _committed(path, "SELECT status FROM customer_order") == "paying"

    monkeypatch.undo()
    response = client.post("/webhooks/paiement", data=body, content_type="application/json")
    assert response.get_data(as_text=True) == "[accepted]"
    assert _committed(path, "SELECT count(*) FROM processed_notification") == 1
    assert _committed(path, "SELECT status FROM customer_order") == "paid"
    assert _committed(path, "SELECT count(*) FROM invoice") == 1
