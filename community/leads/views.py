"""Members' sales lead pages: "What is my car worth?" from the garage, and "I'm thinking about my
next car" from the account pages and after an event. The rules are ``services.sales_lead_create``'s;
its errors go on the form field they are about, and what was typed stays in the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from community.leads.forms import NextCarForm, TradeInForm, add_lead_error
from community.leads.services import SalesLeadError, sales_lead_create
from community.models import Car, SalesLead
from community.showrooms import site_for_request


@login_required
@require_http_methods(["GET", "POST"])
def car_worth(request, pk: int):
    """Ask for a valuation of one of the member's own cars (anyone else's: 404)."""
    car = get_object_or_404(Car.objects.select_related("car_model"), pk=pk, owner=request.user)
    form = TradeInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sales_lead_create(
                kind=SalesLead.Kind.TRADE_IN,
                member=request.user,
                site=site_for_request(request),
                car=car,
                mileage=form.cleaned_data["mileage"],
                condition=form.cleaned_data["condition"],
                message=form.cleaned_data["message"],
            )
        except SalesLeadError as error:
            add_lead_error(form, error)
        else:
            messages.success(
                request, f"Thank you: we'll be in touch about what your {car} is worth."
            )
            return redirect("community:garage")
    return render(request, "community/leads/car_worth.html", {"form": form, "car": car})


def _from_page(value: str) -> Page | None:
    """The live page the member came from (an event), or None for anything else."""
    if not value or not value.isdigit():
        return None
    return Page.objects.live().filter(pk=int(value)).specific().first()


@login_required
@require_http_methods(["GET", "POST"])
def next_car(request):
    """Tell the sales team which models the member is thinking about, and when."""
    page = _from_page(request.POST.get("from") or request.GET.get("from", ""))
    form = NextCarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sales_lead_create(
                kind=SalesLead.Kind.NEXT_CAR,
                member=request.user,
                site=site_for_request(request),
                car_models=form.cleaned_data["car_models"],
                timeframe=form.cleaned_data["timeframe"],
                message=form.cleaned_data["message"],
                page=page,
            )
        except SalesLeadError as error:
            add_lead_error(form, error)
        else:
            messages.success(
                request, "Thank you: the sales team will be in touch about your next car."
            )
            return redirect(page.get_url(request) if page else "community:garage")
    return render(request, "community/leads/next_car.html", {"form": form, "from_page": page})
