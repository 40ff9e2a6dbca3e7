"""factory_boy factories for Paddock's models (import inside tests, after Django is set up)."""

import factory
from allauth.account.models import EmailAddress

from community.models import Car, CarModel, Member


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.com")
    display_name = factory.Faker("name")
    town = "Kingsbridge"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Members are verified unless ``verified=False`` is passed."""
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.update_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class StaffFactory(MemberFactory):
    is_staff = True
    is_superuser = True
    email = factory.Sequence(lambda n: f"staff{n}@example.com")


class CarModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarModel
        django_get_or_create = ("make", "name")

    make = "MINI"
    name = factory.Iterator(["Cooper S", "Countryman", "Clubman", "Cooper SE", "John Cooper Works"])


class CarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Car

    owner = factory.SubFactory(MemberFactory)
    car_model = factory.SubFactory(CarModelFactory)
    year = 2021
    colour = "Chili Red"
    registration = factory.Sequence(lambda n: f"KB21 {n:03d}")
