from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView

from feed.views import FeedView

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static_url(settings.NEWSROOM["LOGO"]))),
    path("admin/", admin.site.urls),
    path("feed/", include("feed.urls")),
    path("sections/<slug:slug>/feed/", FeedView.as_view(), name="feed_section"),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
