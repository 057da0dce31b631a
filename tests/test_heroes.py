"""The heroes lesson (fcviz.lessons.heroes): each step adds one hero, and each one helps, in runs recorded on the
bundled sample with the app's own trainer (tests/data/heroes.json, `scripts/record_histories.py --heroes`)."""
import json
from pathlib import Path

from fcviz.lessons.heroes import GOOD_ACCURACY, HEROES, epochs_to, hero_of, heroes_table
from fcviz.lessons.presets import EXPERIMENTS, HEROES_LESSON, SERIES
from fcviz.train.history import BatchPoint, EpochStats

RECORDED = json.loads((Path(__file__).parent / "data" / "heroes.json").read_text())["steps"]


def curves(step: dict) -> list[EpochStats]:
    return [EpochStats(**e) for e in step["epochs"]]


def test_the_recording_is_of_the_lesson_as_it_is():
    assert [(s["hero"], s["query"]) for s in RECORDED] == [(h.name, h.settings.to_query()) for h in HEROES], \
        "the lesson changed: record it again with scripts/record_histories.py --heroes"


def test_each_step_adds_one_thing_to_the_step_before():
    for before, after in zip(HEROES, HEROES[1:]):
        changed = {k for k, v in after.settings.to_query().items() if before.settings.to_query()[k] != v}
        assert 1 <= len(changed) <= 2, (after.name, changed)  # ReLU comes with the initialisation made for it


def test_each_hero_helps_and_the_last_step_learns_as_networks_do_today():
    final = [curves(s)[-1].test_accuracy for s in RECORDED]
    mean = [sum(e.test_accuracy for e in curves(s)) / len(curves(s)) for s in RECORDED]  # sooner, too
    assert final[0] < 0.5  # the 1980s network hardly learns in a lesson's time
    assert all(a < b for a, b in zip(final, final[1:])), final
    assert all(a < b for a, b in zip(mean, mean[1:])), mean
    assert epochs_to(curves(RECORDED[-1])) is not None and final[-1] >= GOOD_ACCURACY


def test_the_table_takes_each_steps_newest_run_in_the_lessons_order():
    steps = [(h.settings.network, h.settings.training, curves(s)) for h, s in zip(HEROES, RECORDED)]
    older_last = (steps[-1][0], steps[-1][1], curves(RECORDED[0]))  # the last step's setting, trained earlier
    table = heroes_table([steps[2], steps[0], steps[-1], older_last])
    assert [row.hero for row in table] == [HEROES[0].name, HEROES[2].name, HEROES[-1].name]
    assert table[-1].test_accuracy == curves(RECORDED[-1])[-1].test_accuracy
    assert table[0].epochs_to_good is None and table[-1].epochs_to_good == epochs_to(curves(RECORDED[-1]))


def test_a_run_counts_as_a_step_only_with_the_steps_whole_setting():
    first = HEROES[0].settings
    assert hero_of(first.network, first.training) == HEROES[0]
    assert hero_of(first.network.with_dropout(0.1), first.training) is None


def test_the_lesson_is_one_experiment_whose_series_is_every_step():
    assert EXPERIMENTS[HEROES_LESSON].settings == HEROES[0].settings
    assert SERIES[HEROES_LESSON] == tuple(h.settings for h in HEROES)


def test_no_step_of_the_lesson_is_read_as_a_too_high_learning_rate():
    """The lesson's own settings are sane: a wobbling test curve at a sane rate (batch norm's moving statistics
    settle over the first epochs) must not tell the class that the rate is too high."""
    from fcviz.train.diagnosis import Setup, diagnose

    for hero, step in zip(HEROES, RECORDED):
        t, epochs = hero.settings.training, curves(step)
        setup = Setup(t.optimizer, t.learning_rate, t.lr_decay, -(-t.train_size // t.batch_size),
                      tuple(h.activation for h in hero.settings.network.hidden))
        batches = [BatchPoint(*b) for b in step["batches"]]
        for n in range(2, len(epochs) + 1):
            assert not diagnose(epochs[:n], [b for b in batches if b.x <= n], setup).unstable, (hero.name, n)
