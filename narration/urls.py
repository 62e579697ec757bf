from django.urls import path

from narration import feeds, views
from newsroom.freshness import cached_page

app_name = "narration"

urlpatterns = [
    path("rss/", cached_page(feeds.PodcastFeed()), name="rss"),
    path("<slug:slug>.mp3", views.audio, name="audio"),
    path("<slug:slug>/rss/", cached_page(feeds.SectionPodcastFeed()), name="section_rss"),
]
