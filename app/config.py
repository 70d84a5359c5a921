"""Configuration, read entirely from environment variables, with safe embedded defaults."""

import os
import secrets
from pathlib import Path

from app import time_zone

BASE_DIR = Path(__file__).resolve().parent.parent


def _instance_path() -> Path:
    return Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def _secret_key(instance: Path) -> str:
    """The key from SECRET_KEY, else one generated once and kept in the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    instance.mkdir(parents=True, exist_ok=True)
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    def __init__(self) -> None:
        instance = _instance_path()
        self.INSTANCE_PATH = str(instance)
        self.PORTAL_ENV = os.environ.get("PORTAL_ENV", "development")
        self.SECRET_KEY = _secret_key(instance)
        self.SQLALCHEMY_DATABASE_URI = os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance / 'portal.sqlite3'}"
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", self.PORTAL_ENV != "development")
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.PERMANENT_SESSION_LIFETIME = int(os.environ.get("SESSION_LIFETIME_SECONDS", 14 * 24 * 3600))
        # The server ends a session SESSION_LIFETIME_SECONDS after its sign-in (users.session_expired), so a
        # "Rester connecté" cookie set at sign-in lives at least as long: signing it and sending it again on every
        # page (Flask's default) would extend nothing.
        self.SESSION_REFRESH_EACH_REQUEST = False
        self.BABEL_DEFAULT_LOCALE = "fr"
        self.BABEL_DEFAULT_TIMEZONE = time_zone.NAME
        self.LANGUAGES = ("fr", "en")
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
        self.SIGNIN_RATE_LIMIT = os.environ.get("SIGNIN_RATE_LIMIT", "10 per minute")
        # The public certificate look-ups (verification page, verification form, public profiles), per address.
        self.CERTIFICATE_VERIFY_RATE_LIMIT = os.environ.get("CERTIFICATE_VERIFY_RATE_LIMIT", "30 per minute")
        # Forum posts and private messages a learner may publish (only what is published counts).
        self.COMMUNITY_POST_RATE_LIMIT = os.environ.get("COMMUNITY_POST_RATE_LIMIT", "10 per minute; 200 per day")
        self.PASSWORD_RESET_MAX_AGE = int(os.environ.get("PASSWORD_RESET_MAX_AGE", 3600))
        # The mailed link that confirms a new address (a visitor's checkout) and signs its owner in, once.
        self.ADDRESS_CONFIRMATION_MAX_AGE = int(os.environ.get("ADDRESS_CONFIRMATION_MAX_AGE", 24 * 3600))
        # How long the link that confirms an account's address works (the welcome mail's, or one asked again).
        self.EMAIL_VERIFICATION_MAX_AGE = int(os.environ.get("EMAIL_VERIFICATION_MAX_AGE", 7 * 24 * 3600))
        # How long the link to a data export works once the archive is ready (the archive is deleted after).
        self.DATA_EXPORT_DAYS = int(os.environ.get("DATA_EXPORT_DAYS", 7))
        # Limits (docs/security.md). A request body above MAX_CONTENT_LENGTH is refused with 413 before it is read:
        # larger than the largest upload (ASSIGNMENT_MAX_BYTES, the force-majeure document's 2 MB) with room for the
        # form around it. A form without files is refused above MAX_FORM_MEMORY_SIZE.
        self.MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 12 * 1024 * 1024))
        self.MAX_FORM_MEMORY_SIZE = int(os.environ.get("MAX_FORM_MEMORY_SIZE", 512 * 1024))
        # The number of reverse proxies in front of the portal whose X-Forwarded-For/-Proto are trusted (0: none,
        # the client's address is the connection's).
        self.TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))
        # Sign-ups, and every form that sends mail (contact, forgotten password, guardian request, change of
        # Parcours), share this limit per signed-in learner, or per address for visitors.
        self.SIGNUP_RATE_LIMIT = os.environ.get("SIGNUP_RATE_LIMIT", "5 per minute; 20 per day")
        self.MAIL_FORM_RATE_LIMIT = os.environ.get("MAIL_FORM_RATE_LIMIT", "5 per minute; 30 per day")
        # Guardian requests in 24 hours, counted in the database (every server sees the same count): per learner,
        # and per guardian address whoever asks.
        self.GUARDIAN_REQUESTS_PER_LEARNER_PER_DAY = int(os.environ.get("GUARDIAN_REQUESTS_PER_LEARNER_PER_DAY", 5))
        self.GUARDIAN_REQUESTS_PER_ADDRESS_PER_DAY = int(os.environ.get("GUARDIAN_REQUESTS_PER_ADDRESS_PER_DAY", 3))
        # A sign-in without "Rester connecté" ends when the browser closes or after this idle time; with it, it
        # lasts SESSION_LIFETIME_SECONDS from the sign-in. Above 20 hours, so that no learner is signed out in
        # the middle of a checkout or a form (WCAG 2.2.1's 20-hour exception); the browser-session cookie is the
        # short-term protection of a shared computer.
        self.SESSION_IDLE_TIMEOUT_SECONDS = int(os.environ.get("SESSION_IDLE_TIMEOUT_SECONDS", 24 * 3600))
        # /.well-known/security.txt: where to report a vulnerability.
        self.SECURITY_CONTACT_EMAIL = os.environ.get("SECURITY_CONTACT_EMAIL", "securite@portail.example")
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
        self.MAIL_PORT = int(os.environ.get("MAIL_PORT", 587))
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
        self.MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
        self.MAIL_SENDER = os.environ.get("MAIL_SENDER", "Student Success <no-reply@portail.example>")
        self.MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR", str(instance / "outbox"))
        # Delivery by the job queue: each network wait of an SMTP session, how long a worker holds a message
        # (longer than a whole session), the backoff between attempts and when a message is set aside.
        self.MAIL_TIMEOUT_SECONDS = float(os.environ.get("MAIL_TIMEOUT_SECONDS", 10))
        self.MAIL_CLAIM_SECONDS = int(os.environ.get("MAIL_CLAIM_SECONDS", 300))
        self.MAIL_RETRY_BASE_SECONDS = int(os.environ.get("MAIL_RETRY_BASE_SECONDS", 60))
        self.MAIL_RETRY_MAX_SECONDS = int(os.environ.get("MAIL_RETRY_MAX_SECONDS", 4 * 3600))
        self.MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", 10))
        self.MAIL_BATCH_SIZE = int(os.environ.get("MAIL_BATCH_SIZE", 100))
        # The job queue (app/jobs.py): empty for a SQLite file in the instance folder (one machine);
        # redis://... or postgresql://... for several machines; memory:// within one process only.
        self.JOB_QUEUE_URL = os.environ.get("JOB_QUEUE_URL", "")
        # Run each job at once in the process that enqueues it, instead of in a worker.
        self.JOB_QUEUE_IMMEDIATE = _bool("JOB_QUEUE_IMMEDIATE", False)
        # How often a worker runs the billing run and sweeps the outbox (crontab minute fields).
        self.BILLING_SCHEDULE_MINUTES = os.environ.get("BILLING_SCHEDULE_MINUTES", "*/10")
        self.OUTBOX_SWEEP_MINUTES = os.environ.get("OUTBOX_SWEEP_MINUTES", "*")
        # A sweep renders a document (an invoice's PDF, a contract's, an export) only once its own job has had this
        # long to make it: the sweep is for what a job missed, not a second worker on the same document.
        self.SWEEP_AFTER_SECONDS = int(os.environ.get("SWEEP_AFTER_SECONDS", 300))
        # Processes sharing the renewals of `flask billing run` on PostgreSQL; 0: one per CPU.
        self.BILLING_PROCESSES = int(os.environ.get("BILLING_PROCESSES", 0))
        self.PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
        # Read the legal documents aloud into MP3 files at publication (espeak-ng and lame, from Debian).
        self.DOCUMENT_AUDIO = _bool("DOCUMENT_AUDIO", True)
        self.CATALOGUE_PAGE_SIZE = int(os.environ.get("CATALOGUE_PAGE_SIZE", 12))
        self.COMPANY = {
            "name": os.environ.get("COMPANY_NAME", "OpenClassrooms"),
            "legal_form": os.environ.get("COMPANY_LEGAL_FORM", "SAS"),
            "capital": os.environ.get("COMPANY_CAPITAL", "50 000 €"),
            "rcs": os.environ.get("COMPANY_RCS", "Paris B 493 861 073"),
            "siren": os.environ.get("COMPANY_SIREN", "493 861 073"),
            "vat_number": os.environ.get("COMPANY_VAT_NUMBER", "FR 48 493861073"),
            "address": os.environ.get("COMPANY_ADDRESS", "2 Cour de l'Ile Louviers, 75004 Paris, France"),
            "phone": os.environ.get("COMPANY_PHONE", "+33 1 80 88 80 30"),
            "publication_director": os.environ.get("COMPANY_PUBLICATION_DIRECTOR", "Pierre Dubuc"),
            "host_name": os.environ.get("COMPANY_HOST_NAME", "OVH SAS"),
            "host_address": os.environ.get("COMPANY_HOST_ADDRESS", "2 rue Kellermann, 59100 Roubaix, France"),
            "accessibility_email": os.environ.get("COMPANY_ACCESSIBILITY_EMAIL", "accessibilite@portail.example"),
            "privacy_email": os.environ.get("COMPANY_PRIVACY_EMAIL", "dpo@portail.example"),
            "support_email": os.environ.get("COMPANY_SUPPORT_EMAIL", "student-success@portail.example"),
        }
        self.STATIC_MAX_AGE = int(os.environ.get("STATIC_MAX_AGE", 365 * 24 * 3600))
        self.COMPRESS_MIMETYPES = [
            "text/html", "text/css", "application/javascript", "text/javascript", "image/svg+xml",
        ]
        # Pages rendered for one request are compressed fast (gzip level 1: 0.3 ms less than level 6 on a signed-in
        # page, 15 % larger); what is served again and again is compressed once, harder (app/encoded.py). Likewise
        # Brotli, which a browser without zstd gets: quality 1 with a 256 KB window (larger than a page) instead of
        # 4 and 4 MB, whose window alone, allocated for each page, cost more than compressing.
        self.COMPRESS_LEVEL = int(os.environ.get("COMPRESS_LEVEL", 1))
        self.COMPRESS_BR_LEVEL = int(os.environ.get("COMPRESS_BR_LEVEL", 1))
        self.COMPRESS_BR_WINDOW = 18
        self.PAYMENT_PROVIDER = os.environ.get("PAYMENT_PROVIDER", "simulated")
        self.SIMULATED_HMAC_KEY = os.environ.get("SIMULATED_HMAC_KEY", "")
        self.ADYEN_API_KEY = os.environ.get("ADYEN_API_KEY", "")
        self.ADYEN_MERCHANT_ACCOUNT = os.environ.get("ADYEN_MERCHANT_ACCOUNT", "")
        self.ADYEN_HMAC_KEY = os.environ.get("ADYEN_HMAC_KEY", "")
        self.ADYEN_ENVIRONMENT = os.environ.get("ADYEN_ENVIRONMENT", "test")
        self.ADYEN_LIVE_URL_PREFIX = os.environ.get("ADYEN_LIVE_URL_PREFIX", "")
        self.ADYEN_CHECKOUT_BASE_URL = os.environ.get("ADYEN_CHECKOUT_BASE_URL", "")
        # The Premium Plus early-termination indemnity, as a percentage of the contract price (L444-8: 30 at most).
        self.EARLY_TERMINATION_RATE_PERCENT = int(os.environ.get("EARLY_TERMINATION_RATE_PERCENT", 30))
        self.DUNNING_RETRY_DAYS = os.environ.get("DUNNING_RETRY_DAYS", "1,3,7")
        self.DUNNING_GRACE_DAYS = int(os.environ.get("DUNNING_GRACE_DAYS", 10))
        self.DUNNING_END_AFTER_DAYS = int(os.environ.get("DUNNING_END_AFTER_DAYS", 30))
        self.REFERRAL_REWARD_CENTS = int(os.environ.get("REFERRAL_REWARD_CENTS", 1000))
        # The wait after a failed quiz attempt before the next one opens (0: no wait).
        self.QUIZ_RETRY_WAIT_MINUTES = int(os.environ.get("QUIZ_RETRY_WAIT_MINUTES", 10))
        # Peer-reviewed assignments: the largest file a learner may attach, and how long a submission given to a
        # reviewer is kept for them before it is offered to another reviewer.
        self.ASSIGNMENT_MAX_BYTES = int(os.environ.get("ASSIGNMENT_MAX_BYTES", 5 * 1024 * 1024))
        self.PEER_REVIEW_HOLD_HOURS = int(os.environ.get("PEER_REVIEW_HOLD_HOURS", 48))
        # Rendered catalogue pages are kept this long (per process with SimpleCache; set CACHE_TYPE=RedisCache
        # and CACHE_REDIS_URL to share them between servers).
        self.CACHE_TYPE = os.environ.get("CACHE_TYPE", "SimpleCache")
        self.CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL", "")
        self.CACHE_DEFAULT_TIMEOUT = int(os.environ.get("CATALOGUE_CACHE_SECONDS", 300))
        self.TESTING = False


class TestConfig(Config):
    def __init__(self, database_url: str) -> None:
        super().__init__()
        self.TESTING = True
        self.SQLALCHEMY_DATABASE_URI = database_url
        self.WTF_CSRF_ENABLED = False
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.SIGNIN_RATE_LIMIT = "1000 per minute"  # the rate-limit test sets the real one
        self.CERTIFICATE_VERIFY_RATE_LIMIT = "1000 per minute"  # likewise
        self.SIGNUP_RATE_LIMIT = self.MAIL_FORM_RATE_LIMIT = "1000 per minute"  # likewise
        self.GUARDIAN_REQUESTS_PER_LEARNER_PER_DAY = self.GUARDIAN_REQUESTS_PER_ADDRESS_PER_DAY = 1000  # likewise
        # Tests move the clock by days with a learner signed in: the session tests set the real durations.
        self.PERMANENT_SESSION_LIFETIME = self.SESSION_IDLE_TIMEOUT_SECONDS = 10 * 366 * 24 * 3600
        self.CACHE_TYPE = "NullCache"  # the page-cache test turns it on
        # Jobs run at once, in memory, inside the request or command that enqueues them; the delivery tests
        # turn this off to see what a web request enqueues and run the worker's part themselves.
        self.JOB_QUEUE_URL = "memory://"
        self.JOB_QUEUE_IMMEDIATE = True
        # Reading the whole terms aloud takes seconds: the audio tests make it for a short document themselves.
        self.DOCUMENT_AUDIO = False
        # A test's rows are not committed: another process would not see them (the processes' test sets 2).
        self.BILLING_PROCESSES = 1
        self.SESSION_COOKIE_SECURE = False
        self.REMEMBER_COOKIE_SECURE = False
