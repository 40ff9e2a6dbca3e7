from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """allauth's account emails carry the dealership's name in their context."""

    def send_mail(self, template_prefix, email, context):
        request = context.get("request") or getattr(self, "request", None)
        if request is not None and "dealership" not in context:
            from community.models import DealershipSettings

            context["dealership"] = DealershipSettings.for_request(request)
        return super().send_mail(template_prefix, email, context)
