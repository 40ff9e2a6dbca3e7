"""The route library's edit screen: a GPX upload read safely (events.gpx) and the stops inline."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList

from events.gpx import RouteError, gpx_read
from events.services.routes import route_save


class RouteForm(WagtailAdminModelForm):
    gpx_file = forms.FileField(
        label="GPX file",
        required=False,
        help_text="The route as your route planner exports it (.gpx). A new file replaces the "
        "route's track; the stops below stay. No file: the route runs stop to stop.",
        widget=forms.ClearableFileInput(attrs={"accept": ".gpx,application/gpx+xml"}),
    )

    def clean_gpx_file(self):
        upload = self.cleaned_data.get("gpx_file")
        if not upload:
            return None
        try:
            return gpx_read(upload)
        except RouteError as error:
            raise ValidationError(error.message, code=error.code) from None

    def clean(self):
        cleaned = super().clean()
        stops = self.formsets.get("stops")
        has_stops = bool(
            stops
            and stops.is_valid()
            and any(data and not data.get("DELETE") for data in stops.cleaned_data)
        )
        if "gpx_file" in cleaned and not (cleaned["gpx_file"] or self.instance.points or has_stops):
            self.add_error(
                "gpx_file",
                ValidationError(
                    "Upload the route's GPX file, or place its meeting point and stops below.",
                    code="no_route",
                ),
            )
        return cleaned

    def save(self, commit=True):
        route = super().save(commit=False)
        if commit:
            route_save(route=route, track=self.cleaned_data.get("gpx_file"))
        return route


route_edit_handler = ObjectList(
    [
        FieldRowPanel([FieldPanel("name"), FieldPanel("club")]),
        FieldPanel("description"),
        FieldPanel("gpx_file"),
        InlinePanel("stops", label="Stop", heading="Meeting point and stops"),
    ],
    base_form_class=RouteForm,
)
