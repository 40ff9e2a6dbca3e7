from django.db import models
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from community import page_parts, selectors
from community.blocks import BodyStreamBlock
from community.showrooms import restricted_paths


class BasePage(Page):
    """Fields every Paddock page shares: a listing/social summary and image."""

    summary = models.TextField(
        blank=True, max_length=300, help_text="Shown in listings and link previews on social media."
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    promote_panels = Page.promote_panels + [
        MultiFieldPanel(
            [FieldPanel("summary"), FieldPanel("social_image")], heading="Listing and sharing"
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]

    class Meta:
        abstract = True

    @property
    def private_club_id(self) -> int | None:
        """The private club whose members alone see this page, if any: the images it shows are
        then kept private to them (community/private_images.py)."""
        return None

    # Members get one body per audience with their own parts filled in (community/page_parts.py):
    # a page type says so once its template keeps every member's own data in {% personal %} parts.
    shared_body = False
    shared_body_facts: tuple[str, ...] = ()  # more its shared parts depend on (AUDIENCE_FACTS)

    def get_view_restrictions(self):
        """Wagtail checks the view restrictions of a page and its ancestors (and of the pages
        they alias) on every request, in two queries; while no page anywhere has one (the
        private sections are read once per cache generation), there are none to find."""
        if not restricted_paths():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def serve(self, request, *args, **kwargs):
        """Members get the shared body of their audience with their own parts filled in
        (community/page_parts.py); visitors, previews and a member's just-changed pages the
        page rendered whole."""
        if self.shared_body:
            response = page_parts.shared_body_response(
                request=request,
                template_name=self.get_template(request, *args, **kwargs),
                context=lambda: self.get_context(request, *args, **kwargs),
                facts=self.shared_body_facts,
            )
            if response is not None:
                return response
        return super().serve(request, *args, **kwargs)


class HomePage(BasePage):
    """The dealership's community home: hero, then sections filled by each app."""

    hero_heading = models.CharField(
        max_length=120, default="Your car. Your people. Your dealership."
    )
    hero_text = models.TextField(max_length=400, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_cta_label = models.CharField("button label", max_length=40, default="Join the community")
    shared_body = True
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="button links to",
        help_text="Leave empty to send visitors to sign-up.",
    )
    body = StreamField(BodyStreamBlock(), blank=True, use_json_field=True)

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_cta_label"),
                FieldPanel("hero_cta_page"),
            ],
            heading="Hero",
        ),
        FieldPanel("body"),
        InlinePanel(
            "featured_accessories", label="Accessory", heading="Featured accessories", max_num=6
        ),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("hero_text"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]  # one per showroom (Wagtail Site), under the root
    template = "community/home_page.html"

    class Meta:
        verbose_name = "home page"

    def route(self, request, path_components):
        """The page at a path by its own row alone, one query (Wagtail walks the tree one level
        at a time, two queries a level): which page a path names and its type are read once per
        cache generation (publishing, moving or deleting a page starts a new one) and kept in
        each process (``shared(..., memo=True)``). A path that names no page goes Wagtail's way
        (and ends in its 404)."""
        if path_components:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            found = selectors.page_at_path(url_path=url_path)
            if found is not None:
                return found.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.home_sections(request=request, home=self))
        return context


class StandardPage(BasePage):
    """A plain page for About us, Privacy, House rules and the like."""

    introduction = models.TextField(max_length=400, blank=True)
    body = StreamField(BodyStreamBlock(), blank=True, use_json_field=True)

    content_panels = BasePage.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["community.HomePage", "community.StandardPage"]
    subpage_types = ["community.StandardPage"]
    template = "community/standard_page.html"
