"""The shapes lab: numpy's own verdicts on any two shapes, bounded for hostile ones; the notes' naive loops."""
import itertools
import tracemalloc

import numpy as np
import pytest

from fcviz.lessons import shapes
from fcviz.lessons.shapes import ShapeError, outcome, parse_shape


@pytest.mark.parametrize("text, shape", [("(2, 3)", (2, 3)), ("2,3,4", (2, 3, 4)), ("2x3", (2, 3)), ("[4]", (4,)),
                                         ("(10,)", (10,)), (" ( 64 , 3 , 32 , 10 ) ", (64, 3, 32, 10))])
def test_shapes_are_read_as_people_write_them(text, shape):
    assert parse_shape(text) == shape


@pytest.mark.parametrize("text", ["", "abc", "(0, 3)", "(-2, 3)", "(2.5, 3)", "1,2,3,4,5,6,7", "9" * 500,
                                  "(2, 3); import os", "(10001,)", "()"])
def test_anything_else_is_refused_with_a_message(text):
    with pytest.raises(ShapeError) as e:
        parse_shape(text)
    assert str(e.value)


def test_the_notes_examples():
    assert outcome("dot", (2, 3), (3, 5)).shape == (2, 5)
    assert outcome("dot", (2, 3, 4), (5, 4, 6)).shape == (2, 3, 5, 6)
    assert outcome("+", (64, 3, 32, 10), (32, 10)).shape == (64, 3, 32, 10)
    assert [a.role for a in outcome("+", (64, 3, 32, 10), (32, 10)).axes] == ["stretched", "stretched", "same", "same"]
    assert [a.role for a in outcome("dot", (2, 3, 4), (5, 4, 6)).axes] == ["kept-a", "kept-a", "summed", "kept-b",
                                                                           "kept-b"]
    refused = outcome("+", (2, 3), (4,))
    assert refused.shape is None and "could not be broadcast" in refused.error
    assert [a.role for a in refused.axes] == ["stretched", "mismatch"]


SMALL = [(3,), (1,), (2, 3), (3, 1), (1, 3), (3, 2), (2, 1, 3), (4, 3), (2, 3, 2), (3, 3)]


@pytest.mark.parametrize("op", shapes.OPERATIONS)
def test_every_verdict_and_result_is_numpys_own(op):
    apply = {"+": np.add, "*": np.multiply, "dot": np.dot}[op]
    for a, b in itertools.product(SMALL, SMALL):
        got = outcome(op, a, b)
        x, y = np.arange(int(np.prod(a))).reshape(a), np.arange(1, int(np.prod(b)) + 1).reshape(b)
        try:
            expected = apply(x, y)
        except ValueError as e:
            assert got.shape is None and got.error == str(e), (a, b)
            assert any(axis.role == "mismatch" for axis in got.axes)
        else:
            assert got.shape == expected.shape and got.error is None, (a, b)
            np.testing.assert_array_equal(got.result, expected)
            assert all(axis.role != "mismatch" for axis in got.axes)


def test_huge_shapes_cost_no_memory():
    tracemalloc.start()
    try:
        assert outcome("+", (10_000, 10_000), (10_000, 1)).shape == (10_000, 10_000)  # 800 MB if it were made
        assert outcome("dot", (10_000, 10_000), (10_000, 10_000)).shape == (10_000, 10_000)
        assert outcome("dot", (10_000, 10_000), (9_999, 3)).error.startswith("shapes (10000,10000) and (9999,3)")
        assert outcome("*", (6,) * 6, (10_000, 6)).error  # numpy's refusal comes before any work
        assert tracemalloc.get_traced_memory()[1] < 20 * 2**20
    finally:
        tracemalloc.stop()
    assert outcome("+", (10_000, 10_000), (10_000,)).result is None  # too big to print


def test_the_naive_loops_give_numpys_numbers():
    timings = shapes.time_naive(16)
    assert [t.name for t in timings] == ["relu", "add", "dot"]
    assert all(t.same and t.naive_seconds > 0 and t.numpy_seconds > 0 for t in timings)
    with pytest.raises(ShapeError):
        shapes.time_naive(4096)  # the server times only the sizes it offers


def test_a_refused_dot_too_big_to_ask_numpy_reads_as_numpys_own():
    for a, b in [((2, 3), (4,)), ((3,), (2,)), ((2, 3, 4), (5, 3, 6)), ((4,), (3, 2))]:
        with pytest.raises(ValueError) as e:
            np.dot(np.zeros(a), np.zeros(b))
        assert shapes._dot_refusal(a, b) == str(e.value)


def test_the_largest_shapes_allowed_are_worked_out_without_memory():
    with pytest.raises(ShapeError):
        parse_shape("(10000, 10000, 10000, 10000, 10000, 10000)")  # 10^24: more than numpy can describe
    huge = parse_shape("(10000, 10000, 10000)")
    tracemalloc.start()
    try:
        assert outcome("+", huge, (10_000,)).shape == huge
        assert outcome("dot", huge, (10_000, 2)).shape == huge[:-1] + (2,)
        assert outcome("dot", huge, (3, 2)).error.startswith("shapes (10000,10000,10000) and (3,2)")
        assert outcome("*", huge, huge).shape == huge
        assert tracemalloc.get_traced_memory()[1] < 20 * 2**20
    finally:
        tracemalloc.stop()
