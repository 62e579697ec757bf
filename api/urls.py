from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import views

app_name = "api"

urlpatterns = [
    path("articles/", views.ArticleList.as_view(), name="articles"),
    path("articles/<slug:slug>/", views.ArticleDetail.as_view(), name="article"),
    path("authors/", views.AuthorList.as_view(), name="authors"),
    path("sections/", views.SectionList.as_view(), name="sections"),
    path("tags/", views.TagList.as_view(), name="tags"),
    path("feed/", views.FeedList.as_view(), name="feed"),
    path("search/", views.SearchList.as_view(), name="search"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's scripts come from our static files; its styles are partly inline.
    path(
        "docs/",
        csp_replace({"style-src": [SELF, UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    # Any other address, line breaks and all.
    re_path(r"^[\s\S]*$", views.not_found),
]
