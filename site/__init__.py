"""Paddock's project package (the folder site/, imported as ``paddock``)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
