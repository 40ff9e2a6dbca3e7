"""An event's album: the photos members took there (approved ones), the form to add theirs (the
photo drop's link leads here) and the album's share image."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_http_methods

from community.models import Post
from events import selectors
from events.album_image import album_share_image
from events.forms import EventPhotosForm
from events.services.photos import AlbumError, event_photos_add
from events.views import _event


def _private(response):
    patch_vary_headers(response, ["Cookie"])
    patch_cache_control(response, private=True, no_store=True)
    return response


def album(request, event_id: int):
    event = _event(request, event_id)
    photos = selectors.event_album_photos(event=event, viewer=request.user)
    context = {
        "event": event,
        "photos": photos,
        "may_add": selectors.may_add_event_photos(event=event, member=request.user),
        "shareable": bool(photos) and not event.private_club_id,
        "share_url": reverse("events:album_share", kwargs={"event_id": event.pk}),
    }
    response = render(request, "events/album.html", context)
    return _private(response) if request.user.is_authenticated else response


@login_required
@require_http_methods(["GET", "POST"])
def album_add(request, event_id: int):
    event = _event(request, event_id)
    if not selectors.may_add_event_photos(event=event, member=request.user):
        context = {"event": event, "form": None, "not_started": event.start > timezone.now()}
        response = render(request, "events/album_add.html", context)
        response.status_code = 403
        return _private(response)
    form = EventPhotosForm(
        request.POST or None, request.FILES or None, event=event, member=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = event_photos_add(
                event=event,
                author=request.user,
                title=data["title"],
                photos=data["photo_pairs"],
                car_ids=[car.pk for car in data["cars"]],
            )
        except AlbumError as error:
            form.add_error(None, str(error))
        else:
            if post.status == Post.Status.PENDING:
                messages.info(
                    request,
                    "Thanks! A moderator will look at your photos shortly; then they are in the "
                    "album for everyone.",
                )
            else:
                messages.success(request, "Thanks! Your photos are in the album.")
            return redirect("events:album", event_id=event.pk)
    return _private(render(request, "events/album_add.html", {"event": event, "form": form}))


def album_share(request, event_id: int):
    """The album's Open Graph image (1200x630 JPEG), for public events whose album has photos."""
    event = _event(request, event_id)
    if event.private_club_id:
        raise Http404("No share image for a private club's event.")
    photos = selectors.event_album_share_photos(event=event)
    if not photos:
        raise Http404("This album has no photos yet.")
    response = HttpResponse(album_share_image(event=event, photos=photos), "image/jpeg")
    patch_cache_control(response, public=True, max_age=3600)
    response["X-Content-Type-Options"] = "nosniff"
    return response
