"""Production: ``PADDOCK_ENV=production``. Refuses to start on insecure or missing settings.

Every problem found is named in one ImproperlyConfigured message, so an operator fixes them all in
one go rather than one restart at a time.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DATABASES,
    DEBUG,
    INSECURE_SECRET_KEY,
    REDIS_URL,
    SECRET_KEY,
    SITE_URL,
    env,
)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])


def insecure_settings() -> list[str]:
    """What is wrong with this environment for production, one sentence per setting."""
    problems = []
    if DEBUG:
        problems.append("DEBUG must be off in production: unset DEBUG or set DEBUG=0.")
    if SECRET_KEY == INSECURE_SECRET_KEY or not SECRET_KEY:
        problems.append(
            "SECRET_KEY is missing: set it to a random string of 50 or more characters."
        )
    elif len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        problems.append("SECRET_KEY is too weak: use a random string of 50 or more characters.")
    if not ALLOWED_HOSTS:
        problems.append(
            "ALLOWED_HOSTS is empty: list the site's host names, e.g. ALLOWED_HOSTS=club.example.com."
        )
    elif "*" in ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must not contain '*': list the site's host names.")
    if not SITE_URL.startswith("https://"):
        problems.append("SITE_URL must be the site's https:// address.")
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append(
            "DATABASE_URL must point at PostgreSQL, e.g. postgres://paddock@db:5432/paddock."
        )
    if not REDIS_URL:
        problems.append("REDIS_URL is missing: the cache, rate limits and Celery need Redis.")
    secret = env.str("ANYMAIL_WEBHOOK_SECRET", default="")
    if secret and (":" not in secret or len(secret.split(":", 1)[1]) < 16):
        problems.append(
            "ANYMAIL_WEBHOOK_SECRET must be user:password with a password of 16+ characters."
        )
    if not env.str("EMAIL_URL", default=""):
        problems.append(
            "EMAIL_URL is missing: give the SMTP server, e.g. smtp+tls://user:pass@smtp.example.com:587."
        )
    return problems


_problems = insecure_settings()
if _problems:
    raise ImproperlyConfigured(
        "Paddock will not start in production with these settings:\n  - " + "\n  - ".join(_problems)
    )

DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CELERY_TASK_ALWAYS_EAGER = False

# HTTPS everywhere. Behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER_NAME
# (usually HTTP_X_FORWARDED_PROTO) so Django knows the request came in over https.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
_proxy_header = env.str("SECURE_PROXY_SSL_HEADER_NAME", default="")
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
