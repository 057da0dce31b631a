"""Then and now: a training's arithmetic and its time on the lecture note's two machines."""
import pytest

from fcviz.i18n import use
from fcviz.lessons.then_and_now import NOW, THEN, duration_text, flop_text, then_and_now, training_flops


def test_six_operations_per_parameter_and_sample():
    assert training_flops(101_770, 40_000) == 6 * 101_770 * 40_000
    assert flop_text(training_flops(101_770, 40_000)) == "24.4 GFLOP"


@pytest.mark.parametrize("seconds, text", [
    (12e9 / THEN.flops, "10 min"), (12e9 / NOW.flops, "120 µs"), (1.43, "1.4 s"), (3 * 86400, "3.0 days"),
    (400 * 86400, "1.1 years"), (7200, "2.0 h"), (0.026, "26 ms")])
def test_a_time_is_said_in_the_unit_a_person_would_use(seconds, text):
    assert duration_text(seconds) == text


def test_the_sentence_in_both_languages():
    line = then_and_now(101_770, 40_000, 2.5)
    assert line.startswith("≈ 6 × 101,770 parameters × 40,000 samples seen = 24.4 GFLOP: 2.5 s of training here (its epochs, not the wait before them);")
    assert "20 min on a 486 PC with a DSP32C board" in line and "244 µs on a V100" in line
    use("zh")
    try:
        line = then_and_now(101_770, 40_000, 2.5)
    finally:
        use(None)
    assert "101,770 个参数" in line and "2.5 秒" in line and "20 分钟" in line
