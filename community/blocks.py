"""StreamField blocks shared by every page body (``BodyStreamBlock``)."""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    size = blocks.ChoiceBlock(
        choices=[("h2", "Section heading"), ("h3", "Sub-heading")], default="h2"
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        preview_value = {"text": "Cars & Coffee is back", "size": "h2"}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=200)
    alt_text = blocks.CharBlock(
        required=False,
        max_length=200,
        help_text="Describe the picture for people who cannot see it.",
    )

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        preview_value = {
            "text": "Best Sunday drive I've had in years.",
            "attribution": "Priya, club member",
        }


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, help_text="Used when no page is chosen.")
    button_label = blocks.CharBlock(max_length=40, default="Find out more")

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"
        preview_value = {"heading": "Join the owners' club", "button_label": "Join"}


class OpeningHoursBlock(blocks.StructBlock):
    days = blocks.CharBlock(max_length=60, help_text="e.g. Monday to Friday")
    hours = blocks.CharBlock(max_length=60, help_text="e.g. 8:30 to 18:00, or Closed")

    class Meta:
        icon = "time"
        template = "blocks/opening_hours_block.html"


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3"],
        icon="pilcrow",
        template="blocks/paragraph_block.html",
    )
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
