from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from feed.views import FeedView
from newsroom.freshness import cached_page
from newsroom.health import healthz
from newsroom.sitemaps import NEWS_SITEMAPS, SITEMAPS
from newsroom.sitemaps import index as sitemap_index
from newsroom.views import favicon, robots_txt, serve_media

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("feed/", include("feed.urls")),
    path("audio/", include("narration.urls")),
    path("search/", include("search.urls")),
    path("api/", include("api.urls")),
    path("robots.txt", cached_page(robots_txt), name="robots"),
    path(
        "sitemap.xml",
        cached_page(sitemap_index),
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cached_page(sitemap, draws_feed=True),  # the pages' part dates /feed/ by its items
        {"sitemaps": SITEMAPS, "template_name": "newsroom/sitemap.xml"},
        name="sitemap_page",
    ),
    path(
        "news-sitemap.xml",
        cached_page(sitemap),
        {"sitemaps": NEWS_SITEMAPS, "template_name": "newsroom/news_sitemap.xml"},
        name="news_sitemap",
    ),
    path("sections/<slug:slug>/feed/", FeedView.as_view(), name="feed_section"),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", serve_media, name="media"),
    ]
