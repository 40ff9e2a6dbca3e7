from django import forms
from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils.cache import patch_cache_control, patch_vary_headers
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from community import selectors
from community.blocks import BodyStreamBlock
from community.lazy import Lazy

from .pages import BasePage


class ClubIndexPage(BasePage):
    """Lists the owner clubs a visitor or member may see, and suggests clubs for their cars."""

    introduction = models.TextField(max_length=400, blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["community.HomePage"]
    subpage_types = ["community.ClubPage"]
    max_count_per_parent = 1  # one per showroom's home page
    template = "community/club_index_page.html"
    shared_body = True

    class Meta:
        verbose_name = "club index page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        viewer = request.user
        context["clubs"] = Lazy(lambda: selectors.clubs_visible_to(viewer=viewer, parent=self))
        if viewer.is_authenticated:
            context["suggested_clubs"] = Lazy(
                lambda: selectors.clubs_suggested_for(member=viewer, root=self.get_parent())
            )
        return context


class ClubPage(BasePage):
    """An owner club: for a model ("Countryman owners") or an interest ("Sunday drivers")."""

    class Access(models.TextChoices):
        OPEN = "open", "Open: anyone joins with one click"
        APPROVAL = "approval", "Approval: an organiser approves each request"
        PRIVATE = "private", "Private: invitation only, visible to members alone"

    description = StreamField(BodyStreamBlock(), blank=True, use_json_field=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    car_models = ParentalManyToManyField(
        "community.CarModel",
        blank=True,
        related_name="clubs",
        help_text="Owners of these models see the club suggested.",
    )
    access = models.CharField(max_length=10, choices=Access.choices, default=Access.OPEN)
    featured = models.BooleanField("show on the home page", default=False)

    content_panels = BasePage.content_panels + [
        FieldPanel("cover_image"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("access"),
                FieldPanel("car_models", widget=forms.CheckboxSelectMultiple),
                FieldPanel("featured"),
            ],
            heading="Membership",
        ),
    ]
    search_fields = BasePage.search_fields + [index.FilterField("access")]

    parent_page_types = ["community.ClubIndexPage"]
    subpage_types = []
    template = "community/club_page.html"
    shared_body = True
    shared_body_facts = ("pending_posts",)  # a member sees their own posts awaiting approval

    class Meta:
        verbose_name = "club"

    @property
    def is_private(self) -> bool:
        return self.access == self.Access.PRIVATE

    @property
    def private_club_id(self) -> int | None:
        return self.pk if self.is_private else None

    def get_sitemap_urls(self, request=None):
        return [] if self.is_private else super().get_sitemap_urls(request)

    def serve(self, request, *args, **kwargs):
        if not selectors.club_visible_to(club=self, viewer=request.user):
            raise Http404("No such club.")
        response = super().serve(request, *args, **kwargs)
        if self.is_private or request.user.is_authenticated:
            patch_vary_headers(response, ["Cookie"])
            patch_cache_control(response, private=True, no_store=True)
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            selectors.club_page_context(
                club=self, viewer=request.user, page_number=request.GET.get("page")
            )
        )
        return context


class Membership(models.Model):
    """A member's place in a club: requested, invited, active or declined; organisers run the club."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        INVITED = "invited", "Invited"
        ACTIVE = "active", "Member"
        DECLINED = "declined", "Declined"

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        ORGANISER = "organiser", "Organiser"

    club = models.ForeignKey(ClubPage, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["club", "member"], name="membership_club_member_unique")
        ]
        indexes = [models.Index(fields=["club", "status"])]

    def __str__(self) -> str:
        return f"{self.member} in {self.club}: {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_organiser(self) -> bool:
        return self.is_active and self.role == self.Role.ORGANISER
