"""Where uploaded files live in production: the filesystem (shared storage) or an S3-compatible store.

``MEDIA_STORAGE=s3`` keeps media (Wagtail images and their renditions, documents, avatars and car
photos) in ``AWS_STORAGE_BUCKET_NAME`` and the photos members post in ``PADDOCK_PHOTO_BUCKET`` (by
default the same bucket under ``private/photos/``). Neither storage signs URLs: the public media
prefixes are made readable by the bucket's policy (site/deploy/s3-public-read-policy.json), and
everything else, Wagtail's original images and members' post photos above all, stays private.
Paddock reads post photos through the storage API and serves them from its own permission-checking
view, so they need no public URL at all.
"""

from storages.backends.s3 import S3Storage


class MediaStorage(S3Storage):
    """Public media in the bucket: plain (unsigned) URLs, never overwriting a file."""

    querystring_auth = False
    file_overwrite = False


class PrivatePhotoStorage(S3Storage):
    """Members' post photos: a private bucket or prefix, read only through Paddock's own view."""

    file_overwrite = False

    def url(self, name, *args, **kwargs):
        raise NotImplementedError(
            "Post photos have no public URL; link to PostPhoto.get_absolute_url()."
        )
