"""Media served by the local run, and which media is never served publicly anywhere."""

import posixpath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

# Uploads under these prefixes are never served publicly: Wagtail keeps the untouched upload
# (full size, with its EXIF and GPS data) under original_images/; pages show renditions only.
# Production keeps them private too: the web server's media location and the S3 bucket policy
# in site/deploy/ leave them out (README, "Production").
PRIVATE_MEDIA_PREFIXES = ("original_images/",)


def is_private_media(path: str) -> bool:
    normalised = posixpath.normpath("/" + path).lstrip("/")
    return normalised.startswith(PRIVATE_MEDIA_PREFIXES)


def serve_public_media(request, path: str):
    """The local run's media server (DEBUG only): everything under MEDIA_ROOT except originals."""
    if is_private_media(path):
        raise Http404("Original images are not served.")
    return serve(request, path, document_root=settings.MEDIA_ROOT)
