from django.urls import path

from feed import feeds, views
from newsroom.freshness import cached_page

app_name = "feed"

urlpatterns = [
    path("", views.FeedView.as_view(), name="list"),
    path("updates.json", views.UpdatesView.as_view(), name="updates"),
    path("rss/", cached_page(feeds.LatestUpdatesFeed(), draws_feed=True), name="rss"),
    path("<int:pk>/", views.FeedItemView.as_view(), name="item"),
]
