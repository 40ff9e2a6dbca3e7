"""Accessory pages: the index, one page per accessory, and curated showcases.

An accessory fits car models over a range of model years (``AccessoryFitment``); staff place
accessories on an event (``AccessoryOnDisplay``) and on the home page (``FeaturedAccessory``),
both as inline panels on those pages.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from accessories import selectors
from community.blocks import BodyStreamBlock
from community.lazy import lazy_context
from community.models import BasePage
from community.models.garage import FIRST_CAR_YEAR


def _views():
    """accessories.views, where an accessory page's lead form is built and handled. It imports
    the form and services, which import these models, so Django's app loading must have finished
    them first: the one import here written inside a function."""
    from accessories import views

    return views


class AccessoryIndexPage(BasePage):
    """Every accessory, with a "fits my car" filter for members and the showcases on top."""

    introduction = models.TextField(max_length=400, blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["community.HomePage"]
    subpage_types = ["accessories.AccessoryPage", "accessories.ShowcasePage"]
    max_count = 1
    template = "accessories/accessory_index_page.html"
    shared_body = True
    shared_body_facts = ("cars",)  # what fits the member's cars: the filter and the headings

    class Meta:
        verbose_name = "accessory index page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            lazy_context(
                lambda: selectors.accessory_listing(index=self, request=request),
                selectors.ACCESSORY_LISTING_KEYS,
            )
        )
        return context

    def serve(self, request, *args, **kwargs):
        from django.utils.cache import patch_cache_control, patch_vary_headers

        response = super().serve(request, *args, **kwargs)
        if request.user.is_authenticated:  # a visitor's listing is the same for all (page cache)
            patch_vary_headers(response, ["Cookie"])
            patch_cache_control(response, private=True)
        return response


class AccessoryPage(BasePage):
    """One accessory: what it is, what it costs, whether it is in stock, and which cars it fits."""

    class StockStatus(models.TextChoices):
        IN_STOCK = "in_stock", "In stock"
        LOW = "low", "Only a few left"
        TO_ORDER = "to_order", "Available to order"
        OUT = "out", "Out of stock"

    part_number = models.CharField(
        max_length=40, db_index=True, help_text="The manufacturer's part number."
    )
    price = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="In pounds, VAT included. Leave empty to show “Ask us for a price”.",
    )
    stock_status = models.CharField(
        max_length=10, choices=StockStatus.choices, default=StockStatus.IN_STOCK
    )
    description = StreamField(BodyStreamBlock(), blank=True, use_json_field=True)

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("part_number"), FieldPanel("price"), FieldPanel("stock_status")]),
        InlinePanel(
            "fitments",
            label="Fits",
            heading="Fits these cars",
            help_text="Leave the years empty for every model year.",
        ),
        InlinePanel("gallery_images", label="Photo", heading="Gallery", max_num=12),
        FieldPanel("description"),
        InlinePanel("related_links", label="Related accessory", heading="Related accessories"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("part_number"),
        index.AutocompleteField("part_number"),
        index.SearchField("description"),
        index.FilterField("stock_status"),
    ]
    parent_page_types = ["accessories.AccessoryIndexPage"]
    subpage_types = []
    template = "accessories/accessory_page.html"
    shared_body = True
    shared_body_facts = ("cars",)  # "Fits your Cooper S" and the fitments marked as theirs

    class Meta:
        verbose_name = "accessory"

    def __str__(self) -> str:
        return self.title

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(_views().accessory_page_context(accessory=self, request=request))
        return context

    def serve(self, request, *args, **kwargs):
        from django.utils.cache import patch_cache_control, patch_vary_headers

        if request.method == "POST":
            return _views().lead_form_response(request, accessory=self)
        response = super().serve(request, *args, **kwargs)
        if request.user.is_authenticated:  # a visitor's page has no token: the same for all
            patch_vary_headers(response, ["Cookie"])
            patch_cache_control(response, private=True, no_store=True)
        return response

    @property
    def price_on_request(self) -> bool:
        return self.price is None

    @property
    def can_reserve(self) -> bool:
        return self.stock_status != self.StockStatus.OUT

    def main_image(self):
        """The first gallery image (uses the prefetched gallery when there is one)."""
        images = list(self.gallery_images.all())
        return images[0].image if images else None


class AccessoryFitment(Orderable):
    """The accessory fits this car model from ``year_from`` to ``year_to`` (either may be open)."""

    page = ParentalKey(AccessoryPage, on_delete=models.CASCADE, related_name="fitments")
    car_model = models.ForeignKey(
        "community.CarModel", on_delete=models.CASCADE, related_name="accessory_fitments"
    )
    year_from = models.PositiveSmallIntegerField(
        "from model year",
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_CAR_YEAR), MaxValueValidator(2100)],
    )
    year_to = models.PositiveSmallIntegerField(
        "to model year",
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_CAR_YEAR), MaxValueValidator(2100)],
    )

    panels = [
        FieldRowPanel([FieldPanel("car_model"), FieldPanel("year_from"), FieldPanel("year_to")])
    ]

    class Meta(Orderable.Meta):
        verbose_name = "fitment"
        indexes = [models.Index(fields=["car_model", "year_from", "year_to"])]

    def __str__(self) -> str:
        return f"{self.car_model} {self.years_label}".strip()

    def clean(self):
        super().clean()
        if self.year_from and self.year_to and self.year_to < self.year_from:
            raise ValidationError({"year_to": "The last model year must not be before the first."})

    @property
    def years_label(self) -> str:
        if self.year_from and self.year_to:
            return (
                str(self.year_from)
                if self.year_from == self.year_to
                else f"{self.year_from}–{self.year_to}"
            )
        if self.year_from:
            return f"{self.year_from} on"
        if self.year_to:
            return f"up to {self.year_to}"
        return "all years"

    # "Fits this car": the same model, and the car's model year inside the fitment's range (an
    # empty end is open). The rule's one home, in Python (``fits``) and in SQL (``fitting_q``).

    def fits(self, car) -> bool:
        return (
            car.car_model_id == self.car_model_id
            and (self.year_from is None or self.year_from <= car.year)
            and (self.year_to is None or car.year <= self.year_to)
        )

    @staticmethod
    def fitting_q(cars) -> models.Q | None:
        """A Q on AccessoryFitment matching any of ``cars``; None when there are no cars."""
        condition = None
        for car in cars:
            one = (
                models.Q(car_model_id=car.car_model_id)
                & (models.Q(year_from__isnull=True) | models.Q(year_from__lte=car.year))
                & (models.Q(year_to__isnull=True) | models.Q(year_to__gte=car.year))
            )
            condition = one if condition is None else condition | one
        return condition


class AccessoryGalleryImage(Orderable):
    page = ParentalKey(AccessoryPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(max_length=200, blank=True)
    alt_text = models.CharField(
        max_length=200, blank=True, help_text="Describe the picture for people who cannot see it."
    )

    panels = [FieldPanel("image"), FieldRowPanel([FieldPanel("caption"), FieldPanel("alt_text")])]

    @property
    def alt(self) -> str:
        return self.alt_text or self.caption or self.image.title


class RelatedAccessory(Orderable):
    page = ParentalKey(AccessoryPage, on_delete=models.CASCADE, related_name="related_links")
    accessory = models.ForeignKey(
        AccessoryPage, on_delete=models.CASCADE, related_name="+", verbose_name="accessory"
    )

    panels = [FieldPanel("accessory")]

    class Meta(Orderable.Meta):
        verbose_name = "related accessory"


class ShowcasePage(BasePage):
    """A curated collection of accessories: “Winter kit”, “Track day essentials”..."""

    introduction = models.TextField(max_length=400, blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(BodyStreamBlock(), blank=True, use_json_field=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("cover_image"),
        InlinePanel("items", label="Accessory", heading="Accessories in this showcase", min_num=1),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    parent_page_types = ["accessories.AccessoryIndexPage"]
    subpage_types = []
    template = "accessories/showcase_page.html"

    class Meta:
        verbose_name = "showcase"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.showcase_context(showcase=self, request=request))
        return context


class ShowcaseItem(Orderable):
    page = ParentalKey(ShowcasePage, on_delete=models.CASCADE, related_name="items")
    accessory = models.ForeignKey(AccessoryPage, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(
        max_length=200, blank=True, help_text="Why it is in this showcase (optional)."
    )

    panels = [FieldPanel("accessory"), FieldPanel("note")]


class AccessoryOnDisplay(Orderable):
    """An accessory staff bring to an event ("on display at Cars & Coffee")."""

    event = ParentalKey(
        "events.EventPage", on_delete=models.CASCADE, related_name="accessories_on_display"
    )
    accessory = models.ForeignKey(
        AccessoryPage, on_delete=models.CASCADE, related_name="on_display"
    )
    note = models.CharField(max_length=200, blank=True, help_text="e.g. Try it on the demo car.")

    panels = [FieldPanel("accessory"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = "accessory on display"
        verbose_name_plural = "accessories on display"


class FeaturedAccessory(Orderable):
    """An accessory staff feature on the home page."""

    home = ParentalKey(
        "community.HomePage", on_delete=models.CASCADE, related_name="featured_accessories"
    )
    accessory = models.ForeignKey(AccessoryPage, on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("accessory")]

    class Meta(Orderable.Meta):
        verbose_name = "featured accessory"
        verbose_name_plural = "featured accessories"
