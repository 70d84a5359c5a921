"""`make screenshots`: the pages people decide on, as a browser shows them at 1280 and 375 px wide, written to
docs/screenshots/ (home, catalogue, a Parcours, the review step of a checkout, the Premium tab).

A throwaway instance (SQLite, the demo with its accounts), served by gunicorn with `make serve`'s settings on a
free loopback port, photographed by Playwright with Debian's Chromium, then stopped. Run it after a change of
look; the images are committed so that a reviewer sees the change without running anything.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from app import demo_accounts
from bench import servers
from bench.load import BIN, run_checked
from bench.servers import SetupFailed

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
WIDTHS = {1280: 800, 375: 812}
CHROMIUM = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")


def chromium() -> str:
    for candidate in CHROMIUM:
        if Path(candidate).is_file():
            return candidate
    found = shutil.which("chromium")
    if found is None:
        sys.exit("Chromium not found: apt-get install chromium")
    return found


def sign_in(page: Page, email: str) -> None:
    page.goto("/connexion")
    page.fill("#email", email)
    page.fill("#password", demo_accounts.PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def to_review(page: Page, reviewed: list[str]) -> None:
    """The newcomer orders Premium Solo: billing details, card and consents, then the review of what is charged
    (the order is made once; at the next width the same review is opened again)."""
    sign_in(page, demo_accounts.NEWCOMER.email)
    if reviewed:
        page.goto(reviewed[0])
        return
    page.goto("/commande/solo")
    page.fill("#billing_address", "12 rue des Écoles")
    page.fill("#billing_postal_code", "75005")
    page.fill("#billing_city", "Paris")
    submit(page)
    page.check("#payment_method-0")  # card
    for box in ("#consent_terms", "#consent_immediate_access", "#consent_payment_holder"):
        page.check(box)
    submit(page)
    reviewed.append(page.url)


def shoot(page: Page, name: str, width: int) -> None:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(OUT / f"{name}-{width}.png"), full_page=True)
    print(f"  {name}-{width}.png", flush=True)


def photograph(base_url: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    reviewed: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        for width, height in WIDTHS.items():
            for name, path, who in (("home", "/", None), ("catalogue", "/cours", None),
                                    ("parcours", "/parcours/developpeur-application-python", None),
                                    ("review", None, "review"), ("premium-tab", "/compte/parametres/premium",
                                                                 demo_accounts.SOLO.email)):
                context = browser.new_context(base_url=base_url, viewport={"width": width, "height": height},
                                              locale="fr-FR")
                page = context.new_page()
                if who == "review":
                    to_review(page, reviewed)
                else:
                    if who is not None:
                        sign_in(page, who)
                    page.goto(path)
                shoot(page, name, width)
                context.close()
        browser.close()


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="screenshots-") as folder:
        instance = Path(folder)
        env = {**os.environ, "FLASK_APP": "wsgi.py", "INSTANCE_PATH": str(instance), "SECRET_KEY": "screenshots",
               "DATABASE_URL": f"sqlite:///{instance / 'portal.sqlite3'}", "PORTAL_ENV": "development",
               "RATELIMIT_ENABLED": "0", "JOB_QUEUE_IMMEDIATE": "1", "MAIL_OUTBOX_DIR": str(instance / "outbox")}
        print("Preparing a throwaway instance with the demo...", flush=True)
        try:
            run_checked([str(BIN / "flask"), "db", "upgrade"], env)
            run_checked([str(BIN / "flask"), "demo", "load"], env)
            server = servers.start("portal", "wsgi:app", env, instance, "")
        except SetupFailed as failure:
            print(f"FAILED: {failure}\n{failure.output}", file=sys.stderr)
            return 1
        try:
            servers.wait_until_ready(server)
            print(f"Photographing into {OUT.relative_to(ROOT)}/:", flush=True)
            photograph(server.url(""))
        finally:
            servers.stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
