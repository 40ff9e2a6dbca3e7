from decimal import Decimal

from django import template
from django.utils.formats import number_format

from community.templatetags.community_tags import quoted

register = template.Library()

# Quoting what someone typed is every mail's rule: its home is community_tags.
register.filter("quoted", quoted)


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
