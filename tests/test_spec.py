import pytest

from fcviz.settings.spec import MAX_HIDDEN_LAYERS, MAX_UNITS, LayerSpec, NetworkSpec, SpecError


def test_default_is_a_sensible_mnist_net():
    spec = NetworkSpec()
    assert spec.widths == [784, 128, 10]
    assert spec.output_activation == "softmax"
    assert spec.name == "784-128-10"


@pytest.mark.parametrize(
    "make, expected, received",
    [
        (lambda: LayerSpec(0), "from 1 to", "got 0"),
        (lambda: LayerSpec(100_000), f"from 1 to {MAX_UNITS:,}", "got 100,000"),
        (lambda: LayerSpec(64, "swish"), "one of relu, sigmoid, tanh, linear", "'swish'"),
        (lambda: LayerSpec(64, dropout=0.95), "from 0 to 0.9", "0.95"),
        (lambda: LayerSpec("64"), "whole number", "'64'"),
        (lambda: NetworkSpec(hidden=(LayerSpec(8),) * (MAX_HIDDEN_LAYERS + 1)), f"at most {MAX_HIDDEN_LAYERS}", "got 9"),
        (lambda: NetworkSpec(input_size=0), "input size", "got 0"),
        (lambda: NetworkSpec(output_activation="relu"), "softmax", "'relu'"),
    ],
)
def test_invalid_values_say_what_was_expected_and_received(make, expected, received):
    with pytest.raises(SpecError) as err:
        make()
    assert expected in str(err.value) and received in str(err.value)


def test_spec_error_is_a_value_error():
    assert issubclass(SpecError, ValueError)


@pytest.mark.parametrize(
    "spec",
    [
        NetworkSpec(),
        NetworkSpec(hidden=()),
        NetworkSpec(input_size=3, hidden=(LayerSpec(2), LayerSpec(2)), output_units=2, output_activation="linear"),
        NetworkSpec(hidden=(LayerSpec(512, "sigmoid", 0.25), LayerSpec(1, "tanh", 0.1), LayerSpec(1024, "linear", 0.9))),
        NetworkSpec(hidden=tuple(LayerSpec(7 + i, "relu", i / 10) for i in range(MAX_HIDDEN_LAYERS))),
    ],
)
def test_query_round_trip_is_exact(spec):
    query = spec.to_query()
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in query.items())
    assert NetworkSpec.from_query(query) == spec


def test_query_missing_keys_take_defaults():
    assert NetworkSpec.from_query({}) == NetworkSpec()
    assert NetworkSpec.from_query({"units": "32,16"}).hidden == (LayerSpec(32), LayerSpec(16))


@pytest.mark.parametrize(
    "query, message",
    [
        ({"units": "abc"}, "whole number"),
        ({"units": "64,32", "act": "relu"}, "2 comma-separated"),
        ({"units": ",".join(["8"] * 1000)}, "at most 8 hidden layers"),
        ({"units": "5000"}, "from 1 to 1,024"),
        ({"dropout": "lots"}, "must be a number"),
    ],
)
def test_query_garbage_raises_spec_error(query, message):
    with pytest.raises(SpecError, match=message):
        NetworkSpec.from_query(query)


def test_with_dropout_sets_every_hidden_layer():
    spec = NetworkSpec(hidden=(LayerSpec(64), LayerSpec(32))).with_dropout(0.3)
    assert [h.dropout for h in spec.hidden] == [0.3, 0.3]
    assert spec.widths == [784, 64, 32, 10]
