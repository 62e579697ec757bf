from django.urls import path

from articles import preview, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("news/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("sections/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag"),
]

urlpatterns += [
    path("preview/<int:pk>/", preview.staff_preview, name="preview"),
    path("preview/<int:pk>/<str:token>/", preview.shared_preview, name="shared_preview"),
]
