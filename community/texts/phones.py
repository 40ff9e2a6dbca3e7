"""Mobile numbers as members type them, parsed and kept in E.164 (+447911123456).

A number without a + and country code is read as the showroom's country's (DealershipSettings
``country``, GB by default), so "07911 123456" typed on a British showroom is +447911123456.
"""

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from community.showrooms import dealership

DEFAULT_COUNTRY = "GB"


class PhoneNumberError(ValueError):
    """A number that cannot be texted; ``code`` says why, the message says it to the member."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def showroom_country(site) -> str:
    """The showroom's two-letter country code, read for numbers typed without a country code."""
    settings_ = dealership(site)
    return ((settings_.country if settings_ else "") or DEFAULT_COUNTRY).upper()


def mobile_parse(raw: str, *, country: str = DEFAULT_COUNTRY) -> str:
    """``raw`` as an E.164 mobile number, or PhoneNumberError (code ``unparseable``, ``invalid``
    or ``not_mobile``)."""
    try:
        number = phonenumbers.parse((raw or "").strip(), country.upper())
    except phonenumbers.NumberParseException as error:
        raise PhoneNumberError(
            "That does not look like a phone number. Type it as you would dial it, e.g. "
            "07911 123456, or with its country code, e.g. +44 7911 123456.",
            code="unparseable",
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise PhoneNumberError(
            "That number is not complete or not in use: check the digits and the country code.",
            code="invalid",
        )
    kind = phonenumbers.number_type(number)
    if kind not in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise PhoneNumberError(
            "That is not a mobile number: texts need a mobile.", code="not_mobile"
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def mobile_display(e164: str) -> str:
    """An E.164 number written for people, in international form: +44 7911 123456."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
