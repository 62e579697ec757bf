"""Which part of a file a Range header asks for."""

from hypothesis import given
from hypothesis import strategies as st

from newsroom.ranges import wanted_range


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
