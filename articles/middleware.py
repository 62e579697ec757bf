from django.http import HttpResponsePermanentRedirect

from articles import redirects


class OldAddressMiddleware:
    """Answer a page that is not found with a 301 to where it moved, if it did (only then is
    the table of old addresses read)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        address = redirects.new_address(request.path)
        if address is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{address}?{query}" if query else address)
