"""Files answered in parts: HTTP Range requests (RFC 9110), so that players can seek.

One range per request (`bytes=0-99`, `bytes=100-`, `bytes=-500`) is answered 206 with that
part; a range past the end is answered 416; several ranges, or a Range that does not parse,
get the whole file, as the RFC allows.
"""

import os
import re

from django.http import FileResponse, HttpResponse
from django.utils.http import http_date, parse_http_date_safe, quote_etag

_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def wanted_range(header, size):
    """(start, end inclusive) of a single Range `header` for a file of `size` bytes; None for
    the whole file; "unsatisfiable" for a range that starts past the end."""
    match = _RANGE.fullmatch((header or "").strip())
    if not match or (not match[1] and not match[2]):
        return None
    if not match[1]:
        length = int(match[2])
        if length == 0:
            return "unsatisfiable"
        return max(0, size - length), size - 1
    start = int(match[1])
    if start >= size:
        return "unsatisfiable"
    end = int(match[2]) if match[2] else size - 1
    if end < start:
        return None
    return start, min(end, size - 1)


class _Part:
    """A file object that reads only `length` bytes from `start`."""

    def __init__(self, file, start, length):
        file.seek(start)
        self.file, self.left = file, length

    def read(self, size=-1):
        if self.left <= 0:
            return b""
        size = self.left if size < 0 else min(size, self.left)
        data = self.file.read(size)
        self.left -= len(data)
        return data

    def close(self):
        self.file.close()


def file_response(request, path, content_type, etag):
    """The file at `path`, whole (200) or in the part its Range asks for (206), or 416."""
    stat = os.stat(path)
    size = stat.st_size
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": quote_etag(etag),
        "Last-Modified": http_date(stat.st_mtime),
    }
    wanted = wanted_range(request.headers.get("Range"), size)
    if_range = request.headers.get("If-Range")
    if wanted is not None and if_range and not _still(if_range, headers, stat.st_mtime):
        wanted = None
    if wanted == "unsatisfiable":
        response = HttpResponse(status=416, headers={**headers, "Content-Range": f"bytes */{size}"})
        return response
    file = open(path, "rb")  # noqa: SIM115 - the response closes it
    if wanted is None:
        response = FileResponse(file, content_type=content_type, headers=headers)
        response["Content-Length"] = str(size)
        return response
    start, end = wanted
    length = end - start + 1
    response = FileResponse(
        _Part(file, start, length), status=206, content_type=content_type, headers=headers
    )
    response["Content-Length"] = str(length)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response


def _still(if_range, headers, mtime):
    """Whether If-Range names the file as it is (its ETag, or a date not before its change)."""
    if if_range.startswith(('"', "W/")):
        return if_range == headers["ETag"]
    date = parse_http_date_safe(if_range)
    return date is not None and date >= int(mtime)
