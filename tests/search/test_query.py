from hypothesis import given
from hypothesis import strategies as st

from search.query import MAX_CLAUSES, Clause, expand, parse, spellings_from


def test_words_quotes_or_and_minus_read_as_readers_mean_them():
    query = parse('Kyiv "air defence" or drones -Lviv')

    assert query.clauses == (
        Clause((("kyiv",),)),
        Clause((("air", "defence"), ("drones",))),
        Clause((("lviv",),), negated=True),
    )


def test_spellings_are_added_to_either_side_of_a_group():
    spellings = spellings_from(
        [("Kiev", "Kyiv"), ("Zelenskiy", "Zelensky"), ("Zelenskyy", "Zelensky")]
    )

    assert expand(parse("zelenskyy"), spellings).clauses[0].phrases == (
        ("zelenskyy",),
        ("zelenskiy",),
        ("zelensky",),
    )
    assert expand(parse("KYIV"), spellings).clauses[0].phrases == (("kyiv",), ("kiev",))


def test_a_query_of_exclusions_alone_looks_for_nothing():
    assert not parse("-kyiv -lviv")
    assert not parse('" ( ) * : ^')


@given(st.text(max_size=3000))
def test_any_text_reads_as_words_of_letters_and_digits_only(text):
    query = parse(text)

    assert len(query.clauses) <= MAX_CLAUSES
    for clause in query.clauses:
        for phrase in clause.phrases:
            assert phrase
            assert all(word.isalnum() for word in phrase)
