"""A run's settings in one line of words, in the reader's language: the label lists and legends show after a run's
number, and the board's settings column, made again for each reader from the settings a run was saved with."""
from __future__ import annotations

from fcviz.i18n import _
from fcviz.settings import initializers
from fcviz.settings.spec import NetworkSpec
from fcviz.settings.train_config import TrainConfig

DEFAULTS = TrainConfig()  # a setting at its default is not named (two runs apart only in it are told apart by it)


def settings_line(spec: NetworkSpec, config: TrainConfig, learning_rate: float, lr_decay: float,
                  tuned_on: int = 0, network: bool = True) -> str:
    """A run's network and training in one line, in the reader's language ("784-128-10 relu, adam lr 0.001, 4,000
    train, dropout 0.2, batch 32"; the initialisation and batch size only when not the defaults): a run's label after its number; without the network's name (`network=False`) the board's
    settings column, beside its network column."""
    drop = max((h.dropout for h in spec.hidden), default=0.0)
    acts = "/".join(sorted({h.activation for h in spec.hidden})) or _("no hidden")
    extra = _(", dropout {rate:g}").format(rate=drop) if drop else ""
    extra += _(", init {name}").format(name=_(initializers.BY_NAME[spec.init].label)) \
        if spec.init != initializers.DEFAULT else ""
    extra += _(", batch norm") if any(h.batchnorm for h in spec.hidden) else ""
    extra += _(", skip connections") if any(s.fits for s in spec.skips()) and spec.skip else ""
    extra += _(", batch {n:,}").format(n=config.batch_size) if config.batch_size != DEFAULTS.batch_size else ""
    extra += f", L2 {config.l2:g}" if config.l2 else ""
    extra += _(", augmented") if config.augment else ""
    extra += _(", decay {factor:g}/epoch").format(factor=lr_decay) if lr_decay < 1 else ""
    extra += _(", fine-tuned on {n} drawings").format(n=tuned_on) if tuned_on else ""
    line = _("{activations}, {optimizer} lr {rate:g}, {n:,} train").format(
        activations=acts, optimizer=config.optimizer, rate=learning_rate, n=config.train_size) + extra
    return f"{spec.name} {line}" if network else line


def run_label(number: int, spec: NetworkSpec, config: TrainConfig, learning_rate: float, lr_decay: float,
              tuned_on: int = 0) -> str:
    """A run's one line for lists and legends ("#3 784-128-10 relu, adam lr 0.001, 4,000 train"), made when it is
    shown: a run trained before a switch to 中文 is named in Chinese after it too."""
    return f"#{number} " + settings_line(spec, config, learning_rate, lr_decay, tuned_on)
