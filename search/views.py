from django_filters.views import FilterView

from articles.views import SitePageMixin
from search.engine import suggestions
from search.filters import SearchFilter
from search.models import Entry

PAGE_SIZE = 20


class SearchView(SitePageMixin, FilterView):
    """/search/?q=: what readers may see, best first, 20 a page, with the words found marked."""

    filterset_class = SearchFilter
    template_name = "search/results.html"
    context_object_name = "entries"
    paginate_by = PAGE_SIZE
    page_title = "Search"
    page_description = "Search the articles and the news feed."

    def get_queryset(self):
        return Entry.objects.published().for_listing()

    def get_filterset_kwargs(self, filterset_class):
        # Bound even without a question, so that the bare page lists nothing.
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}

    def paginate_queryset(self, queryset, page_size):
        """Pages of the results themselves, which count and slice the quickest way."""
        results = self.filterset.results
        return super().paginate_queryset(queryset if results is None else results, page_size)

    def get_page_title(self):
        text = self.request.GET.get("q", "").strip()
        return f"Search: {text[:60]}" if text else self.page_title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = self.filterset.results
        if results is not None:
            context["entries"] = results.mark(context["entries"])
        if not context["entries"]:
            context["suggestions"] = suggestions(results)
        context["asked"] = results is not None
        return context
