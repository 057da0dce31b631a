"""Every setting once (`fields`), and the objects they make: a network (`spec`), a training (`train_config`)
and everything a link carries (`link`). Above `data` (the data choice reads its sources)."""
