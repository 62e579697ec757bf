"""Which part of a file a Range header asks for, and the answer that sends it."""

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsroom.ranges import _Part, file_response, wanted_range


def test_ranges_are_read_as_the_http_standard_says():
    assert wanted_range("bytes=0-99", 1000) == (0, 99)
    assert wanted_range("bytes=900-", 1000) == (900, 999)
    assert wanted_range("bytes=-100", 1000) == (900, 999)
    assert wanted_range("bytes=-5000", 1000) == (0, 999)
    assert wanted_range("bytes=990-5000", 1000) == (990, 999)
    assert wanted_range("bytes=1000-", 1000) == "unsatisfiable"
    assert wanted_range("bytes=-0", 1000) == "unsatisfiable"
    for whole in (None, "", "bytes=5-2", "bytes=0-1,5-9", "items=0-9", "bytes=-", "bytes=a-b"):
        assert wanted_range(whole, 1000) is None


@given(st.integers(1, 10**9), st.integers(0, 10**9), st.integers(0, 10**9) | st.none())
def test_a_satisfiable_range_lies_inside_the_file(size, start, end):
    header = f"bytes={start}-{'' if end is None else end}"
    wanted = wanted_range(header, size)
    if start >= size:
        assert wanted == "unsatisfiable"
    elif end is not None and end < start:
        assert wanted is None
    else:
        first, last = wanted
        assert first == start and first <= last <= size - 1
        assert last == (size - 1 if end is None else min(end, size - 1))


DATA = bytes(range(256)) * 4  # 1,024 bytes, each place telling where it is


@pytest.fixture
def answer(tmp_path, rf):
    """The answer for a file of DATA to a GET with these headers."""
    path = tmp_path / "sound.mp3"
    path.write_bytes(DATA)

    def ask(**headers):
        request = rf.get("/sound.mp3", headers=headers)
        response = file_response(request, path, "audio/mpeg", "v1")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        # The file itself, not response.close(), which would tell Django the request finished.
        if getattr(response, "file_to_stream", None):
            response.file_to_stream.close()
        return response, body

    return ask


def test_a_part_of_a_file_reads_its_bytes_and_then_nothing():
    part = _Part(io.BytesIO(DATA), 10, 20)

    assert part.read(0) == b""
    assert part.read(5) == DATA[10:15]
    assert part.read() == DATA[15:30]
    assert part.read() == b""
    assert part.read(5) == b""
    last = _Part(io.BytesIO(DATA), 0, 6)
    assert last.read(5) == DATA[:5]
    assert last.read(5) == DATA[5:6]


def test_an_open_ended_range_gets_the_rest_of_the_file(answer):
    response, body = answer(Range="bytes=1000-")

    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 1000-1023/1024"
    assert body == DATA[1000:]


def test_a_range_whose_if_range_names_the_file_as_it_is_gets_its_part(answer):
    response, _ = answer()
    for current in (response["ETag"], response["Last-Modified"]):
        part, body = answer(Range="bytes=0-9", **{"If-Range": current})
        assert part.status_code == 206, current
        assert body == DATA[:10]


@pytest.mark.parametrize(
    "if_range", ['"v0"', 'W/"v1"', "Mon, 01 Jan 2001 00:00:00 GMT", "last tuesday"]
)
def test_a_range_whose_if_range_names_another_version_gets_the_whole_file(answer, if_range):
    response, body = answer(Range="bytes=0-9", **{"If-Range": if_range})

    assert response.status_code == 200
    assert body == DATA
    assert response["Content-Length"] == "1024"


def test_if_range_without_a_range_gets_the_whole_file(answer):
    response, body = answer(**{"If-Range": '"v1"'})

    assert response.status_code == 200
    assert body == DATA
