from .garage import Car, CarModel
from .members import Member
from .pages import BasePage, HomePage, StandardPage
from .site_settings import DealershipSettings

__all__ = [
    "BasePage",
    "Car",
    "CarModel",
    "DealershipSettings",
    "HomePage",
    "Member",
    "StandardPage",
]
