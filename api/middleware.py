"""CORS for the Content API: any site may read it from a browser, with GET and HEAD only."""

from django.http import HttpResponse

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
PREFIX = "/api/"


class ReadableFromAnywhere:
    """`Access-Control-Allow-Origin: *` on the API's answers; preflights answered here.

    No credentials are ever allowed: the API shows only what anyone may read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = "Accept, If-None-Match"
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = self.get_response(request)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
        return response
