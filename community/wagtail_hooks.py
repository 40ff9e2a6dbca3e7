"""Admin screens for the community app."""

from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from community.models import Car, CarModel


class CarModelViewSet(SnippetViewSet):
    model = CarModel
    icon = "tag"
    menu_label = "Car models"
    list_display = ["make", "name", "first_year", "last_year"]
    list_filter = ["make"]
    search_fields = ["make", "name"]
    ordering = ["make", "name"]


class CarFilterSet(WagtailFilterSet):
    class Meta:
        model = Car
        fields = ["car_model__make", "car_model", "bought_here"]


class CarViewSet(SnippetViewSet):
    model = Car
    icon = "list-ul"
    menu_label = "Members' cars"
    list_display = ["__str__", "owner", "registration", "bought_here", "created_at"]
    list_export = [
        "owner",
        "car_model",
        "year",
        "trim",
        "colour",
        "registration",
        "vin",
        "bought_on",
        "bought_here",
    ]
    filterset_class = CarFilterSet
    search_fields = ["registration", "vin", "nickname", "owner__display_name", "owner__email"]
    ordering = ["-created_at"]
    inspect_view_enabled = True


class GarageGroup(SnippetViewSetGroup):
    items = (CarModelViewSet, CarViewSet)
    menu_icon = "tag"
    menu_label = "Garage"
    menu_name = "garage"


register_snippet(GarageGroup)
