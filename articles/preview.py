"""Previews of unpublished articles: for staff in the admin, and by a signed link for anyone.

A shareable link is signed with a salt that names the article and its preview key, so it opens
that article only, stops working after settings.PREVIEW_LINK_MAX_AGE seconds, and stops at once
when an editor withdraws the article's links (`withdraw_links()` changes the key) or the
article is unpublished.
"""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from articles.models import Article, Status
from articles.views import article_page_context
from newsroom import audit
from newsroom.models import AuditEntry

SIGNED_VALUE = "preview"
# Why a shared link no longer opens its article, and the status the page about it is sent with.
REFUSALS = {"expired": 410, "withdrawn": 410, "unpublished": 410, "invalid": 403}


def signer_for(pk, key):
    # Key 0 signs as links did before there were keys, so those keep working until they expire.
    salt = f"articles.preview:{pk}" if key == 0 else f"articles.preview:{pk}:{key}"
    return signing.TimestampSigner(salt=salt)


def share_token(article):
    """A token for article's shareable preview link (the signed value itself is left out)."""
    signer = signer_for(article.pk, article.preview_key)
    return signer.sign(SIGNED_VALUE).split(":", 1)[1]


def share_url(article):
    return reverse(
        "articles:shared_preview", kwargs={"pk": article.pk, "token": share_token(article)}
    )


def withdraw_links(*, article, by):
    """Make every shared preview link of `article` sent so far stop opening, with an audit entry."""
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(preview_key=F("preview_key") + 1)
        article.refresh_from_db(fields=["preview_key"])
        audit.record(
            by,
            AuditEntry.Action.EDITED,
            article,
            "Withdrew its shared preview links: links sent before no longer open.",
        )
    return article


def refusal(article, token):
    """Why the shared link with `token` does not open `article` (a key of REFUSALS), or None."""
    signed = f"{SIGNED_VALUE}:{token}"
    try:
        signer_for(article.pk, article.preview_key).unsign(signed, max_age=max_age())
    except signing.SignatureExpired:
        return "expired"
    except signing.BadSignature:
        if any(
            _signed_by(signer_for(article.pk, key), signed) for key in range(article.preview_key)
        ):
            return "withdrawn"
        return "invalid"
    if article.status == Status.UNPUBLISHED:
        return "unpublished"
    return None


def _signed_by(signer, signed):
    try:
        signer.unsign(signed)
    except signing.BadSignature:
        return False
    return True


def render_preview(request, article, shared=False, status=200):
    """The article page as readers would get it, with a banner, kept out of search engines."""
    timed_now = article.published_at is None
    if timed_now:
        article.published_at = timezone.now()  # shown as if it went out now; never saved
    context = article_page_context(article)
    context["preview"] = {
        "shared": shared,
        "max_age_hours": max_age() // 3600,
        "timed_now": timed_now,
    }
    response = render(request, "articles/article_detail.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def may_open_articles(user):
    """Whether `user` may open articles in the admin at all (which ones: visible_to)."""
    return user.has_perm("articles.view_article") or user.has_perm("articles.change_article")


def max_age():
    return settings.PREVIEW_LINK_MAX_AGE


@never_cache
@staff_member_required
def staff_preview(request, pk):
    """The article as readers would see it, for anyone who may see it in the admin."""
    if not may_open_articles(request.user):
        raise Http404
    article = get_object_or_404(Article.objects.visible_to(request.user).for_detail(), pk=pk)
    return render_preview(request, article)


@never_cache
def shared_preview(request, pk, token):
    article = get_object_or_404(Article.objects.for_detail(), pk=pk)
    reason = refusal(article, token)
    if reason:
        return render(
            request,
            "articles/preview_link_invalid.html",
            {"reason": reason},
            status=REFUSALS[reason],
        )
    return render_preview(request, article, shared=True)
