"""Reads for the community app: what pages and views show."""

from django.db.models import QuerySet

from community.models import Car, Member


def public_garage_cars(*, limit: int = 6) -> QuerySet[Car]:
    """Recent cars with a photo whose owners show their garage to everyone."""
    return (
        Car.objects.filter(
            owner__is_active=True,
            owner__show_garage=True,
            owner__profile_visibility=Member.Visibility.PUBLIC,
        )
        .exclude(photo="")
        .select_related("owner", "car_model")
        .order_by("-created_at")[:limit]
    )


def home_sections(*, request, home) -> dict:
    """Everything the home page lists below its hero. Sections with nothing to show stay hidden."""
    return {
        "garage_cars": list(public_garage_cars()),
        "member_count": Member.objects.filter(is_active=True, is_staff=False).count(),
    }


def member_garage(*, member: Member) -> QuerySet[Car]:
    return member.cars.select_related("car_model").order_by("-year", "pk")


def member_export(*, member: Member) -> dict:
    """Everything Paddock holds about a member, as plain data for the download."""
    from allauth.account.models import EmailAddress

    return {
        "profile": {
            "email": member.email,
            "display_name": member.display_name,
            "town": member.town,
            "bio": member.bio,
            "avatar": member.avatar.url if member.avatar else None,
            "profile_visibility": member.profile_visibility,
            "show_garage": member.show_garage,
            "joined": member.date_joined.isoformat(),
            "last_login": member.last_login.isoformat() if member.last_login else None,
        },
        "email_preferences": {
            "invitations": member.email_invitations,
            "reminders": member.email_reminders,
            "community": member.email_community,
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=member).order_by("pk")
        ],
        "garage": [
            {
                "make": car.car_model.make,
                "model": car.car_model.name,
                "year": car.year,
                "trim": car.trim,
                "colour": car.colour,
                "nickname": car.nickname,
                "registration": car.registration,
                "vin": car.vin,
                "bought_on": car.bought_on.isoformat() if car.bought_on else None,
                "bought_here": car.bought_here,
                "photo": car.photo.url if car.photo else None,
            }
            for car in member_garage(member=member)
        ],
    }
