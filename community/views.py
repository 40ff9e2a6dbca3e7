import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from community import selectors, services
from community.forms import CarForm, DeleteAccountForm, ProfileForm
from community.lazy import Lazy
from community.mail import UNSUBSCRIBE_SALT
from community.models import Car, DealershipSettings, Member
from community.page_parts import shared_body_response
from community.preferences import PREFERENCES
from community.showrooms import posts_of_showroom_q, site_root
from community.vins import vin_decode, vin_normalise, vin_validate


@login_required
def garage(request):
    return render(
        request,
        "community/garage.html",
        {
            "cars": selectors.member_garage(member=request.user),
            "suggested_clubs": selectors.clubs_suggested_for(
                member=request.user, root=site_root(request)
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def car_add(request):
    form = CarForm(request.POST or None, request.FILES or None, instance=Car(owner=request.user))
    if request.method == "POST" and form.is_valid():
        car = services.car_save(car=form.save(commit=False))
        messages.success(request, f"{car} is in your garage.")
        return redirect("community:garage")
    return render(request, "community/car_form.html", {"form": form, "adding": True})


@login_required
@never_cache
@require_http_methods(["POST"])
def car_vin_decode(request):
    """What a VIN tells about the car, for the garage form's offer to fill in make and year.
    Only for signed-in members. The VIN comes in the body, never in the address, so that it
    stays out of access logs: the full VIN goes to the member and to staff only."""
    vin = vin_normalise(request.POST.get("vin", ""))
    try:
        facts = vin_decode(vin)
    except ValidationError as error:
        return JsonResponse({"error": error.messages[0], "code": error.code}, status=400)
    models = list(selectors.car_models_of_make(make=facts.make))
    try:
        vin_validate(vin)
        problem = ""
    except ValidationError as error:  # a mistyped character, caught by the check digit
        problem = error.messages[0]
    return JsonResponse(
        {
            "make": models[0].make if models else facts.make,
            "manufacturer": facts.manufacturer,
            "years": facts.years,
            "country": facts.country,
            "region": facts.region,
            "check_digit": facts.check_digit,
            "expected_check_digit": facts.expected_check_digit,
            "car_models": [model.pk for model in models],
            "problem": problem,
        }
    )


def _own_car(request, pk: int) -> Car:
    return get_object_or_404(Car.objects.select_related("car_model"), pk=pk, owner=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def car_edit(request, pk: int):
    car = _own_car(request, pk)
    form = CarForm(request.POST or None, request.FILES or None, instance=car)
    if request.method == "POST" and form.is_valid():
        car = services.car_save(car=form.save(commit=False))
        messages.success(request, f"Saved the changes to {car}.")
        return redirect("community:garage")
    return render(request, "community/car_form.html", {"form": form, "car": car, "adding": False})


@login_required
@require_http_methods(["GET", "POST"])
def car_delete(request, pk: int):
    car = _own_car(request, pk)
    if request.method == "POST":
        label = str(car)
        services.car_delete(car=car, member=request.user)
        messages.success(request, f"{label} was removed from your garage.")
        return redirect("community:garage")
    return render(request, "community/car_confirm_delete.html", {"car": car})


def profile(request, handle: str):
    member = get_object_or_404(Member, handle=handle, is_active=True)
    if not member.profile_visible_to(request.user):
        raise Http404("No such member.")
    is_me = request.user.is_authenticated and request.user.pk == member.pk
    show_garage = member.garage_visible_to(request.user)
    context = {
        "member": member,
        "is_me": is_me,
        "show_garage": show_garage,
        "cars": Lazy(lambda: list(selectors.member_garage(member=member)) if show_garage else []),
        "show_private_car_details": request.user.is_authenticated
        and (is_me or request.user.is_staff),
        "posts": Lazy(
            lambda: selectors.decorate_posts(
                posts=list(
                    selectors.with_feed_relations(
                        selectors.visible_posts(viewer=request.user)
                        .filter(author=member)
                        .filter(posts_of_showroom_q(site_root(request)))
                    ).order_by("-created_at")[:6]
                ),
                viewer=request.user,
            )
        ),
    }
    # Another member's profile is the same for their whole audience; one's own is rendered whole.
    shared = (
        None
        if is_me
        else shared_body_response(
            request=request, template_name="community/profile.html", context=lambda: context
        )
    )
    return shared or render(request, "community/profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    member = request.user
    old_avatar = member.avatar.name
    form = ProfileForm(request.POST or None, request.FILES or None, instance=member)
    if request.method == "POST" and form.is_valid():
        services.member_profile_save(member=form.save(commit=False), old_avatar=old_avatar)
        messages.success(request, "Your profile is saved.")
        return redirect("community:profile_edit")
    if request.method == "POST":
        member.refresh_from_db()  # the header keeps showing what is saved
    return render(request, "community/profile_edit.html", {"form": form})


@login_required
def data_export(request):
    data = selectors.member_export(member=request.user)
    data["exported_at"] = timezone.now().isoformat()
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="paddock-my-data-{stamp}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    member = request.user
    form = DeleteAccountForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_delete(member=member, contributions=form.cleaned_data["contributions"])
        except services.CommunityError as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            messages.success(
                request, "Your account and everything in it has been deleted. Goodbye!"
            )
            return redirect("/")
    return render(request, "community/account_delete.html", {"form": form})


def theme_css(request):
    """The dealership's brand colours as CSS custom properties (kept out of inline styles for CSP)."""
    dealership = DealershipSettings.for_request(request)
    response = render(
        request,
        "community/theme.css",
        {"dealership": dealership},
        content_type="text/css; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


def favicon(request):
    """The showroom's mark (its initials on its brand colour) as the browser tab's icon."""
    dealership = DealershipSettings.for_request(request)
    response = render(
        request,
        "community/favicon.svg",
        {"dealership": dealership},
        content_type="image/svg+xml",
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


@csrf_exempt  # mail providers POST here without a session (RFC 8058 one-click unsubscribe)
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    """A GET shows what the link does (scanners open links); a POST unsubscribes, no login needed."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        field, label = PREFERENCES[data["c"]]
        member = Member.objects.get(pk=data["m"], is_active=True)
    except (signing.BadSignature, KeyError, TypeError, Member.DoesNotExist):
        return render(request, "community/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        setattr(member, field, False)
        member.save(update_fields=[field])
        done = True
    response = render(
        request, "community/unsubscribe.html", {"member": member, "label": label, "done": done}
    )
    response["Cache-Control"] = "private, no-store"
    return response
