"""Text from outside (links, file names, error messages) shown safely."""
from __future__ import annotations

import re


def plain(text: str) -> str:
    """`text` with Markdown switched off: a link's garbage must not turn into links or headings."""
    return re.sub(r"([\\`*_{}\[\]()#+!<>|~$])", r"\\\1", text)
