"""Local development: ``make run``. DEBUG is on unless DEBUG=0 says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# A template edit shows at once locally; PAGE_CACHE_SECONDS=60 tries the page cache.
PADDOCK_PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)
