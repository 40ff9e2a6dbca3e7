"""The site's small rules of English (community/text.py) and their template filter."""

from django.template import Context, Template

from community.text import possessive


def test_possessive_of_a_plural_name_takes_only_an_apostrophe():
    assert possessive("Cooper S Owners") == "Cooper S Owners'"


def test_possessive_of_other_names_takes_apostrophe_s():
    assert possessive("Harbourside MINI") == "Harbourside MINI's"


def test_possessive_filter_in_templates():
    template = Template("{% load community_tags %}{{ title|possessive }} events")
    assert template.render(Context({"title": "Cooper S Owners"})) == "Cooper S Owners&#x27; events"
