"""Settings shared by every environment, read from the environment (12-factor).

Every value has a safe default for a local run on one machine: SQLite under var/, mail written to
var/mail/, an in-process cache. Production (``PADDOCK_ENV=production``) refuses insecure values;
see production.py.
"""

import secrets
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

PADDOCK_ENV = env.str("PADDOCK_ENV", default="dev")

# The value a local run uses when SECRET_KEY is not set; production refuses it.
INSECURE_SECRET_KEY = "paddock-local-development-key-not-for-production"
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

# The public address of the site: every absolute link (mail, feeds, QR codes) is built on it by
# community.showrooms.absolute_url. ``make run`` sets it to where it serves, http://$(HOST):$(PORT).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "community",
    "events",
    "accessories",
    "staff.apps.StaffConfig",
    "demo.apps.DemoConfig",  # the demo dealership (seed_demo): on top, imported by no app
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "staff.apps.MemberUsersConfig",  # wagtail.users, with the owner's phone and advisor on the form
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "anymail",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "paddock.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "paddock.not_found.DesignedNotFoundMiddleware",  # the designed 404 under DEBUG too
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "paddock.urls"
WSGI_APPLICATION = "paddock.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: DATABASE_URL, e.g. postgres://paddock@db.internal:5432/paddock.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'paddock.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis backs the cache (and with it allauth's rate limits) and Celery. Without REDIS_URL a local
# run keeps its cache in memory and runs background tasks in-process.
# Redis is a cache, not a dependency of every request (paddock/cache.py): when it is away, reads
# miss, writes are dropped, rate limits count in process memory, and after one failure a process
# leaves Redis alone for CACHE_RETRY_SECONDS; each attempt gives up after CACHE_SOCKET_TIMEOUT.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    _cache_socket_timeout = env.float("CACHE_SOCKET_TIMEOUT", default=1.0)
    CACHES = {
        "default": {
            "BACKEND": "paddock.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="paddock"),
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": _cache_socket_timeout,
                "SOCKET_TIMEOUT": _cache_socket_timeout,
                "CIRCUIT_RETRY_SECONDS": env.float("CACHE_RETRY_SECONDS", default=2.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Wagtail looks every image rendition up in this cache and writes it back on each use: kept in
# each process's memory, that is no round trip to Redis per image. A rendition never changes
# (its key names the image, the focal point and the filter); one whose image was replaced is
# forgotten by the other processes within RENDITIONS_CACHE_SECONDS.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "paddock-renditions",
    "TIMEOUT": env.int("RENDITIONS_CACHE_SECONDS", default=300),
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
# A broker that comes and goes (Celery's Redis guide and its worker settings). Nothing is ever
# only in Redis: every piece of work (a message, a staff "Send", a change notice) is a PostgreSQL
# row first, tasks only point at rows, and beat's sweeps find rows whose task was lost. So tasks
# are idempotent and can be delivered twice without harm:
# - acks late, and a task whose worker process died is put back on the queue (re-run at once);
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# - when the broker connection drops, running tasks carry on (set explicitly: Celery 6 will cancel
#   them by default). Sending mail needs PostgreSQL and SMTP, not Redis: a batch that carries on
#   records every message it sends, and its redelivered copy finds nothing left to do; a cancelled
#   one would be killed mid-message (a possible duplicate) and leave its claim to lapse first.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# - workers and beat wait for Redis however long it is away, at start-up too;
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# - an unacknowledged task comes back after visibility_timeout (a worker killed outright); longer
#   than any task runs (no task uses an ETA or countdown); the sockets give up rather than hang on
#   a broker that vanished without closing the connection (failover, firewall);
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=1800),
    "socket_connect_timeout": 3,
    "socket_timeout": 10,
    "socket_keepalive": True,
    "retry_on_timeout": True,
    "health_check_interval": 25,
}
# - a web request that queues a task while Redis is down gives up within about a second, and
#   paddock.celery.enqueue() turns that into a log line (the row waits for beat's sweep).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.3,
    "interval_max": 0.5,
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
# Outbox sending (community/outbox.py): a claim lasts this long before another worker may take the
# message (renewed while a batch is sent; keep it well above EMAIL_TIMEOUT); a failed message is
# tried again after PADDOCK_OUTBOX_RETRY_SECONDS, doubling each time, at most an hour apart.
PADDOCK_OUTBOX_LEASE_SECONDS = env.int("PADDOCK_OUTBOX_LEASE_SECONDS", default=120)
PADDOCK_OUTBOX_RETRY_SECONDS = env.int("PADDOCK_OUTBOX_RETRY_SECONDS", default=30)
# Mail committed by requests goes to the workers in one drain, this many seconds after the first
# commit: a burst of answers is served first, its mail rendered and sent together after.
PADDOCK_OUTBOX_DRAIN_DELAY = env.float("PADDOCK_OUTBOX_DRAIN_DELAY", default=1.0)
# Work written to PostgreSQL whose task has not started within this many seconds is picked up by
# beat's sweeps (the task was lost with the broker); a dispatched task usually gets there first.
PADDOCK_SWEEP_GRACE_SECONDS = env.int("PADDOCK_SWEEP_GRACE_SECONDS", default=30)
_SWEEP_EVERY = float(env.int("PADDOCK_SWEEP_SECONDS", default=60))
CELERY_BEAT_SCHEDULE = {
    "outbox-flush": {"task": "community.tasks.outbox_flush_task", "schedule": _SWEEP_EVERY},
    "invitation-sends-sweep": {
        "task": "events.tasks.invitation_sends_sweep_task",
        "schedule": _SWEEP_EVERY,
    },
    "event-changes-sweep": {"task": "events.tasks.event_changes_sweep_task", "schedule": 120.0},
    "event-reminders": {"task": "events.tasks.reminders_task", "schedule": 300.0},
    # Members in a series are put down for each date as its RSVPs open.
    "series-fill-in": {"task": "events.tasks.series_fill_in_task", "schedule": 600.0},
    # The morning after an event, members checked in get the link to its album (events/photo_drop.py).
    "photo-drops": {"task": "events.tasks.photo_drops_task", "schedule": 600.0},
    # Sends each advisor's digest once a day, on the first run after PADDOCK_LOUNGE_DIGEST_HOUR.
    "lounge-digests": {"task": "staff.tasks.lounge_digests_task", "schedule": 600.0},
    # The text outbox's flush (community/texts/outbox.py): lost tasks, retries, quiet hours' end.
    "text-outbox-flush": {
        "task": "community.texts.tasks.text_outbox_flush_task",
        "schedule": _SWEEP_EVERY,
    },
    # Texts from numbers that are no member's are forgotten after PADDOCK_TEXT_STRANGER_DAYS.
    "inbound-texts-of-strangers": {
        "task": "events.tasks.inbound_texts_of_strangers_forget_task",
        "schedule": 86400.0,
    },
}
CELERY_IMPORTS = ["community.texts.tasks"]

AUTH_USER_MODEL = "community.Member"
# Django's database sessions, read with a query compiled once per process (paddock/sessions.py).
SESSION_ENGINE = "paddock.sessions"
# Django's and allauth's backends, each reading a request's member with a prepared query.
AUTHENTICATION_BACKENDS = [
    "community.backends.MemberModelBackend",
    "community.backends.MemberAccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# A private section (Wagtail's page privacy, "signed-in users") sends visitors to the same sign-in.
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "community:garage"

# django-allauth: sign up and log in by email, verification mandatory, one email address that a
# member can change. Rate limits use the default cache (Redis in production).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
# A new member who confirms their address in the browser they signed up in is signed in at once.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_ADAPTER = "community.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "community.forms.SignupForm"
ACCOUNT_FORMS = {"login": "community.account_forms.LoginForm"}

# Mail. EMAIL_URL selects the transport, e.g. smtp+tls://user:pass@smtp.example.com:587.
# Without it, outgoing mail is written as .eml files to var/mail/ and announced on the console.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Paddock <community@paddock.localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
MAILBOX_DIR = Path(env.str("MAILBOX_DIR", default=str(VAR_DIR / "mail")))
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "paddock.mail.MailboxBackend"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Texts to members' phones (community/texts/, README "Texts"). SMS_BACKEND is to texts what
# EMAIL_BACKEND is to mail: locally each text is written to SMS_FILE_DIR (var/sms/), one file per
# text; production sends through Twilio (production.py). Codes that verify a number: valid this many
# minutes, this many wrong tries each, at most this many per number an hour. No text is sent between
# PADDOCK_TEXT_QUIET_FROM and PADDOCK_TEXT_QUIET_UNTIL (hours, dealership time) unless it is urgent.
SMS_BACKEND = env.str("SMS_BACKEND", default="community.texts.backends.files.FileBackend")
SMS_FILE_DIR = Path(env.str("SMS_FILE_DIR", default=str(VAR_DIR / "sms")))
PADDOCK_TEXT_CODE_MINUTES = env.int("PADDOCK_TEXT_CODE_MINUTES", default=10)
PADDOCK_TEXT_CODE_TRIES = env.int("PADDOCK_TEXT_CODE_TRIES", default=5)
PADDOCK_TEXT_CODES_PER_HOUR = env.int("PADDOCK_TEXT_CODES_PER_HOUR", default=3)
PADDOCK_TEXT_QUIET_FROM = env.int("PADDOCK_TEXT_QUIET_FROM", default=21)
PADDOCK_TEXT_QUIET_UNTIL = env.int("PADDOCK_TEXT_QUIET_UNTIL", default=8)
# Texts from numbers that are no member's verified mobile are kept this many days, then deleted.
PADDOCK_TEXT_STRANGER_DAYS = env.int("PADDOCK_TEXT_STRANGER_DAYS", default=30)
# A member's text within this many hours of staff texting them is an answer for the advisor, not an
# RSVP attempt; a member who texts the advisor gets "Thanks, ... will reply" at most once this often.
PADDOCK_TEXT_CONVERSATION_HOURS = env.int("PADDOCK_TEXT_CONVERSATION_HOURS", default=24)
PADDOCK_TEXT_THANKS_HOURS = env.int("PADDOCK_TEXT_THANKS_HOURS", default=12)
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="")
TWILIO_MESSAGING_SERVICE_SID = env.str("TWILIO_MESSAGING_SERVICE_SID", default="")
# Only for tests: where the Twilio SDK's https://api.twilio.com requests go instead. Unset in production.
TWILIO_API_BASE = env.str("TWILIO_API_BASE", default="")
TWILIO_TIMEOUT = env.float("TWILIO_TIMEOUT", default=10.0)
# Ask Twilio for delivery receipts at <SITE_URL>/texts/status/ (it must reach that address).
TWILIO_STATUS_CALLBACK = env.bool("TWILIO_STATUS_CALLBACK", default=True)

# Members' replies to invitations go to rsvp+<token>@PADDOCK_INBOUND_DOMAIN; point that domain's
# mail at the mail gateway (``manage.py mail_gateway``) or the provider's inbound webhook.
PADDOCK_INBOUND_DOMAIN = env.str("PADDOCK_INBOUND_DOMAIN", default="reply.paddock.localhost")
# Inbound webhooks (django-anymail, e.g. /anymail/postmark/inbound/) are protected by HTTP basic
# auth: ANYMAIL_WEBHOOK_SECRET="user:password", the same as in the provider's webhook URL. Unset,
# a random secret nobody knows keeps the webhooks shut.
ANYMAIL = {
    "WEBHOOK_SECRET": env.str("ANYMAIL_WEBHOOK_SECRET", default="")
    or f"disabled:{secrets.token_urlsafe(32)}"
}

# Drives' routes. The event page's map draws its tiles from PADDOCK_MAP_TILES (a Leaflet URL
# template; empty: no tiles, the route and its stops still draw on a plain background) and credits
# PADDOCK_MAP_ATTRIBUTION. Driving time is the route's length at PADDOCK_DRIVE_AVERAGE_KMH.
# GPX uploads over PADDOCK_GPX_MAX_BYTES or PADDOCK_GPX_MAX_POINTS are refused (events/gpx.py).
PADDOCK_MAP_TILES = env.str(
    "PADDOCK_MAP_TILES", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
PADDOCK_MAP_ATTRIBUTION = env.str(
    "PADDOCK_MAP_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
PADDOCK_DRIVE_AVERAGE_KMH = env.float("PADDOCK_DRIVE_AVERAGE_KMH", default=50.0)
PADDOCK_GPX_MAX_BYTES = env.int("PADDOCK_GPX_MAX_BYTES", default=5 * 1024 * 1024)
PADDOCK_GPX_MAX_POINTS = env.int("PADDOCK_GPX_MAX_POINTS", default=50_000)

LANGUAGE_CODE = "en-gb"
FORMAT_MODULE_PATH = ["paddock.formats"]  # en_GB with the 24-hour clock (paddock/formats/)
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Members' post photos (community.models.posts): never served directly, see PADDOCK_PHOTO_ROOT.
    "photos": {"BACKEND": "community.models.posts.PhotoStorage"},
}

# Uploads: files above this size are streamed to disk rather than held in memory, and member photos
# above PADDOCK_MAX_PHOTO_BYTES are refused with a message.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
PADDOCK_MAX_PHOTO_BYTES = env.int("PADDOCK_MAX_PHOTO_BYTES", default=10 * 1024 * 1024)
PADDOCK_MAX_PHOTO_PIXELS = env.int("PADDOCK_MAX_PHOTO_PIXELS", default=40_000_000)

WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no requests to outside services from the admin
WAGTAIL_SITE_NAME = env.str("WAGTAIL_SITE_NAME", default="Paddock")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = PADDOCK_MAX_PHOTO_BYTES
WAGTAILIMAGES_MAX_IMAGE_PIXELS = PADDOCK_MAX_PHOTO_PIXELS
# Renditions of images only private clubs use go to the private store (STORAGES["photos"]) and are
# served to the club's members by Paddock; every other rendition is public media as before.
WAGTAILIMAGES_RENDITION_STORAGE = "community.private_images.RenditionStorage"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "txt", "csv"]

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# Forms render through templates/forms/ so every form on the site looks the same.
FORM_RENDERER = "paddock.forms.FormRenderer"

# Photos members post are kept outside MEDIA_ROOT and served by Paddock itself, which checks who
# may see them (a private club's photos reach its members alone).
PADDOCK_PHOTO_ROOT = Path(env.str("PADDOCK_PHOTO_ROOT", default=str(VAR_DIR / "photos")))
# A new member's first posts wait for a moderator; 0 publishes everything at once.
PADDOCK_MODERATE_FIRST_POSTS = env.int("PADDOCK_MODERATE_FIRST_POSTS", default=2)
PADDOCK_MAX_ALBUM_PHOTOS = 20

# --- Security: headers, cookies, login throttling (see README, "Production") ----------------------
# Content-Security-Policy (paddock/security.py): the public site allows no inline script or style
# and nothing from other origins; the Wagtail admin needs inline script and style of its own.
# Media on another origin (an S3 bucket or CDN in MEDIA_URL) is allowed for images.
_media_origin = "/".join(MEDIA_URL.split("/")[:3]) if "://" in MEDIA_URL else ""
# Drives' maps load their tiles from PADDOCK_MAP_TILES's origin ({s} subdomains as a wildcard).
_tiles_origin = (
    "/".join(PADDOCK_MAP_TILES.split("/")[:3]).replace("{s}", "*")
    if "://" in PADDOCK_MAP_TILES
    else ""
)
_img_src = [
    "'self'",
    "data:",
    *([_media_origin] if _media_origin else []),
    *([_tiles_origin] if _tiles_origin else []),
]
PADDOCK_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": _img_src,
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "media-src": ["'self'"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
PADDOCK_CSP_ADMIN = {
    **PADDOCK_CSP,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": [*_img_src, "blob:"],
    "frame-ancestors": ["'self'"],  # the page editor frames its live preview
}
CSRF_COOKIE_HTTPONLY = True  # no script of Paddock's reads the CSRF cookie
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
WAGTAIL_ENABLE_UPDATE_CHECK = False  # the admin calls no outside service
# Client IP for rate limits. Behind N reverse proxies that each append to X-Forwarded-For, set
# TRUSTED_PROXY_COUNT=N: the IP is then the Nth from the right, which a client cannot forge by
# sending its own X-Forwarded-For. With 0 (the default) the header is ignored and the socket's
# address is used. TRUSTED_CLIENT_IP_HEADER (e.g. X-Real-IP) names a header the proxy sets instead.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None
# Failed logins: 10 a minute per IP and 5 per 5 minutes per account, on the site and in the admin
# alike (the admin's login form counts through allauth too: community/admin_login.py). Every other
# action keeps allauth's default limits.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/5m/key"),
}
WAGTAILADMIN_USER_LOGIN_FORM = "community.admin_login.ThrottledLoginForm"
# Staff reset their password at /accounts/password/reset/ (rate-limited, reveals nothing) rather
# than through Wagtail's own unthrottled form.
WAGTAIL_PASSWORD_RESET_ENABLED = False
# /health/ gives each service this many seconds to answer.
PADDOCK_HEALTH_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=2.0)

# The photo drop (events/photo_drop.py): from this hour (dealership time) on the day after an
# event, members checked in get the link to add their photos; events over for longer than
# PADDOCK_PHOTO_DROP_DAYS days are left alone.
PADDOCK_PHOTO_DROP_HOUR = env.int("PADDOCK_PHOTO_DROP_HOUR", default=8)
PADDOCK_PHOTO_DROP_DAYS = env.int("PADDOCK_PHOTO_DROP_DAYS", default=2)

# Staff tools (staff/): phone numbers are matched in national form for this country code, and each
# advisor's "in the lounge today" digest goes out from this hour (dealership time) on.
PADDOCK_PHONE_COUNTRY_CODE = env.str("PADDOCK_PHONE_COUNTRY_CODE", default="44")
PADDOCK_LOUNGE_DIGEST_HOUR = env.int("PADDOCK_LOUNGE_DIGEST_HOUR", default=7)
PADDOCK_LOUNGE_MAX_ROWS = env.int("PADDOCK_LOUNGE_MAX_ROWS", default=2000)

# --- Fast pages (README "Performance") -----------------------------------------------------------
# Visitors without a session get no session, no cookie and no Vary: Cookie, and the pages below
# are served from the default cache (Redis) for PAGE_CACHE_SECONDS; publishing clears them.
# A cached page is served before the session, CSRF, auth and messages middleware (nothing for
# them to do); the anonymous user and the storing come after the messages middleware.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "paddock.page_cache.PageCacheHitMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "paddock.page_cache.AnonymousPageMiddleware",
)
# Inside the page cache: personal marks filled (visitors' cached pages keep theirs), and a
# member's POST makes their next pages render whole (community/page_parts.py).
MIDDLEWARE.insert(
    MIDDLEWARE.index("paddock.page_cache.AnonymousPageMiddleware") + 1,
    "community.page_parts.PersonalPartsMiddleware",
)
PADDOCK_PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
PADDOCK_PAGE_CACHE_VIEWS = {
    "wagtail_serve",
    "community:feed",
    "community:post",
    "community:profile",
}
