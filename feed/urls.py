from django.urls import path

from feed import views

app_name = "feed"

urlpatterns = [
    path("", views.FeedView.as_view(), name="list"),
    path("<int:pk>/", views.FeedItemView.as_view(), name="item"),
]
