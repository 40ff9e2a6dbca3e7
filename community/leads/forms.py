"""Members' sales lead forms: what their car is worth, and their next car. What a form cannot
check itself (the kinds' rules) the service says, and ``add_lead_error`` puts it on the field."""

from django import forms

from community.leads.selectors import models_on_sale
from community.leads.services import MAX_MILEAGE, SalesLeadError
from community.models import SalesLead


def add_lead_error(form: forms.Form, error: SalesLeadError, *, fields: dict | None = None) -> None:
    """Show a SalesLeadError on the form field it is about (``fields`` renames the service's
    field to the form's), else above the form."""
    field = (fields or {}).get(error.field, error.field)
    form.add_error(field if field in form.fields else None, str(error))


class TradeInForm(forms.Form):
    mileage = forms.IntegerField(
        label="Mileage",
        help_text="Miles on the clock",
        min_value=0,
        max_value=MAX_MILEAGE,
        error_messages={"required": "Give the mileage, in miles."},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    condition = forms.ChoiceField(
        label="Condition",
        choices=SalesLead.Condition.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the car's condition."},
    )
    message = forms.CharField(
        label="Anything we should know?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class NextCarForm(forms.Form):
    car_models = forms.ModelMultipleChoiceField(
        label="Models you are interested in",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    timeframe = forms.ChoiceField(
        label="When might you change?",
        choices=SalesLead.Timeframe.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when you might change."},
    )
    message = forms.CharField(
        label="Anything else?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["car_models"].queryset = models_on_sale().order_by("make", "name")
