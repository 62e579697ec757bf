from django.urls import path

from articles import feeds, preview, views
from newsroom.freshness import cached_page

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("news/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("sections/", views.SectionIndexView.as_view(), name="sections"),
    path("authors/", views.AuthorIndexView.as_view(), name="authors"),
    path("tags/", views.TagIndexView.as_view(), name="tags"),
    path("sections/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("sections/<slug:slug>/rss/", cached_page(feeds.SectionFeed()), name="section_rss"),
    path("sections/<slug:slug>/atom/", cached_page(feeds.SectionAtomFeed()), name="section_atom"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("authors/<slug:slug>/rss/", cached_page(feeds.AuthorFeed()), name="author_rss"),
    path("authors/<slug:slug>/atom/", cached_page(feeds.AuthorAtomFeed()), name="author_atom"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("archive/", views.ArchiveView.as_view(), name="archive"),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("rss/", cached_page(feeds.LatestArticlesFeed()), name="rss"),
    path("atom/", cached_page(feeds.LatestArticlesAtomFeed()), name="atom"),
]

urlpatterns += [
    path("preview/<int:pk>/", preview.staff_preview, name="preview"),
    path("preview/<int:pk>/<str:token>/", preview.shared_preview, name="shared_preview"),
]
