from .leads import Lead
from .pages import (
    AccessoryFitment,
    AccessoryGalleryImage,
    AccessoryIndexPage,
    AccessoryOnDisplay,
    AccessoryPage,
    FeaturedAccessory,
    RelatedAccessory,
    ShowcaseItem,
    ShowcasePage,
)

__all__ = [
    "AccessoryFitment",
    "AccessoryGalleryImage",
    "AccessoryIndexPage",
    "AccessoryOnDisplay",
    "AccessoryPage",
    "FeaturedAccessory",
    "Lead",
    "RelatedAccessory",
    "ShowcaseItem",
    "ShowcasePage",
]
