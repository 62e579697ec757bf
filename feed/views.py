from django.views.generic import DetailView, ListView

from feed.models import FeedItem


class FeedView(ListView):
    context_object_name = "items"
    paginate_by = 30

    def get_queryset(self):
        return FeedItem.objects.published().for_listing()


class FeedItemView(DetailView):
    context_object_name = "item"

    def get_queryset(self):
        return FeedItem.objects.published().select_related("section", "article")
