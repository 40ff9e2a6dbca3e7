"""Member photo uploads: checked by decoding, size- and pixel-limited, re-encoded without metadata.

Every photo a member uploads (avatar, car photo, album) goes through :func:`read_photo` and
:func:`clean_photo`. The file is refused with a message that says why when it is too big, is not a
picture in an accepted format, is truncated, or has too many pixels. An accepted photo is turned
upright (EXIF orientation) and re-encoded, which drops EXIF (GPS position included) and any bytes
hidden after the image data. HEIC, the iPhone camera's own format, is read through pillow-heif and
converted to JPEG the same way.
"""

from io import BytesIO
from pathlib import Path
from uuid import uuid4

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps
from pillow_heif import register_heif_opener

# Pillow opens HEIC/HEIF files from here on (the format it reports is "HEIF").
register_heif_opener()

ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF", "HEIF": "HEIC"}
ACCEPTED_NAMES = "JPEG, PNG, WebP, GIF or HEIC"
# The file picker's filter; iPhones name HEIC files .HEIC and some browsers give them no type.
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif,.heic,.heif"
MAX_EDGE = 2400


class PhotoError(forms.ValidationError):
    pass


def _size(num_bytes: int) -> str:
    return filesizeformat(num_bytes).replace("\xa0", " ")


def _limits() -> tuple[int, int]:
    return settings.PADDOCK_MAX_PHOTO_BYTES, settings.PADDOCK_MAX_PHOTO_PIXELS


def read_photo(uploaded) -> Image.Image:
    """Decode an uploaded file as a photo, or raise PhotoError saying what is wrong with it."""
    max_bytes, max_pixels = _limits()
    if uploaded.size == 0:
        raise PhotoError(f"This file is empty. Choose a photo ({ACCEPTED_NAMES}).", code="empty")
    if uploaded.size > max_bytes:
        raise PhotoError(
            f"This photo is {_size(uploaded.size)}; the limit is "
            f"{_size(max_bytes)}. Please choose a smaller photo.",
            code="too_big",
        )
    uploaded.seek(0)
    try:
        with Image.open(uploaded) as probe:
            kind = probe.format
            width, height = probe.size
    except Image.DecompressionBombError:
        raise PhotoError(
            "This photo has too many pixels to process.", code="too_many_pixels"
        ) from None
    except Exception:
        raise PhotoError(
            f"This file is not a photo we can read. Choose a {ACCEPTED_NAMES} image.",
            code="not_an_image",
        ) from None
    if kind not in ACCEPTED_FORMATS:
        raise PhotoError(
            f"{kind or 'This'} files are not accepted. Choose a {ACCEPTED_NAMES} image.",
            code="format",
        )
    if width * height > max_pixels:
        raise PhotoError(
            f"This photo is {width}×{height} pixels; the limit is {max_pixels // 1_000_000} megapixels.",
            code="too_many_pixels",
        )
    uploaded.seek(0)
    try:
        image = Image.open(uploaded)
        image.load()  # decodes every byte: a truncated file fails here
    except Exception:
        raise PhotoError(
            "This photo is damaged or incomplete. Please upload it again.", code="corrupt"
        ) from None
    return image


def clean_photo(image: Image.Image, *, name: str = "photo") -> SimpleUploadedFile:
    """Upright, size-capped, metadata-free re-encoding of a decoded photo."""
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_EDGE, MAX_EDGE))
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    if has_alpha:
        image = image.convert("RGBA")
        fmt, ext, content_type = "PNG", "png", "image/png"
    else:
        image = image.convert("RGB")
        fmt, ext, content_type = "JPEG", "jpg", "image/jpeg"
    out = BytesIO()
    image.save(out, fmt, quality=85, optimize=True)
    stem = Path(name).stem[:40] or "photo"
    return SimpleUploadedFile(f"{stem}-{uuid4().hex[:8]}.{ext}", out.getvalue(), content_type)


def clean_photo_uploads(files) -> list[SimpleUploadedFile]:
    """Each uploaded file read and re-encoded (``read_photo``, ``clean_photo``), or one
    ValidationError naming every file that was refused and why."""
    cleaned, errors = [], []
    for upload in files:
        try:
            cleaned.append(clean_photo(read_photo(upload), name=upload.name))
        except forms.ValidationError as error:
            errors.append(f"{upload.name}: {' '.join(error.messages)}")
    if errors:
        raise forms.ValidationError(errors)
    return cleaned


class PhotoInput(forms.ClearableFileInput):
    """A photo picker that shows the current photo as a thumbnail (never its storage path), a
    "Remove this photo" tick box when the photo may be emptied, and a file button."""

    template_name = "forms/widgets/photo_input.html"
    clear_checkbox_label = "Remove this photo"

    def __init__(self, attrs=None):
        super().__init__({"accept": ACCEPT_ATTRIBUTE, **(attrs or {})})


class PhotoField(forms.FileField):
    """A form field for a member's photo; its cleaned value is the re-encoded file."""

    widget = PhotoInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_empty_file", True)  # read_photo explains an empty file itself
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        uploaded = super().to_python(data)
        if uploaded is None:
            return None
        image = read_photo(uploaded)
        return clean_photo(image, name=uploaded.name)


THUMB_EDGE = 640


def make_thumbnail(uploaded) -> SimpleUploadedFile:
    """A small JPEG (or PNG with transparency) of an already cleaned photo, for feeds and grids."""
    uploaded.seek(0)
    with Image.open(uploaded) as image:
        image.load()
        image.thumbnail((THUMB_EDGE, THUMB_EDGE))
        fmt = "PNG" if image.mode == "RGBA" else "JPEG"
        out = BytesIO()
        image.save(out, fmt, quality=80, optimize=True)
    uploaded.seek(0)
    ext = "png" if fmt == "PNG" else "jpg"
    return SimpleUploadedFile(f"thumb.{ext}", out.getvalue(), f"image/{ext.replace('jpg', 'jpeg')}")
