from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView

from articles.sitemaps import SITEMAPS, news_sitemap
from articles.views import robots_txt

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static_url(settings.NEWSROOM["LOGO"]))),
    path("admin/", admin.site.urls),
    path("feed/", include("feed.urls")),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("news-sitemap.xml", news_sitemap, name="news_sitemap"),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
