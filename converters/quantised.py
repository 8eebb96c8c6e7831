"""A ReLU trained for the levels an integrate-and-fire neuron can express in a few steps.

An IF neuron with threshold ``λ``, reset by subtraction and its membrane started
at ``λ/2`` fires ``floor(T·z/λ + ½)`` times in ``T`` steps for a constant input
``z`` in ``[0, λ]`` (at most once a step, never below zero). A network trained
with that very function in place of ReLU, at ``L = T`` levels, therefore loses
almost nothing when it runs as a spiking network for ``T`` steps: the
quantisation-clip-floor-shift activation of Bu et al. (ICLR 2022, "QCFS"; see
``shared/reference/conversion.md``, low-latency conversion)::

    h(x) = λ · clip(floor(x·L/λ + ½) / L, 0, 1)

``λ`` is learned (one per layer); the floor passes its gradient straight
through, so ``x`` gets the gradient of ``λ · clip(x/λ, 0, 1)`` and ``λ`` that of
the rounding error inside the range and 1 above it (as in LSQ and QCFS). The
converter (:mod:`converters.rules`) reads ``λ`` as the population's threshold,
needs no percentile calibration, and records ``L`` in the network's metadata.
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["QuantisedReLU", "quantised_relu", "levels_of"]

MIN_CLIP = 1e-3  # λ is kept at least this: a bound at zero would silence the layer and divide by zero


def quantised_relu(x: torch.Tensor, clip: torch.Tensor, levels: int) -> torch.Tensor:
    """``clip · clamp(floor(x·levels/clip + ½)/levels, 0, 1)`` with a straight-through floor."""
    scaled = x / clip
    smooth = torch.clamp(scaled, 0.0, 1.0)
    stepped = torch.clamp(torch.floor(scaled * levels + 0.5) / levels, 0.0, 1.0)
    return clip * (smooth + (stepped - smooth).detach())


class QuantisedReLU(nn.Module):
    """Drop-in replacement for ``nn.ReLU`` whose outputs take ``levels + 1`` values in ``[0, clip]``.

    Parameters
    ----------
    levels
        ``L``: the output is a multiple of ``clip / L``; train at ``L = T`` for a
        spiking network that runs ``T`` steps.
    clip
        The initial upper bound ``λ`` (learned; kept positive).
    """

    def __init__(self, levels: int = 4, clip: float = 2.0):
        super().__init__()
        if not isinstance(levels, int) or isinstance(levels, bool) or not 1 <= levels <= 1024:
            raise ValueError(f"levels must be an integer in [1, 1024], got {levels!r}")
        if not clip > 0:
            raise ValueError(f"clip must be positive, got {clip!r}")
        self.levels = levels
        self.clip = nn.Parameter(torch.tensor(float(clip)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return quantised_relu(x, self.clip.clamp_min(MIN_CLIP), self.levels)

    @property
    def threshold(self) -> float:
        """``λ`` as the forward pass uses it (a float32 value, exact in float64): the population's threshold."""
        return float(self.clip.detach().clamp_min(MIN_CLIP))

    def extra_repr(self) -> str:
        return f"levels={self.levels}"


def levels_of(model: nn.Module) -> int | None:
    """The level count of a model's quantised activations (``None`` without any); all must agree."""
    found = {m.levels for m in model.modules() if isinstance(m, QuantisedReLU)}
    if len(found) > 1:
        raise ValueError(f"the model mixes QuantisedReLU levels {sorted(found)}; use one level count throughout")
    return found.pop() if found else None
