"""Local development: ``make run``. DEBUG is on unless DEBUG=0 says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
