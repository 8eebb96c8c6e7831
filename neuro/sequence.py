"""How a converted sequence (LSTM) network takes its input: its timing, parsed once from its metadata.

The LSTM converters record in ``graph.metadata["conversion"]`` how the network
wants its sequences fed; this module is the one place that reads those keys:

``input``
    ``"sequence"`` marks a sequence network (anything else, or no key: not one).
``realisation``
    ``"graded"`` (sigma-delta), ``"binary"`` (unary-coded lines) or ``"rate"``
    (bursts of K ticks).
``ticks_per_element``
    Ticks each sequence element is given (default 1).
``hold_ticks``
    Of those, the first ticks during which the element is held at the input;
    zeros follow (default: all of them).
``flush_ticks``
    Ticks of zero input after the last element, so deeper layers finish (default 0).
``input_bound``
    The largest ``|input|`` the network's integrators were sized for; larger
    inputs are refused (default: no bound).
``hidden``, ``layers``
    Hidden units per LSTM layer and the number of layers (the ANN workload
    depends on them).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

__all__ = ["SequenceTiming", "MAX_TICKS_PER_ELEMENT", "MAX_FLUSH_TICKS"]

# far beyond any realisation here (the rate form at K = 64 takes 322 ticks per element), and small enough
# that a damaged file cannot ask for an allocation that exhausts memory
MAX_TICKS_PER_ELEMENT = 100_000
MAX_FLUSH_TICKS = 10_000_000


def _integer(conversion: Mapping, key: str, default: int | None, low: int, high: int) -> int:
    value = conversion.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer) or not math.isfinite(value) \
            or int(value) != value:
        raise ValueError(f"conversion metadata: {key} must be an integer, got {value!r}")
    if not low <= int(value) <= high:
        raise ValueError(f"conversion metadata: {key} = {int(value)} lies outside [{low}, {high}]")
    return int(value)


@dataclass(frozen=True)
class SequenceTiming:
    """The input timing of a sequence network (see the module docstring for each key)."""

    realisation: str
    ticks_per_element: int = 1
    hold_ticks: int = 1
    flush_ticks: int = 0
    input_bound: float | None = None
    hidden: int | None = None
    layers: int | None = None

    @classmethod
    def of(cls, conversion: Mapping | None) -> SequenceTiming | None:
        """The timing a network's conversion metadata records; ``None`` when it is not a sequence network."""
        if not isinstance(conversion, Mapping) or conversion.get("input") != "sequence":
            return None
        ticks = _integer(conversion, "ticks_per_element", 1, 1, MAX_TICKS_PER_ELEMENT)
        bound = conversion.get("input_bound")
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int | float)
                                  or not math.isfinite(bound) or bound <= 0):
            raise ValueError(f"conversion metadata: input_bound must be a positive number, got {bound!r}")
        return cls(
            realisation=str(conversion.get("realisation", "graded")), ticks_per_element=ticks,
            hold_ticks=_integer(conversion, "hold_ticks", ticks, 1, ticks),
            flush_ticks=_integer(conversion, "flush_ticks", 0, 0, MAX_FLUSH_TICKS),
            input_bound=None if bound is None else float(bound),
            hidden=None if "hidden" not in conversion else _integer(conversion, "hidden", None, 1, 10**7),
            layers=None if "layers" not in conversion else _integer(conversion, "layers", None, 1, 10**4),
        )

    def steps(self, length: int) -> int:
        """Steps the network runs for a sequence of ``length`` elements."""
        return length * self.ticks_per_element + self.flush_ticks

    def check_bound(self, x) -> None:
        """Refuse sequences beyond the ``input_bound`` the network was sized for."""
        if self.input_bound is not None and np.size(x) and (largest := float(np.max(np.abs(x)))) > self.input_bound:
            raise ValueError(f"the network was built for inputs within +-{self.input_bound:g} (its input_bound); "
                             f"these sequences reach {largest:.4g}: convert it again with a larger bound")
