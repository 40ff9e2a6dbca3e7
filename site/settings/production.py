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
    PADDOCK_CSP,
    PADDOCK_CSP_ADMIN,
    REDIS_URL,
    SECRET_KEY,
    SITE_URL,
    env,
)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
# Texts go through Twilio (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, and TWILIO_FROM_NUMBER or
# TWILIO_MESSAGING_SERVICE_SID, read in base.py); never to a test server in production.
SMS_BACKEND = env.str("SMS_BACKEND", default="community.texts.backends.twilio.TwilioBackend")
TWILIO_API_BASE = ""


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
    if env.str("TWILIO_ACCOUNT_SID", default="") and not (
        env.str("TWILIO_AUTH_TOKEN", default="")
        and (
            env.str("TWILIO_FROM_NUMBER", default="")
            or env.str("TWILIO_MESSAGING_SERVICE_SID", default="")
        )
    ):
        problems.append(
            "Texts: TWILIO_ACCOUNT_SID needs TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER (or "
            "TWILIO_MESSAGING_SERVICE_SID)."
        )
    media_storage = env.str("MEDIA_STORAGE", default="filesystem")
    if media_storage not in ("filesystem", "s3"):
        problems.append("MEDIA_STORAGE must be filesystem or s3.")
    elif media_storage == "s3" and not env.str("AWS_STORAGE_BUCKET_NAME", default=""):
        problems.append("AWS_STORAGE_BUCKET_NAME is missing: MEDIA_STORAGE=s3 needs a bucket.")
    if env.bool("DB_POOL", default=False) and env.int("DB_CONN_MAX_AGE", default=0):
        problems.append(
            "DB_POOL and DB_CONN_MAX_AGE exclude each other: use the pool or persistent connections."
        )
    if env.int("TRUSTED_PROXY_COUNT", default=0) < 0:
        problems.append(
            "TRUSTED_PROXY_COUNT must be 0 or the number of proxies in front of Paddock."
        )
    return problems


_problems = insecure_settings()
if _problems:
    raise ImproperlyConfigured(
        "Paddock will not start in production with these settings:\n  - " + "\n  - ".join(_problems)
    )

# --- Deploy: database connections, cache, sessions, storage (see README, "Production") ------------
# Database connections: persistent (DB_CONN_MAX_AGE seconds, checked before reuse) by default,
# which suits gunicorn's sync workers (one connection each); or psycopg's pool with DB_POOL=1 for
# threaded workers, DB_POOL_MIN_SIZE..DB_POOL_MAX_SIZE connections per process.
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
_db_options.setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=5))
if env.bool("DB_POOL", default=False):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    _db_options["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DB_POOL_MAX_SIZE", default=4),
        "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# The cache (base.py, paddock/cache.py) gives Redis 1 s an attempt and carries on without it.
# Sessions live in PostgreSQL only: any web process on any machine finds them, members stay
# signed in (and can sign in) while Redis is away, and a session ended during an outage cannot
# come back from a stale cached copy afterwards (as it could with cached_db). paddock.sessions is
# Django's database store whose read is compiled once per process (base.py).
CELERY_TASK_ALWAYS_EAGER = False

# Uploaded files: MEDIA_ROOT on storage every machine shares (NFS, a mounted volume), or
# MEDIA_STORAGE=s3 for an S3-compatible store (paddock/storage.py). Static files are served by
# WhiteNoise from each machine's own collectstatic, with hashed, compressed names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "photos": {"BACKEND": "community.models.posts.PhotoStorage"},
}
# Documents go through Wagtail's view, which checks collection privacy, never by a public URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
if env.str("MEDIA_STORAGE", default="filesystem") == "s3":
    _bucket = env.str("AWS_STORAGE_BUCKET_NAME")
    _endpoint = env.str("AWS_S3_ENDPOINT_URL", default="") or None
    _custom_domain = env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None
    _s3 = {
        "endpoint_url": _endpoint,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        # "path" for stores that have no per-bucket host names (MinIO and the like).
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
        # Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment, or the
        # machine's IAM role; boto3 finds them itself.
    }
    STORAGES["default"] = {
        "BACKEND": "paddock.storage.MediaStorage",
        "OPTIONS": {
            **_s3,
            "bucket_name": _bucket,
            "location": env.str("AWS_LOCATION", default=""),
            "custom_domain": _custom_domain,
        },
    }
    STORAGES["photos"] = {
        "BACKEND": "paddock.storage.PrivatePhotoStorage",
        "OPTIONS": {
            **_s3,
            "bucket_name": env.str("PADDOCK_PHOTO_BUCKET", default="") or _bucket,
            "location": env.str("PADDOCK_PHOTO_PREFIX", default="private/photos"),
        },
    }
    if _custom_domain:
        _media_origins = [f"https://{_custom_domain}"]
    elif _endpoint:
        _media_origins = ["/".join(_endpoint.split("/")[:3])]
    else:
        _region = _s3["region_name"]
        _media_origins = [f"https://{_bucket}.s3.amazonaws.com"]
        if _region:
            _media_origins.append(f"https://{_bucket}.s3.{_region}.amazonaws.com")
    for _policy in (PADDOCK_CSP, PADDOCK_CSP_ADMIN):
        _policy["img-src"] = [*_policy["img-src"], *_media_origins]

# HTTPS everywhere. Behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER_NAME
# (usually HTTP_X_FORWARDED_PROTO) so Django knows the request came in over https.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
_proxy_header = env.str("SECURE_PROXY_SSL_HEADER_NAME", default="")
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")
# A load balancer may probe /health/ over plain http.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
