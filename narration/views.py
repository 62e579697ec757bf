from django.http import Http404
from django.views.decorators.http import require_safe

from articles.models import Article
from narration.models import Narration
from newsroom import ranges
from newsroom.views import MEDIA_HEADERS


def may_hear(user, article):
    """Readers hear what they may read; editors also what they may preview."""
    if Article.objects.published().filter(pk=article.pk).exists():
        return True
    return user.is_staff and Article.objects.visible_to(user).filter(pk=article.pk).exists()


@require_safe
def audio(request, slug):
    """An article's narration, whole or in the part a Range asks for (206)."""
    narration = Narration.objects.ready().select_related("article").filter(article__slug=slug)
    narration = narration.first()
    if narration is None or not may_hear(request.user, narration.article):
        raise Http404("No narration of that article.")
    try:
        response = ranges.file_response(
            request, narration.path(), narration.content_type, etag=narration.digest
        )
    except FileNotFoundError as error:
        raise Http404("The narration's file is missing.") from error
    public = narration.article.is_public
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    for header, value in MEDIA_HEADERS.items():
        response.headers[header] = value
    return response
