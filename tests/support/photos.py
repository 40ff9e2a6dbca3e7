"""Photos made in the tests: a HEIC as an iPhone writes it (EXIF with a GPS position), a JPEG."""

from io import BytesIO

from PIL import Image
from pillow_heif import register_heif_opener

register_heif_opener()  # Pillow writes and reads HEIF from here on

GPS = {1: "N", 2: (50.0, 17.0, 0.0), 3: "W", 4: (3.0, 46.0, 0.0)}


def phone_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = "iPhone 15"  # Model
    exif[0x8825] = GPS  # GPSInfo
    return exif.tobytes()


def heic_bytes(size=(640, 480), colour=(200, 30, 40)) -> bytes:
    """A small HEIC with the camera's make and a GPS position in its EXIF."""
    out = BytesIO()
    Image.new("RGB", size, colour).save(out, "HEIF", exif=phone_exif(), quality=80)
    return out.getvalue()


def jpeg_bytes(size=(640, 480), colour=(30, 90, 200)) -> bytes:
    """A small JPEG with the camera's make and a GPS position in its EXIF."""
    out = BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", exif=phone_exif(), quality=85)
    return out.getvalue()
