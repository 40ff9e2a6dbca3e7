import re
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from wagtail.search import index

from community.vins import vin_normalise, vin_validate

FIRST_CAR_YEAR = 1900


def validate_vin(value: str) -> None:
    """The Car model's VIN rules; they live in community.vins (also used by the garage's decoder)."""
    vin_validate(value)


def validate_model_year(value: int) -> None:
    latest = timezone.localdate().year + 1
    if value > latest:
        raise ValidationError(
            "The model year can be %(latest)d at the latest.",
            params={"latest": latest},
            code="year_future",
        )


def normalise_plate(value: str) -> str:
    return re.sub(r"\s+", " ", value.strip().upper())


def plate_key(value: str) -> str:
    """The plate reduced to letters and digits, for matching ("ab12 cde" == "AB12CDE")."""
    return re.sub(r"[^A-Z0-9]", "", value.upper())


def car_photo_path(instance: "Car", filename: str) -> str:
    return f"garage/{uuid4().hex}/{filename}"


class CarModel(index.Indexed, models.Model):
    """A model the dealership knows about (managed by staff as a snippet); members pick from these."""

    make = models.CharField(max_length=60)
    name = models.CharField("model", max_length=80)
    first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Leave empty while the model is still on sale."
    )

    search_fields = [
        index.SearchField("make"),
        index.SearchField("name"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["make", "name"]
        verbose_name = "car model"
        constraints = [
            models.UniqueConstraint(fields=["make", "name"], name="carmodel_make_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.make} {self.name}"


class Car(models.Model):
    """A car in a member's garage."""

    owner = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="cars")
    car_model = models.ForeignKey(
        CarModel, on_delete=models.PROTECT, related_name="cars", verbose_name="model"
    )
    year = models.PositiveSmallIntegerField(
        "model year",
        validators=[
            MinValueValidator(FIRST_CAR_YEAR, "The model year must be %(limit_value)s or later."),
            MaxValueValidator(2100),
            validate_model_year,
        ],
    )
    trim = models.CharField(max_length=60, blank=True, help_text="e.g. Sport, Exclusive, JCW")
    colour = models.CharField(max_length=60, blank=True)
    nickname = models.CharField(
        max_length=60, blank=True, help_text="What you call it, if anything."
    )
    registration = models.CharField(
        "registration plate",
        max_length=16,
        blank=True,
        help_text="Only you and dealership staff see it.",
    )
    registration_key = models.CharField(max_length=16, blank=True, editable=False, db_index=True)
    vin = models.CharField(
        "VIN",
        max_length=17,
        blank=True,
        validators=[validate_vin],
        help_text="17 characters, on your registration document. Only you and dealership staff see it.",
    )
    bought_on = models.DateField("date bought", null=True, blank=True)
    bought_here = models.BooleanField("bought from us", default=False)
    photo = models.ImageField(upload_to=car_photo_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        label = f"{self.year} {self.car_model}"
        if self.trim:
            label += f" {self.trim}"
        return f"{label} “{self.nickname}”" if self.nickname else label

    def save(self, *args, **kwargs):
        self.registration = normalise_plate(self.registration)
        self.registration_key = plate_key(self.registration)
        self.vin = vin_normalise(self.vin)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.bought_on and self.bought_on > timezone.localdate():
            raise ValidationError({"bought_on": "The date bought cannot be in the future."})

    @property
    def make(self) -> str:
        return self.car_model.make
