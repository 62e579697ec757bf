from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from articles.models import Article, Author, Section, Tag
from feed.models import FeedItem

PAGE_SIZE = 20


class HomeView(ListView):
    template_name = "articles/home.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()[:PAGE_SIZE]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["feed_items"] = FeedItem.objects.published().latest()[:5]
        return context


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().for_detail()


class FilteredArticleListView(ListView):
    """Published articles of one section, author or tag, 20 a page."""

    model = None
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE
    filter_field = None

    def get_queryset(self):
        self.subject = get_object_or_404(self.model, slug=self.kwargs["slug"])
        return Article.objects.published().for_listing().filter(**{self.filter_field: self.subject})

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)


class SectionView(FilteredArticleListView):
    model = Section
    filter_field = "section"


class AuthorView(FilteredArticleListView):
    model = Author
    filter_field = "authors"
    template_name = "articles/author_detail.html"


class TagView(FilteredArticleListView):
    model = Tag
    filter_field = "tags"
