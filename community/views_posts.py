"""Member posts, comments, reactions, reports and photos; club membership actions."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST

from community import private_images, selectors, services
from community.forms import (
    CommentForm,
    InviteForm,
    ModerationForm,
    PostEditForm,
    PostForm,
    ReportForm,
)
from community.lazy import Lazy, lazy_context
from community.models import ClubPage, Comment, Membership, Post, PostPhoto
from community.page_parts import MEMBER_MARKS, shared_body_response
from community.showrooms import posts_of_showroom_q, site_root
from community.text import possessive


def _private(response):
    patch_vary_headers(response, ["Cookie"])
    patch_cache_control(response, private=True, no_store=True)
    return response


def community_feed(request):
    def page():
        return selectors.feed_page(
            posts=selectors.visible_posts(viewer=request.user).filter(
                posts_of_showroom_q(site_root(request))
            ),
            viewer=request.user,
            page_number=request.GET.get("page"),
        )

    context = lazy_context(page, ("feed_page", "posts"))
    shared = shared_body_response(
        request=request,
        template_name="community/feed.html",
        context=lambda: context,
        facts=("pending_posts",),  # a member sees their own posts awaiting approval
    )
    if shared is not None:
        return shared
    response = render(request, "community/feed.html", context)
    return _private(response) if request.user.is_authenticated else response


def _visible_post(request, pk: int) -> Post:
    post = get_object_or_404(Post.objects.select_related("author", "club"), pk=pk)
    if not selectors.post_visible_to(post=post, viewer=request.user):
        raise Http404("No such post.")
    return post


def post_detail(request, pk: int):
    post = _visible_post(request, pk)
    viewer = request.user
    can_moderate = selectors.can_moderate_post(post=post, member=viewer)

    def decorated():
        [shown] = selectors.decorate_posts(
            posts=list(selectors.with_feed_relations(Post.objects.filter(pk=post.pk))),
            viewer=viewer,
        )
        return shown

    context = {
        "post": Lazy(decorated),
        "post_pk": post.pk,  # what the member's own parts need, without the decorated post
        "post_author_id": post.author_id,
        MEMBER_MARKS: Lazy(lambda: selectors.reaction_marks(post=post, member=viewer)),
        "comments": Lazy(lambda: selectors.post_comments(post=post, viewer=viewer)),
        "comment_form": CommentForm(),
        "can_moderate": can_moderate,
        "moderation_form": ModerationForm(),
    }
    # The same for every member who neither wrote it nor moderates it (their reactions, their
    # comment form and what they may report are their own parts).
    if not can_moderate and post.author_id != viewer.pk:
        shared = shared_body_response(
            request=request, template_name="community/post_detail.html", context=lambda: context
        )
        if shared is not None:
            return shared
    response = render(request, "community/post_detail.html", context)
    if post.club_id and post.club.is_private or request.user.is_authenticated:
        _private(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request):
    initial = {}
    if club_id := request.GET.get("club"):
        initial["club"] = club_id
    form = PostForm(
        request.POST or None, request.FILES or None, member=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.post_create(
                author=request.user,
                club=data["club"],
                kind=data["kind"],
                title=data["title"],
                body=data.get("body", ""),
                photos=data["photo_pairs"],
            )
        except services.CommunityError as error:
            form.add_error(None, str(error))
        else:
            if post.status == Post.Status.PENDING:
                messages.info(
                    request,
                    "Thanks! A moderator will look at your post shortly; then everyone can see it.",
                )
            else:
                messages.success(request, "Your post is live.")
            return redirect(post)
    return render(request, "community/post_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk: int):
    post = get_object_or_404(Post, pk=pk, author=request.user)
    form = PostEditForm(request.POST or None, initial={"title": post.title, "body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(
                post=post,
                by=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except services.CommunityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your post is updated.")
            return redirect(post)
    return render(request, "community/post_edit.html", {"form": form, "post": post})


@login_required
@require_http_methods(["GET", "POST"])
def post_delete(request, pk: int):
    post = get_object_or_404(Post, pk=pk, author=request.user)
    if request.method == "POST":
        services.post_delete(post=post, by=request.user)
        messages.success(request, "Your post is deleted.")
        return redirect("community:feed")
    return render(request, "community/post_confirm_delete.html", {"post": post})


@login_required
@require_POST
def comment_create(request, pk: int):
    post = _visible_post(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_create(post=post, author=request.user, body=form.cleaned_data["body"])
        except services.CommunityError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Your comment is posted.")
    else:
        messages.error(request, "Your comment was empty or too long (2,000 characters at most).")
    return redirect(f"{post.get_absolute_url()}#comments")


@login_required
@require_POST
def reaction_toggle(request, pk: int):
    post = _visible_post(request, pk)
    try:
        services.reaction_toggle(post=post, member=request.user, kind=request.POST.get("kind", ""))
    except services.CommunityError as error:
        messages.error(request, str(error))
    return redirect(request.POST.get("next") if _safe_next(request) else post.get_absolute_url())


def _safe_next(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    return url_has_allowed_host_and_scheme(
        request.POST.get("next"), allowed_hosts={request.get_host()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk: int, target: str):
    if target == "comment":
        comment = get_object_or_404(Comment.objects.select_related("post"), pk=pk)
        post = _visible_post(request, comment.post_id)
    else:
        comment, post = None, _visible_post(request, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_create(
            reporter=request.user,
            reason=form.cleaned_data["reason"],
            details=form.cleaned_data["details"],
            post=None if comment else post,
            comment=comment,
        )
        messages.success(request, "Thank you. A moderator will look at it.")
        return redirect(post)
    return _private(
        render(
            request, "community/report_form.html", {"form": form, "post": post, "comment": comment}
        )
    )


@login_required
@require_POST
def moderate(request, pk: int, target: str):
    form = ModerationForm(request.POST)
    if target == "comment":
        obj = get_object_or_404(Comment.objects.select_related("post__club"), pk=pk)
        post = obj.post
    else:
        obj = post = get_object_or_404(Post.objects.select_related("club"), pk=pk)
    if not selectors.can_moderate_post(post=post, member=request.user):
        if not selectors.post_visible_to(post=post, viewer=request.user):
            raise Http404("No such post.")
        raise PermissionDenied("Only staff or the club's organisers can moderate this.")
    if not form.is_valid():
        messages.error(request, "Choose approve, hide or remove.")
    else:
        try:
            if target == "comment":
                services.comment_moderate(comment=obj, by=request.user, **form.cleaned_data)
            else:
                services.post_moderate(post=obj, by=request.user, **form.cleaned_data)
        except services.CommunityError as error:
            if error.code == "not_moderator":
                raise PermissionDenied(str(error)) from None
            messages.error(request, str(error))
        else:
            messages.success(request, "Done. The author has been told.")
    if post.club_id and request.POST.get("back") == "club":
        return redirect("community:club_manage", club_id=post.club_id)
    return redirect(post)


def photo(request, pk: int, variant: str):
    """A post photo, after checking the viewer may see the post (private club photos stay private)."""
    if variant not in ("full", "thumb"):
        raise Http404("No such photo size.")
    photo = get_object_or_404(PostPhoto.objects.select_related("post__club"), pk=pk)
    if not selectors.post_visible_to(post=photo.post, viewer=request.user):
        raise Http404("No such photo.")
    field = photo.thumbnail if variant == "thumb" else photo.image
    response = FileResponse(field.open("rb"), content_type=_content_type(field.name))
    public = photo.post.status == Post.Status.PUBLISHED and not (
        photo.post.club_id and photo.post.club.is_private
    )
    if public:
        patch_cache_control(response, public=True, max_age=3600)
    else:
        _private(response)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def club_image(request, name: str):
    """A rendition of an image only private clubs show, after checking the viewer may see their
    content (community/private_images.py); 404 to anyone else, as for a file that does not exist."""
    from wagtail.images import get_image_model

    if not private_images.is_private_name(name):
        raise Http404("No such image.")
    renditions = get_image_model().get_rendition_model().objects.select_related("image")
    rendition = get_object_or_404(renditions, file=f"images/{name}")
    if not selectors.image_visible_to(image=rendition.image, viewer=request.user):
        raise Http404("No such image.")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = _private(FileResponse(rendition.file.open("rb"), content_type=content_type))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _content_type(name: str) -> str:
    return "image/png" if name.lower().endswith(".png") else "image/jpeg"


# --- Club membership ------------------------------------------------------------------------------


def _club(request, club_id: int) -> ClubPage:
    club = get_object_or_404(ClubPage.objects.live(), pk=club_id)
    if not selectors.club_visible_to(club=club, viewer=request.user):
        raise Http404("No such club.")
    return club


@login_required
@require_POST
def club_join(request, club_id: int):
    club = _club(request, club_id)
    try:
        membership = services.club_join(club=club, member=request.user)
    except services.CommunityError as error:
        messages.error(request, str(error))
    else:
        if membership.status == Membership.Status.PENDING:
            messages.info(
                request,
                f"Your request to join {club.title} is with its organisers. We will email you.",
            )
        else:
            messages.success(request, f"Welcome to {club.title}!")
    return redirect(club.get_url(request))


@login_required
@require_POST
def club_leave(request, club_id: int):
    club = _club(request, club_id)
    services.club_leave(club=club, member=request.user)
    messages.success(request, f"You have left {club.title}.")
    return redirect(club.get_url(request) if not club.is_private else "/")


@login_required
@require_http_methods(["GET", "POST"])
def club_invitation(request, club_id: int):
    club = _club(request, club_id)
    membership = get_object_or_404(
        Membership, club=club, member=request.user, status=Membership.Status.INVITED
    )
    if request.method == "POST":
        services.club_invitation_accept(membership=membership, member=request.user)
        messages.success(request, f"Welcome to {club.title}!")
        return redirect(club.get_url(request))
    return _private(render(request, "community/club_invitation.html", {"club": club}))


@login_required
@require_http_methods(["GET", "POST"])
def club_manage(request, club_id: int):
    club = _club(request, club_id)
    if not selectors.can_manage_club(club=club, member=request.user):
        raise PermissionDenied("Only the club's organisers and staff manage it.")
    invite_form = InviteForm(request.POST or None)
    if request.method == "POST" and invite_form.is_valid():
        member = invite_form.cleaned_data["member"]
        try:
            services.club_invite(club=club, by=request.user, member=member)
        except services.CommunityError as error:
            invite_form.add_error("email", str(error))
        else:
            messages.success(request, f"{member.display_name} is invited.")
            return redirect("community:club_manage", club_id=club.pk)
    context = {
        "club": club,
        "pending": club.memberships.filter(status=Membership.Status.PENDING).select_related(
            "member"
        ),
        "invited": club.memberships.filter(status=Membership.Status.INVITED).select_related(
            "member"
        ),
        "invite_form": invite_form,
        "moderation_form": ModerationForm(),
        **selectors.moderation_queue(club=club),
    }
    return _private(render(request, "community/club_manage.html", context))


@login_required
@require_POST
def membership_decide(request, club_id: int, membership_id: int):
    club = _club(request, club_id)
    membership = get_object_or_404(
        Membership.objects.select_related("member", "club"), pk=membership_id, club=club
    )
    try:
        services.membership_decide(
            membership=membership,
            by=request.user,
            approve=request.POST.get("decision") == "approve",
        )
    except services.CommunityError as error:
        if error.code == "not_organiser":
            raise PermissionDenied(str(error)) from None
        messages.error(request, str(error))
    else:
        verb = "approved" if membership.status == Membership.Status.ACTIVE else "declined"
        messages.success(
            request,
            f"{possessive(membership.member.display_name)} request is {verb}; they have been emailed.",
        )
    return redirect("community:club_manage", club_id=club.pk)
