from django.urls import path

from narration import feeds, views

app_name = "narration"

urlpatterns = [
    path("rss/", feeds.PodcastFeed(), name="rss"),
    path("<slug:slug>.mp3", views.audio, name="audio"),
    path("<slug:slug>/rss/", feeds.SectionPodcastFeed(), name="section_rss"),
]
