"""Settings with embedded defaults: SQLite and the in-memory channel layer, no server to install.

Environment variables (all optional):
  PODVIZ_DEBUG=1          Django debug mode
  PODVIZ_SECRET_KEY       secret key (else one generated into .secret_key: core/secret_key.py)
  PODVIZ_SECRET_KEY_FILE  where the generated key is kept (default: .secret_key beside manage.py)
  PODVIZ_HTTPS=1          served over HTTPS behind a TLS-terminating proxy (docs/deploy.md)
  PODVIZ_HSTS_SECONDS     Strict-Transport-Security max-age with PODVIZ_HTTPS (default: 1 year)
  PODVIZ_WEBSOCKET_ORIGINS  comma-separated extra origins allowed to open run sockets
  PODVIZ_ALLOWED_HOSTS    comma-separated host names (default: localhost, 127.0.0.1, [::1])
  PODVIZ_DB_PATH          the SQLite file (default: db.sqlite3 in the repository root)
  DATABASE_URL            another database instead, e.g. postgres://user:pass@host/podviz
  PODVIZ_REDIS_URL        a Redis channel layer instead of the in-memory one, e.g.
                          redis://127.0.0.1:6379/0, so several server processes share runs' frames
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from core.secret_key import load_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = os.environ.get("PODVIZ_DEBUG", "") == "1"
SECRET_KEY = load_secret_key(os.environ, BASE_DIR / ".secret_key")
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("PODVIZ_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # intcomma: counts read 15,000 as on the run page
    "channels",
    # The apps, each importing only those listed after it (the contracts in pyproject.toml).
    "advisor",
    "classroom",
    "runs",
    "scenarios",
    "core",
]

MIDDLEWARE = [
    # /healthz/live and /healthz/ready for probes, before the host check and the HTTPS redirect.
    "core.health.health_middleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files, before everything else that could touch the request (WhiteNoise's advice).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Innermost: sees the views' exceptions first (core/request_errors.py).
    "core.request_errors.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite by default; DATABASE_URL (e.g. postgres://user:password@host:5432/podviz) names another
# database. Connections are not kept between requests (CONN_MAX_AGE 0), as Django advises under
# ASGI.
DATABASES = {
    "default": (
        dj_database_url.parse(os.environ["DATABASE_URL"])
        if os.environ.get("DATABASE_URL")
        else {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("PODVIZ_DB_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    )
}


def channel_layer(redis_url: str | None) -> dict:
    """In-memory by default; Redis when a URL is given."""
    if not redis_url:
        return {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    # A host given as a dict with socket_timeout None: with redis-py 8 the default timeout closes
    # idle subscriber sockets every few seconds (docs/deploy.md, "Processes, Redis and the
    # database"). The layer is channels_redis' own, made to wait out a Redis outage
    # (runs/redis_layer.py).
    return {
        "BACKEND": "runs.redis_layer.ResilientRedisChannelLayer",
        "CONFIG": {"hosts": [{"address": redis_url, "socket_timeout": None}]},
    }


CHANNEL_LAYERS = {"default": channel_layer(os.environ.get("PODVIZ_REDIS_URL"))}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ko", "한국어")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Filled by `manage.py collectstatic` (`make run` and the tests run it when a source changed):
# hashed names, gzip and Brotli copies, served by WhiteNoise with a far-future Cache-Control.
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.staticfiles.HashedCompressedStorage"},
}
# Pages and modules only ever ask for the hashed names: compress those alone (half the work).
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
STATICFILES_FINDERS = [
    # Each app's static/ folder, under one namespace (podviz/...), so the pages' URLs and the
    # modules' relative imports do not depend on which app holds a file.
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "core.staticfiles.PlotlyFinder",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"timed": {"format": "%(asctime)s %(levelname)-8s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "timed"}},
    # Not propagated: Daphne gives the root logger a handler too, and each line would print twice.
    "loggers": {
        app: {"handlers": ["console"], "level": "INFO", "propagate": False}
        for app in ("core", "scenarios", "runs", "classroom", "advisor")
    },
}

# How the live runs are paced and kept (runs/manager.py).
PODVIZ_FRAME_RATE = 10  # frames per second sent to viewers
PODVIZ_IDLE_RUN_SECONDS = 300  # a run without viewers for this long is stopped and forgotten
# Classroom: a run stopped for idleness stays in the database, and its URL brings it back, until
# nobody has opened it for this long (runs/host.py).
PODVIZ_KEEP_RUN_SECONDS = int(os.environ.get("PODVIZ_KEEP_RUN_SECONDS", 12 * 3600))

# Security ---------------------------------------------------------------------------------------
# Saving scenarios needs a logged-in user (scenarios/api.py).
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "editor-new"
LOGOUT_REDIRECT_URL = "home"
# Only pages of this server may open run sockets; these origins too (core/origins.py).
PODVIZ_WEBSOCKET_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("PODVIZ_WEBSOCKET_ORIGINS", "").split(",")
    if origin.strip()
]
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (Django's own): scripts only from this site's files (the pages have no
# inline script), sockets and fetches to this site only, no framing, no plugins. Styles also
# inline: Plotly sets style attributes on the charts' SVG. Images also data:/blob: (the QR code,
# PNG export).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (docs/deploy.md, "Production
# settings"): HTTPS only, secure cookies, HSTS.
if os.environ.get("PODVIZ_HTTPS", "") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("PODVIZ_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("PODVIZ_HSTS_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("PODVIZ_HSTS_PRELOAD", "") == "1"

# What one client may use of this server (core/limits.py; what each costs: docs/reliability.md).
# Any name left out keeps its default.
# Reverse proxies whose X-Forwarded-For names the client (addresses or networks, comma-separated),
# e.g. "127.0.0.1,::1" for a proxy on the same machine. Nobody else's header is believed
# (core/limits.py, client_of); run Daphne without --proxy-headers (docs/deploy.md).
PODVIZ_TRUSTED_PROXIES = [
    entry.strip()
    for entry in os.environ.get("PODVIZ_TRUSTED_PROXIES", "").split(",")
    if entry.strip()
]

PODVIZ_LIMITS = {
    "runs_per_client": 8,  # live runs one address may have at once
    "runs_per_process": 40,  # live runs this server process keeps at once
    "unjoined_run_seconds": 15,  # a run no viewer joined by then is dropped (permalinks in bulk)
    "run_pod_seconds": 300_000,  # pods × simulated seconds × variants of one live run
    "commands_per_second": 10,  # per WebSocket, on average; seeks are coalesced instead
    "command_burst": 20,  # commands a WebSocket may send at once
    "injected_faults_per_run": 50,  # live faults until the run is restarted
    "viewer_buffer_bytes": 1_048_576,  # unsent bytes per viewer before frames are skipped
    "slow_viewer_seconds": 10,  # a viewer behind that long is closed (code 4429)
    "problems_listed": 50,  # problems the scenario API lists in one answer
    "join_attempts_per_minute": 10,  # join codes one address may try, then 429
    "sockets_per_client": 200,  # run sockets one address may hold open on a process (a NAT'd class)
    "sockets_per_process": 4000,  # run sockets a process holds (keep below LimitNOFILE)
    "request_workers": 1,  # worker processes for sweeps, reports, checks, validations
    "request_queue": 4,  # such requests waiting for a worker, then 503
    "heavy_requests_per_client": 1,  # such requests one address may have running, then 429
}
