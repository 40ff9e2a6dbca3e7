from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def quoted(text: str) -> str:
    """Plain text quoted line by line ("> "), so what someone typed reads as their words in an
    email and can never pass for the email's own lines."""
    return "\n".join(f"> {line}" for line in str(text or "").splitlines()) or "> (none)"


@register.filter
def price(value) -> str:
    """£89 or £89.50; "Ask us" when there is no price."""
    if value is None:
        return "Ask us for a price"
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 2
    return f"£{number_format(value, decimal_pos=places, force_grouping=True)}"


@register.simple_tag
def car_label(car) -> str:
    """ "2021 Cooper S" (model year and model name: what "fits your ..." needs)."""
    return f"{car.year} {car.car_model.name}"
