"""Which settings module a process uses when DJANGO_SETTINGS_MODULE is not set.

``PADDOCK_ENV=production`` selects the production settings, ``test`` the test settings;
anything else (or nothing) selects the local development settings.
"""

import os

_MODULES = {
    "production": "paddock.settings.production",
    "test": "paddock.settings.test",
    "dev": "paddock.settings.dev",
}


def default_settings_module(fallback: str = "dev") -> str:
    return _MODULES.get(os.environ.get("PADDOCK_ENV", fallback).strip().lower(), _MODULES["dev"])


def use_default_settings(fallback: str = "dev") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_settings_module(fallback))
