"""Progress on long work, through tqdm: a bar with rate and time left on a terminal or in a notebook.

Anywhere else (a log file, CI) the bar stays quiet: redrawn lines would only
fill the log, and each caller prints its own one-line summary when it is done.
"""

from __future__ import annotations

import sys

from tqdm.auto import tqdm

__all__ = ["progress"]


def _interactive(stream) -> bool:
    """A terminal, or a running Jupyter kernel (where tqdm.auto draws a widget or a text bar)."""
    return bool(getattr(stream, "isatty", lambda: False)()) or "ipykernel" in sys.modules


def progress(label: str, total: int, *, enabled: bool = True, stream=None) -> tqdm:
    """A progress bar over ``total`` items; call ``.update(n)`` as they finish and ``.close()`` at the end."""
    stream = sys.stderr if stream is None else stream
    return tqdm(total=max(1, int(total)), desc=label, file=stream, unit="item", leave=False,
                disable=not (enabled and _interactive(stream)))
