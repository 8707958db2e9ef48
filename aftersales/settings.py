"""Aftersales settings, read from the environment.

Nothing set gives the quick start: SQLite in the project folder, mail printed to the console,
background tasks in the database (run `manage.py run_worker`). Production sets at least
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; see README.md, "Configuration".
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Literal, TypedDict

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "django-insecure-local-development-only-never-use-this-key-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "aftersales.core",
    "aftersales.accounts",
    # Low: knows what it is paid for only by a reference (a case number) and a purpose.
    "aftersales.payments",
    "aftersales.catalog",
    "aftersales.devices",
    "aftersales.plans",
    "aftersales.repairs",
    "aftersales.workshop",
    # The help centre: reads plans and devices, links to repairs' pages by URL name only.
    "aftersales.helpcentre",
    # The top of the apps (issue 10): the contact form and the agents' inbox.
    "aftersales.support",
    # At the top: they assemble every app (demo data, benchmarks); no app imports them.
    "aftersales.demo",
    "aftersales.bench",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    # The contact form's verification code: drawn on the site, nothing loaded from elsewhere.
    "captcha",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "aftersales.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the URL, the cookies or the body into a query (sessions, log-in).
    "aftersales.core.middleware.NulCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "aftersales.accounts.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "aftersales.core.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aftersales.urls"
WSGI_APPLICATION = "aftersales.wsgi.application"

# Form widgets and error lists: Django's Jinja2 templates of the same markup where Django has
# them (a page of the workshop renders dozens of radio buttons and check boxes; about three
# times faster), its Django templates otherwise (the admin's widgets).
FORM_RENDERER = "aftersales.core.form_renderer.FastRenderer"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "aftersales" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aftersales.core.context_processors.site",
            ],
            # `{% url %}` with each fixed address reversed once per process (its docstring).
            "builtins": ["aftersales.core.templatetags.url_memo"],
        },
    },
    # Plain text (e-mail subjects and bodies): the same templates, without HTML escaping, so
    # that « l'atelier » is not sent as « l&#x27;atelier » (core.emails.text_render).
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "aftersales" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# --- Database: SQLite unless DATABASE_URL is set (an empty one, as `DATABASE_URL=` in an env
# file, is not set) --------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL").strip() or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent requests (the worker and the web server) on one file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif env("DATABASE_PREPARED_STATEMENTS", "1") == "1":
    # PostgreSQL: the values sent apart from the statement (server-side binding), so that a
    # statement run a few times on a connection is prepared there, planned once and reused —
    # the case page's and the queues' joins took longer to plan than to run. Set
    # DATABASE_PREPARED_STATEMENTS=0 behind a pooler in transaction mode (PgBouncer without
    # max_prepared_statements), which cannot keep a statement between transactions.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 2}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: in-process unless REDIS_URL is set (used by rate limits) -------------------------
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with the permissions read in one query (accounts/backends.py).
    "aftersales.accounts.backends.PermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Days a sign-up's verification link stays valid.
EMAIL_VERIFICATION_MAX_AGE = 60 * 60 * 24 * 3

# Reverse proxies in front of the site: the client's address is read from X-Forwarded-For
# behind that many proxies (aftersales.core.http.client_address), for every rate limit.
PROXY_COUNT = max(int(env("PROXY_COUNT", "0")), 0)

# Log-in guessing. django-axes: 5 failures per account and address, then 15 min. Password
# spraying (one password on many accounts) and one account tried from many addresses are
# limited by accounts.services.login_limit_reached: failures per address and per account, in
# the cache, for the site's and the admin's log-in forms. Not axes' own "ip_address" lock-out
# parameter: its limit is the same as the account's, and any successful log-in from the address
# (an attacker's own account) would clear it.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "aftersales.core.http.client_address"
LOGIN_FAILURE_LIMIT_PER_ADDRESS = int(env("LOGIN_FAILURE_LIMIT_PER_ADDRESS", "20"))
LOGIN_FAILURE_LIMIT_PER_ACCOUNT = int(env("LOGIN_FAILURE_LIMIT_PER_ACCOUNT", "50"))
LOGIN_FAILURE_WINDOW_MINUTES = int(env("LOGIN_FAILURE_WINDOW_MINUTES", "60"))

# --- Languages, time ----------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "aftersales_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE: Literal["Lax", "Strict", "None", False] | None = "Lax"
TIME_ZONE = env("TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "aftersales" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads (invoices, attachments) live outside the static files and are never served directly.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "uploads")))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail: console unless EMAIL_HOST is set -------------------------------------------------
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(env("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Aftersales <no-reply@aftersales.localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Background tasks (django-tasks, database backend) -----------------------------------------
TASKS = {
    "default": {
        # A task enqueued inside a transaction is a row of that transaction: it runs only if
        # the transaction commits.
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# `manage.py run_worker` holds a lease, renewed every quarter of this; a task left running by a
# worker whose lease expired (killed, out of memory, its machine gone) is queued again. Longer
# than the worst pause of a live worker's database connection; shorter means faster recovery.
TASK_WORKER_LEASE_SECONDS = max(int(env("TASK_WORKER_LEASE_SECONDS", "60")), 2)
# A task is run at most this many times: when its worker died running it, or when it failed for
# a reason that passes (the mail server away; aftersales.core.retry), it is run again until then.
TASK_MAX_ATTEMPTS = max(int(env("TASK_MAX_ATTEMPTS", "5")), 1)
# Tasks that run every day and queue their next run; the workers queue a missing one
# (aftersales.core.recurring).
RECURRING_TASKS = [
    "aftersales.core.tasks.NIGHTLY_TASK_RECORDS_PRUNE",
    "aftersales.repairs.housekeeping.NIGHTLY_PURGE",
    "aftersales.workshop.tasks.NIGHTLY_DASHBOARD_COUNT",
    "aftersales.support.tasks.NIGHTLY_PENDING_FILES_PURGE",
    "aftersales.repairs.tasks.DAILY_SERVICE_LEVELS",
    "aftersales.workshop.tasks.DAILY_OVERDUE_DIGEST",
    "aftersales.repairs.express.DAILY_EXPRESS_RETURNS",
]
# Finished task results and the record of sent e-mails are kept this long (days).
TASK_RECORDS_KEEP_DAYS = max(int(env("TASK_RECORDS_KEEP_DAYS", "30")), 1)


# --- The maker's brand and support addresses (data, not code) ----------------------------------
class AftersalesSettings(TypedDict):
    """The keys of AFTERSALES and their types (a plain dict of str and int would read as object)."""

    SITE_NAME: str
    BRAND: str
    SUPPORT_EMAIL: str
    SUPPORT_PHONE: str
    SUPPORT_CHAT_URL: str
    SUPPORT_FORUM_URL: str
    SUPPORT_REPLY_ADDRESS: str
    EVALUATION_FEE_PER_HOUR: str
    EVALUATION_FEE_CURRENCY: str
    CARRIER_NAME: str
    LABOUR_RATE_PER_HOUR: str
    QUOTE_VAT_RATE: str
    QUOTE_VALIDITY_DAYS: int
    EXPRESS_RETURN_DAYS: int
    EXPRESS_REMINDER_DAYS: int
    EXPRESS_CHARGES: dict[str, str]
    BANK_ACCOUNT: str
    UPLOAD_MAX_BYTES: int
    DRAFT_MAX_AGE_DAYS: int


def amounts_per_key(text: str, defaults: dict[str, str]) -> dict[str, str]:
    amounts = dict(defaults)
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, _sep, value = item.partition("=")
        if key.strip() not in defaults or not re.fullmatch(r"\d+(\.\d{1,2})?", value.strip()):
            raise ValueError(
                f"AFTERSALES_EXPRESS_CHARGES: {item!r} is not key=amount with one of "
                f"{', '.join(defaults)}."
            )
        amounts[key.strip()] = value.strip()
    return amounts


AFTERSALES: AftersalesSettings = {
    "SITE_NAME": env("AFTERSALES_SITE_NAME", "Aftersales"),
    "BRAND": env("AFTERSALES_BRAND", "DJI"),
    "SUPPORT_EMAIL": env("AFTERSALES_SUPPORT_EMAIL", "support.eu@dji.com"),
    # Support channels offered before a repair request (guide, step 6); empty hides one.
    "SUPPORT_PHONE": env("AFTERSALES_SUPPORT_PHONE", "+31 20 808 1234"),
    "SUPPORT_CHAT_URL": env("AFTERSALES_SUPPORT_CHAT_URL", ""),
    "SUPPORT_FORUM_URL": env("AFTERSALES_SUPPORT_FORUM_URL", ""),
    # The tickets' reply address: answers go to <local>+<ticket's reply token>@<domain>, which
    # the inbound mail (manage.py support_inbound) reads to find the ticket.
    "SUPPORT_REPLY_ADDRESS": env(
        "AFTERSALES_SUPPORT_REPLY_ADDRESS", "support@aftersales.localhost"
    ),
    # Guide, summary: "DJI may charge a damage-evaluation fee of 50 euros per hour if you refuse
    # to repair your device after receiving the quote."
    "EVALUATION_FEE_PER_HOUR": env("AFTERSALES_EVALUATION_FEE_PER_HOUR", "50.00"),
    "EVALUATION_FEE_CURRENCY": env("AFTERSALES_EVALUATION_FEE_CURRENCY", "EUR"),
    # The workshop's quotes (issue 8): labour per hour (in the evaluation fee's currency), the
    # VAT rate in percent (the Dutch rate of the Barendrecht centre), how long a quote is valid.
    "LABOUR_RATE_PER_HOUR": env("AFTERSALES_LABOUR_RATE_PER_HOUR", "50.00"),
    "QUOTE_VAT_RATE": env("AFTERSALES_QUOTE_VAT_RATE", "21"),
    "QUOTE_VALIDITY_DAYS": int(env("AFTERSALES_QUOTE_VALIDITY_DAYS", "30")),
    # Express (seed 001): the replacement ships first; the damaged unit must come back within
    # this many days of it (PRODUCT: « expects the damaged unit back within 7–14 days »).
    "EXPRESS_RETURN_DAYS": int(env("AFTERSALES_EXPRESS_RETURN_DAYS", "14")),
    # The customer is reminded this many days before that deadline (once).
    "EXPRESS_REMINDER_DAYS": int(env("AFTERSALES_EXPRESS_REMINDER_DAYS", "3")),
    # What an agent charges, by default, when the damaged unit is not back in time, or comes
    # back another or without its battery (in the evaluation fee's currency; the agent may
    # change it): the centre's price list, "not_returned=650,other_serial=650,no_battery=120".
    "EXPRESS_CHARGES": amounts_per_key(
        env("AFTERSALES_EXPRESS_CHARGES"),
        {"not_returned": "650.00", "other_serial": "650.00", "no_battery": "120.00"},
    ),
    # Where customers pay by bank transfer, with each payment's ISO 11649 reference (an agent
    # records the payment; see PAYMENTS below). Empty: they ask support for it.
    "BANK_ACCOUNT": env("AFTERSALES_BANK_ACCOUNT", ""),
    # Guide, summary: « Le temps nécessaire à UPS pour enquêter au sujet du colis perdu… ».
    "CARRIER_NAME": env("AFTERSALES_CARRIER_NAME", "UPS"),
    # Contact form and repair request uploads: "PPT, PDF, Excel, Word, PNG, JPG, GIF, ≤ 25MB".
    "UPLOAD_MAX_BYTES": int(env("AFTERSALES_UPLOAD_MAX_MB", "25")) * 1024 * 1024,
    # Drafts of repair requests untouched for this many days are removed.
    "DRAFT_MAX_AGE_DAYS": int(env("AFTERSALES_DRAFT_MAX_AGE_DAYS", "30")),
    # The service levels (when a quote is unanswered, a case overdue) are each repair centre's
    # targets (`RepairCentre.sla_*`), counted by `repairs/sla.py`.
}


# --- Payments (issue 9): which providers are offered, and the online one's keys ---------------
def providers_per_centre(text: str) -> dict[str, list[str]]:
    """AFTERSALES_PAYMENT_PROVIDERS_BY_CENTRE: "Barendrecht=bank_transfer+stripe;Lyon=counter",
    a repair centre's name and the providers it offers, in order."""
    centres: dict[str, list[str]] = {}
    for item in filter(None, (part.strip() for part in text.split(";"))):
        name, _sep, codes = item.partition("=")
        centres[name.strip()] = [code.strip() for code in codes.split("+") if code.strip()]
    return centres


class StripeSettings(TypedDict):
    SECRET_KEY: str
    WEBHOOK_SECRET: str
    API_BASE: str
    CHECKOUT_ORIGIN: str


class PaymentsSettings(TypedDict):
    PROVIDERS: list[str]
    CENTRE_PROVIDERS: dict[str, list[str]]
    STRIPE: StripeSettings


PAYMENTS: PaymentsSettings = {
    # Offered by every repair centre, in this order: bank_transfer (a structured RF reference,
    # an agent records the transfer), counter, stripe (Stripe Checkout; by default once its
    # secret key is set).
    "PROVIDERS": env_list(
        "AFTERSALES_PAYMENT_PROVIDERS",
        "bank_transfer,counter" + (",stripe" if env("STRIPE_SECRET_KEY") else ""),
    ),
    "CENTRE_PROVIDERS": providers_per_centre(env("AFTERSALES_PAYMENT_PROVIDERS_BY_CENTRE")),
    "STRIPE": {
        "SECRET_KEY": env("STRIPE_SECRET_KEY"),
        "WEBHOOK_SECRET": env("STRIPE_WEBHOOK_SECRET"),
        # Only the tests change these (localstripe on 127.0.0.1).
        "API_BASE": env("STRIPE_API_BASE", "https://api.stripe.com"),
        # Where the pay button's form leads (CSP form-action, on the pages that show it).
        "CHECKOUT_ORIGIN": env("STRIPE_CHECKOUT_ORIGIN", "https://checkout.stripe.com"),
    },
}

# --- Parcels: the carriers behind one interface (repairs/carriers/) ----------------------------
# Key -> the class of a carrier integration; a repair centre names one (`RepairCentre.carrier`).
# "own": the centre's own carrier account, no network (labels made here, numbers from the
# centre's range or typed by staff). A real carrier's API is added here, under its own key.
PARCEL_CARRIERS: dict[str, str] = {
    "own": "aftersales.repairs.carriers.own_account.OwnAccountCarrier",
}

# The workshop dashboard (issue 9, item 6): its figures and plots are kept this many seconds per
# filters (and language), so that a manager's reloads and the plots of one page ask the database
# once. 0 computes them on every request.
WORKSHOP_DASHBOARD_CACHE_SECONDS = int(env("AFTERSALES_DASHBOARD_CACHE_SECONDS", "300"))

# --- API ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Plan rules answer 422 with their code; nothing answers a bare 500.
    "EXCEPTION_HANDLER": "aftersales.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Aftersales partner API",
    "VERSION": "1",
    # Served by the app itself: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No deep links: Swagger UI puts them inside the operations' buttons (a link in a button:
    # nested interactive controls, and targets under 24 px, WCAG 4.1.2 and 2.5.8).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
}

# --- Content-Security-Policy (django-csp) on every response ------------------------------------
# Everything comes from the site itself; no inline script or style anywhere (htmx's own
# indicator style is off, in base.html's htmx-config, and lives in site.css; the API docs load
# their start-up script from a URL). `data:` images: Swagger UI's icons are inline SVGs in its
# stylesheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Security (production when DEBUG is off) -------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read with one plain query (accounts/sessions.py).
SESSION_ENGINE = "aftersales.accounts.sessions"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging: one JSON object per line on stderr -------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "aftersales.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "aftersales.core.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env("LOG_FORMAT", "json"),
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
    },
}


# --- The contact form's verification code (django-simple-captcha, issue 10) ------------------
# Drawn by the site itself; read aloud by flite when it is installed (the audio alternative).
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 30  # minutes: time to fill in the form
CAPTCHA_LETTER_ROTATION = (-20, 20)
CAPTCHA_FLITE_PATH = env("CAPTCHA_FLITE_PATH", shutil.which("flite") or "") or None
CAPTCHA_IMAGE_SIZE = (150, 50)
CAPTCHA_FONT_SIZE = 32
# Requests an hour per address for the code's picture, its audio (a `flite` process each) and a
# new code (a row each): a person needs a few (support/captcha_urls.py).
CAPTCHA_LIMITS_PER_HOUR = {"image": 120, "audio": 20, "refresh": 30}
# Contact form submissions from one address per hour, sent or refused (a wrong code too): a
# customer sends a few, a script many; past it the form answers 429 until the hour is over.
SUPPORT_CONTACT_LIMIT_PER_ADDRESS = int(env("SUPPORT_CONTACT_LIMIT_PER_ADDRESS", "20"))
