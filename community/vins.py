"""What Paddock knows about a VIN: its rules (ISO 3779, and the check digit where the region uses
one) and what it tells about the car (manufacturer, country, model year), decoded with vininfo.

Every VIN rule lives here; the Car model's validator and the garage's decode endpoint both ask it.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from vininfo import Vin
from vininfo.exceptions import ValidationError as VininfoError

VIN_PATTERN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
CHECK_DIGIT_POSITION = 8  # the 9th character
CHECK_DIGIT_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
CHECK_DIGIT_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
# Where the first character of the VIN (the region of the maker) makes the check digit mandatory:
# North America (FMVSS 565) and China (GB 16735). European makers, MINI and BMW among them, often
# put something else in the 9th place, so it is never enforced for them.
CHECK_DIGIT_REGIONS = {"1", "2", "3", "4", "5", "L"}

CHECK_VALID = "valid"
CHECK_INVALID = "invalid"
CHECK_NOT_USED = "not_used"


@dataclass(frozen=True)
class VinFacts:
    """What a VIN says about the car; ``years`` lists the possible model years, likeliest first."""

    manufacturer: str
    make: str  # a guess; the garage matches it to the dealership's catalogue
    years: list[int]
    region: str
    country: str
    check_digit: str  # CHECK_VALID, CHECK_INVALID or CHECK_NOT_USED
    expected_check_digit: str

    @property
    def year(self) -> int | None:
        return self.years[0] if self.years else None


def vin_normalise(vin: str) -> str:
    """The VIN as stored: capitals, without spaces."""
    return re.sub(r"\s+", "", vin).upper()


def vin_check_digit(vin: str) -> str:
    """The check digit (0-9 or X) the first 17 characters call for (SAE J853 / ISO 3779 annex)."""
    total = sum(
        CHECK_DIGIT_VALUES[char] * weight
        for char, weight in zip(vin, CHECK_DIGIT_WEIGHTS, strict=True)
    )
    return "X" if total % 11 == 10 else str(total % 11)


def vin_uses_check_digit(vin: str) -> bool:
    if vin[0] not in CHECK_DIGIT_REGIONS:
        return False
    return getattr(Vin(vin).assembler, "uses_sae_checkdigit", True)


def _validate_form(vin: str) -> None:
    if len(vin) != 17:
        raise ValidationError(
            "A VIN has exactly 17 characters; this one has %(count)d.",
            code="vin_length",
            params={"count": len(vin)},
        )
    bad = sorted({c for c in vin if c in "IOQ"})
    if bad:
        raise ValidationError(
            "A VIN never contains the letters I, O or Q (they look like 1 and 0); found %(bad)s.",
            code="vin_letters",
            params={"bad": ", ".join(bad)},
        )
    if not VIN_PATTERN.match(vin):
        raise ValidationError(
            "A VIN contains only digits and capital letters.", code="vin_characters"
        )


def vin_validate(vin: str) -> None:
    """Raise a coded ValidationError when ``vin`` cannot be a VIN: vin_length, vin_letters,
    vin_characters, or vin_check_digit where the maker's region uses the check digit."""
    _validate_form(vin)
    if vin_uses_check_digit(vin):
        expected = vin_check_digit(vin)
        if vin[CHECK_DIGIT_POSITION] != expected:
            raise ValidationError(
                "The 9th character should be %(expected)s for this VIN: "
                "check for a mistyped character.",
                code="vin_check_digit",
                params={"expected": expected},
            )


def _model_years(vin: str, decoded: Vin, *, today: date) -> list[int]:
    years = [year for year in decoded.years if year <= today.year + 1]
    if vin[0] in CHECK_DIGIT_REGIONS:
        # North American and Chinese cars: a letter in the 7th place means 2010 or later.
        recent = vin[6].isalpha()
        years = [year for year in years if (year >= 2010) == recent] or years
    return years


def vin_decode(vin: str, *, today: date | None = None) -> VinFacts:
    """What ``vin`` tells about the car. Raises the coded ValidationError of the first broken rule
    of form (length, letters, characters); a wrong check digit is reported in the facts."""
    vin = vin_normalise(vin)
    _validate_form(vin)
    try:
        decoded = Vin(vin)
    except VininfoError as error:  # pragma: no cover - the checks above are stricter
        raise ValidationError(str(error), code="vin_characters") from error
    if vin_uses_check_digit(vin):
        expected = vin_check_digit(vin)
        check = CHECK_VALID if vin[CHECK_DIGIT_POSITION] == expected else CHECK_INVALID
    else:
        expected, check = "", CHECK_NOT_USED
    manufacturer = decoded.manufacturer or ""
    return VinFacts(
        manufacturer=manufacturer,
        make=manufacturer,
        years=_model_years(vin, decoded, today=today or timezone.localdate()),
        region=decoded.region or "",
        country=decoded.country or "",
        check_digit=check,
        expected_check_digit=expected,
    )
