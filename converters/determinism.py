"""torch's numerics in one fixed order, whatever the machine's thread count.

torch splits convolutions and reductions across its intra-op threads, and the
split changes the order in which float32 sums are added: the same seeded
recipe then trains different weights on two threads than on one (and so on a
laptop, a server or a Dask worker). Training and calibration run on one torch
thread, the order every machine can reproduce. The zoo's models are small
enough that this costs nothing measurable here (digits-cnn: 6.3 s on one
thread, 6.4 s on two).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch

__all__ = ["one_thread"]


@contextmanager
def one_thread() -> Iterator[None]:
    """Run the block with torch on one intra-op thread; the caller's setting is restored after."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
