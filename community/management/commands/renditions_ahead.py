"""``manage.py renditions_ahead``: make the image renditions the templates use (see
community/renditions.py), so first views of pages do not wait for image resizing."""

from django.core.management.base import BaseCommand

from community.renditions import renditions_create


class Command(BaseCommand):
    help = "Create the image renditions every page template asks for, ahead of the first visitor."

    def handle(self, *args, **options):
        covered = renditions_create()
        self.stdout.write(f"Renditions ready for {covered} images.")
