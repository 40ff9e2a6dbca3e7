from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Site

from community.blocks import OpeningHoursBlock
from community.colours import contrast_ratio
from paddock.page_cache import shared

hex_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", "Give a colour as # and six hex digits, e.g. #0b5d4b."
)


@register_setting(icon="site")
class DealershipSettings(BaseSiteSetting):
    """Who the dealership is: shown in the header, footer, home page and emails."""

    name = models.CharField(max_length=100, default="Paddock Motors")
    tagline = models.CharField(max_length=160, blank=True)
    address = models.TextField(blank=True, help_text="One line per address line.")
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    parts_email = models.EmailField(
        "parts email",
        blank=True,
        help_text="Questions and reservations about accessories go here. Empty: the email above.",
    )
    from_email = models.EmailField(
        "sender address",
        blank=True,
        help_text="Mail about this showroom's events and clubs comes from this address (with the "
        "dealership's name). Leave empty to use the install's default sender.",
    )
    crm_lead_email = models.EmailField(
        "CRM lead address",
        blank=True,
        help_text="The CRM's lead address: each lead is sent "
        "there once as an ADF/XML document. Blank means leads stay in Paddock only.",
    )
    map_url = models.URLField("map link", blank=True)
    country = models.CharField(
        max_length=2,
        default="GB",
        help_text="Two-letter country code (ISO 3166), e.g. GB: mobile numbers members type "
        "without a + and country code are read as this country's.",
    )
    opening_hours = StreamField(
        blocks.StreamBlock([("hours", OpeningHoursBlock())]), blank=True, use_json_field=True
    )
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    brand_colour = models.CharField(max_length=7, default="#0b5d4b", validators=[hex_colour])
    accent_colour = models.CharField(max_length=7, default="#f2b134", validators=[hex_colour])

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("tagline"), FieldPanel("logo")], heading="Dealership"
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("parts_email"),
                FieldPanel("from_email"),
                FieldPanel("crm_lead_email"),
                FieldPanel("map_url"),
                FieldPanel("country"),
            ],
            heading="Contact",
        ),
        FieldPanel("opening_hours"),
        MultiFieldPanel(
            [FieldPanel("brand_colour"), FieldPanel("accent_colour")], heading="Brand colours"
        ),
    ]

    class Meta:
        verbose_name = "dealership"

    @classmethod
    def for_request(cls, request):
        """The request's showroom settings, logo included, from the shared cache (cleared when
        settings, Sites or images are saved); see paddock.page_cache.shared."""
        attr_name = cls.get_cache_attr_name()
        if not hasattr(request, attr_name):
            site = Site.find_for_request(request)
            if site is None:
                return super().for_request(request)

            def build():
                found = cls.for_site(site)
                found.logo  # noqa: B018 (loaded now, kept with the settings)
                return found

            found = shared(f"dealership:{site.pk}", build)
            found._request = request
            setattr(request, attr_name, found)
        return getattr(request, attr_name)

    def clean(self):
        super().clean()
        if (
            hex_colour.regex.match(self.brand_colour or "")
            and contrast_ratio(self.brand_colour, "#ffffff") < 4.5
        ):
            raise ValidationError(
                {
                    "brand_colour": "Links and buttons use this colour on white: choose a darker shade (contrast 4.5:1 or more)."
                }
            )

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]
