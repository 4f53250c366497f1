"""Django settings, driven by environment variables.

SUNSHINE_HOME            folder for the SQLite database, keys and generated data
                         (default ./sunshine-data)
SUNSHINE_DATABASE_URL    database URL (default: SQLite in SUNSHINE_HOME)
SUNSHINE_TEST_DATABASE_URL  when set, the test suite runs against this database instead
SUNSHINE_SECRET_KEY      required when SUNSHINE_DEBUG is off (or a file SUNSHINE_HOME/secret-key)
SUNSHINE_DEBUG           "1" for development (default "0")
SUNSHINE_ALLOWED_HOSTS   comma-separated (default "127.0.0.1,localhost")
SUNSHINE_AUDIT_SIGNING_KEY  base64 raw Ed25519 private key signing audit checkpoints
                         (default: a generated key in SUNSHINE_HOME/audit-signing-key)
SUNSHINE_AUDIT_ORIGIN    the log's name in signed checkpoints (default "sunshine")
SUNSHINE_PUBLICATION_K   smallest equivalence class a published list may hold (default 2;
                         docs/publication.md)
SUNSHINE_SMS_BACKEND     class sending SMS codes (default "sunshine.accounts.sms.ConsoleBackend",
                         which prints them; docs/families.md)
SUNSHINE_COSIGN_MAX_FAILURES    wrong co-sign passwords for one co-signer that lock co-signing
                         with that account (default 5; 0 = no limit; docs/planning.md)
SUNSHINE_COSIGN_WINDOW_MINUTES  the window those failures are counted in, and so the longest
                         lockout (default 15)
SUNSHINE_OPEN311_MAX_POSTS      Open311 POSTs one client IP address may make in the window
                         (default 20; 0 = no limit; docs/oversight.md)
SUNSHINE_OPEN311_WINDOW_MINUTES the window of that limit (default 60)
SUNSHINE_LOGIN_MAX_FAILURES     wrong passwords for one username that lock signing in with it
                         (default 5; 0 = no limit; counted with co-sign's; docs/deployment.md)
SUNSHINE_LOGIN_WINDOW_MINUTES   the window those failures are counted in (default 15)
SUNSHINE_TRUSTED_PROXIES comma-separated IP addresses or CIDR networks of reverse proxies whose
                         X-Forwarded-For is believed (default empty: none; docs/deployment.md)
"""

from __future__ import annotations

import ipaddress
import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from sunshine.config.paths import home_dir

PACKAGE_DIR = Path(__file__).resolve().parent.parent
HOME = home_dir()

DEBUG = os.environ.get("SUNSHINE_DEBUG", "0") == "1"
_TESTING = "pytest" in sys.modules

SECRET_KEY = os.environ.get("SUNSHINE_SECRET_KEY", "")
SUNSHINE_AUDIT_SIGNING_KEY = os.environ.get("SUNSHINE_AUDIT_SIGNING_KEY", "")
SUNSHINE_AUDIT_ORIGIN = os.environ.get("SUNSHINE_AUDIT_ORIGIN", "sunshine")
_SECRET_FILE = HOME / "secret-key"  # written by `sunshine demo` for a local install
if not SECRET_KEY and _SECRET_FILE.is_file():
    SECRET_KEY = _SECRET_FILE.read_text(encoding="utf-8").strip()
if not SECRET_KEY:
    if not (DEBUG or _TESTING):
        raise ImproperlyConfigured("SUNSHINE_SECRET_KEY must be set when SUNSHINE_DEBUG is off")
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("SUNSHINE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
if _TESTING:
    ALLOWED_HOSTS.append("testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs page's scripts from our own static files, not a CDN
    "sunshine.accounts",
    "sunshine.admissions",
    "sunshine.registry",
    "sunshine.audit",
    "sunshine.oversight",
    "sunshine.analytics",
    "sunshine.portal",
    "sunshine.ceremony",
    "sunshine.families",
    "sunshine.review",
    "sunshine.planning",
    "sunshine.ledgers",
    "sunshine.campaigns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sunshine.portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sunshine.portal.errors.DomainErrorMiddleware",
]

ROOT_URLCONF = "sunshine.config.urls"
WSGI_APPLICATION = "sunshine.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sunshine.portal.navigation.navigation",
            ],
        },
    },
]


def _database_url() -> str:
    if _TESTING and os.environ.get("SUNSHINE_TEST_DATABASE_URL"):
        return os.environ["SUNSHINE_TEST_DATABASE_URL"]
    return os.environ.get("SUNSHINE_DATABASE_URL", f"sqlite:///{HOME / 'sunshine.sqlite3'}")


DATABASES = {"default": dj_database_url.parse(_database_url(), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the public pages read while an import writes; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG and not _TESTING:
    SESSION_COOKIE_SECURE = os.environ.get("SUNSHINE_INSECURE_COOKIES", "0") != "1"
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SUNSHINE_LOG_LEVEL", "WARNING")},
}

# Published lists (公示): the k of the k-anonymity check (docs/publication.md).
SUNSHINE_PUBLICATION_K = int(os.environ.get("SUNSHINE_PUBLICATION_K", "2"))

# Text messages (SMS codes at sign-up): a class with send(phone, text); see sunshine.accounts.sms.
SUNSHINE_SMS_BACKEND = os.environ.get(
    "SUNSHINE_SMS_BACKEND", "sunshine.accounts.sms.ConsoleBackend"
)

# Brute-force limits (sunshine.accounts.ratelimit): a count in a sliding window, 0 = no limit.
# Co-sign (会签): wrong passwords per co-signer account, then co-signing with it is refused.
SUNSHINE_COSIGN_MAX_FAILURES = int(os.environ.get("SUNSHINE_COSIGN_MAX_FAILURES", "5"))
SUNSHINE_COSIGN_WINDOW_MINUTES = int(os.environ.get("SUNSHINE_COSIGN_WINDOW_MINUTES", "15"))
# Open311 intake: complaints posted per client IP address.
SUNSHINE_OPEN311_MAX_POSTS = int(os.environ.get("SUNSHINE_OPEN311_MAX_POSTS", "20"))
SUNSHINE_OPEN311_WINDOW_MINUTES = int(os.environ.get("SUNSHINE_OPEN311_WINDOW_MINUTES", "60"))
# Sign-in: wrong passwords per username (one count per account, shared with co-sign's).
SUNSHINE_LOGIN_MAX_FAILURES = int(os.environ.get("SUNSHINE_LOGIN_MAX_FAILURES", "5"))
SUNSHINE_LOGIN_WINDOW_MINUTES = int(os.environ.get("SUNSHINE_LOGIN_WINDOW_MINUTES", "15"))

# Reverse proxies whose X-Forwarded-For names the client (sunshine.accounts.ratelimit).
SUNSHINE_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("SUNSHINE_TRUSTED_PROXIES", "").split(",") if p.strip()
]
for _proxy in SUNSHINE_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _bad:
        raise ImproperlyConfigured(f"SUNSHINE_TRUSTED_PROXIES: {_bad}") from None
