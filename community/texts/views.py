"""The member's page for texts, /account/texts/: add a mobile number, confirm it with the code
texted to it, consent to texts, and choose email, text or both for each kind of message."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from community.showrooms import dealership_name, site_for_request
from community.texts import selectors, services
from community.texts.channels import consent_wording
from community.texts.forms import MobileForm
from community.texts.phones import mobile_display

ACTIONS = {"send_code", "confirm", "save", "remove"}


def _act(request, form: MobileForm, action: str, wording: str, site) -> str | None:
    """Do what the member pressed; a success message, or None after adding the form's error."""
    member = request.user
    data = form.cleaned_data
    mobile = selectors.member_mobile(member=member)
    try:
        if action == "remove":
            services.mobile_forget(member=member)
            return "Your mobile number is removed: Paddock will not text you."
        if action == "save" and data["number"]:
            typed = services.mobile_number_parse(raw=data["number"], site=site)
            if mobile is None or typed != mobile.number:
                action = "send_code"  # a new number: it is verified first
        if action == "send_code":
            verification = services.mobile_code_send(
                member=member, raw_number=data["number"], site=site
            )
            note = f"We texted a code to {mobile_display(verification.number)}: type it below."
        elif action == "confirm":
            services.mobile_code_confirm(member=member, code=data["code"])
            note = "Your mobile number is confirmed."
        elif mobile is None:
            form.add_error("number", "Add your mobile number, then press “Text me a code”.")
            return None
        else:
            note = "Your text preferences are saved."
        services.mobile_preferences_save(
            member=member,
            consent=data["consent"],
            consent_wording=wording,
            channels=form.channels(),
        )
        return note
    except services.TextError as error:
        field = "code" if action == "confirm" else "number"
        form.add_error(field, str(error))
        return None


@login_required
@require_http_methods(["GET", "POST"])
def mobile_texts(request):
    site = site_for_request(request)
    wording = consent_wording(dealership_name=dealership_name(site))
    mobile = selectors.member_mobile(member=request.user)
    form = MobileForm(request.POST or None, mobile=mobile, consent_wording=wording)
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ACTIONS and form.is_valid():
            note = _act(request, form, action, wording, site)
            if note:
                messages.success(request, note)
                return redirect("community:mobile_texts")
        elif action not in ACTIONS:
            form.add_error(None, "Choose one of the buttons.")
        mobile = selectors.member_mobile(member=request.user)
    awaiting_code = bool(
        mobile
        and not mobile.verified_at
        and selectors.pending_verification(member=request.user, number=mobile.number)
    )
    return render(
        request,
        "community/mobile_texts.html",
        {
            "form": form,
            "mobile": mobile,
            "awaiting_code": awaiting_code,
            "code_minutes": settings.PADDOCK_TEXT_CODE_MINUTES,
        },
    )
