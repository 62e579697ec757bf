"""Previews of unpublished articles: for staff in the admin, and by a signed link for anyone.

A shareable link is signed with a salt that names the article, so it opens that article only,
and stops working after settings.PREVIEW_LINK_MAX_AGE seconds.
"""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from articles.models import Article
from articles.views import article_page_context

SIGNED_VALUE = "preview"


def signer_for(pk):
    return signing.TimestampSigner(salt=f"articles.preview:{pk}")


def share_token(article):
    """A token for article's shareable preview link (the signed value itself is left out)."""
    return signer_for(article.pk).sign(SIGNED_VALUE).split(":", 1)[1]


def share_url(article):
    return reverse(
        "articles:shared_preview", kwargs={"pk": article.pk, "token": share_token(article)}
    )


def render_preview(request, article, shared=False):
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
    response = render(request, "articles/article_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def may_open_articles(user):
    """Whether `user` may open articles in the admin at all (which ones: visible_to)."""
    return user.has_perm("articles.view_article") or user.has_perm("articles.change_article")


def max_age():
    return getattr(settings, "PREVIEW_LINK_MAX_AGE", 24 * 60 * 60)


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
    try:
        signer_for(pk).unsign(f"{SIGNED_VALUE}:{token}", max_age=max_age())
    except signing.SignatureExpired:
        return render(request, "articles/preview_link_invalid.html", {"expired": True}, status=410)
    except signing.BadSignature:
        return render(request, "articles/preview_link_invalid.html", {"expired": False}, status=403)
    article = get_object_or_404(Article.objects.for_detail(), pk=pk)
    return render_preview(request, article, shared=True)
