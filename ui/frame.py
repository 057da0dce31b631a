"""What every page shows and does before its own content."""
from __future__ import annotations

from ui.runtime import configure_runtime
from ui.session import get_settings, show_news, sync_url
from ui.share import classroom_style, share_box


def frame() -> None:
    configure_runtime()
    get_settings()  # read the link once per session, saying what could not be used
    sync_url()  # page switches drop the query string: put the settings back
    classroom_style()
    share_box()
    show_news()
