"""What a VIN tells the garage (community/vins.py): decoding with vininfo, and the check digit
only where the VIN's region uses it."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from community.vins import (
    CHECK_INVALID,
    CHECK_NOT_USED,
    CHECK_VALID,
    vin_check_digit,
    vin_decode,
    vin_validate,
)

MINI_VIN = "WMWXU7C52K2F12345"  # a MINI built in Germany (WMW), model year code K
US_VIN = "1HGCM82633A004352"  # a Honda built in the United States, check digit 3
US_VIN_MISTYPED = "1HGCM82643A004352"  # the same with a 4 where the check digit 3 belongs
TODAY = date(2026, 12, 5)


def test_vin_decode_mini_vin_names_maker_country_and_model_year():
    facts = vin_decode(MINI_VIN, today=TODAY)
    assert (facts.make, facts.country, facts.region, facts.year) == (
        "Mini",
        "Germany",
        "Europe",
        2019,
    )


def test_vin_decode_mini_vin_does_not_use_the_check_digit():
    assert vin_decode(MINI_VIN, today=TODAY).check_digit == CHECK_NOT_USED


def test_vin_decode_us_vin_with_right_check_digit_is_valid():
    facts = vin_decode(US_VIN, today=TODAY)
    assert (facts.manufacturer, facts.country, facts.years, facts.check_digit) == (
        "Honda",
        "United States",
        [2003],
        CHECK_VALID,
    )


def test_vin_decode_us_vin_with_digit_in_7th_place_is_before_2010():
    assert vin_decode("1M8GDM9AXKP042788", today=TODAY).years == [1989]


def test_vin_decode_us_vin_with_wrong_check_digit_reports_it():
    facts = vin_decode(US_VIN_MISTYPED, today=TODAY)
    assert (facts.check_digit, facts.expected_check_digit) == (CHECK_INVALID, "3")


def test_vin_validate_us_vin_with_wrong_check_digit_names_the_right_one():
    with pytest.raises(ValidationError) as excinfo:
        vin_validate(US_VIN_MISTYPED)
    assert excinfo.value.code == "vin_check_digit"
    assert excinfo.value.messages == [
        "The 9th character should be 3 for this VIN: check for a mistyped character."
    ]


def test_vin_validate_european_vin_without_check_digit_is_accepted():
    assert (vin_check_digit(MINI_VIN), MINI_VIN[8]) == ("3", "2")  # not the SAE check digit
    assert vin_decode(MINI_VIN).check_digit == CHECK_NOT_USED
    assert vin_validate(MINI_VIN) is None  # and no error for it


def test_vin_decode_short_vin_raises_coded_error():
    with pytest.raises(ValidationError) as excinfo:
        vin_decode("WMWXU7C52K2F1234")
    assert excinfo.value.code == "vin_length"
