"""Site-wide request handling that belongs to no one app."""

from django.http import HttpResponse, HttpResponseNotAllowed

READER_METHODS = ("GET", "HEAD", "OPTIONS")
# Views that take forms: the admin (with sign-in) and the staff's article preview; and the
# Content API, which answers other methods itself, in JSON.
WRITABLE_NAMESPACES = {"admin", "api"}
WRITABLE_VIEWS = {"articles:preview", "articles:shared_preview"}


class ReadOnlyPublicSite:
    """Readers' pages answer GET, HEAD and OPTIONS; any other method is 405 with Allow.

    Decided after URL resolution, so an unknown address is still 404.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if WRITABLE_NAMESPACES.intersection(match.namespaces) or match.view_name in WRITABLE_VIEWS:
            return None
        if request.method == "OPTIONS":
            response = HttpResponse()
            response["Allow"] = ", ".join(READER_METHODS)
            return response
        if request.method not in READER_METHODS:
            return HttpResponseNotAllowed(READER_METHODS)
        return None
