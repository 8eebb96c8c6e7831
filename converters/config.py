"""Settings of a conversion: a frozen value, checked for range only."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

__all__ = ["ConversionConfig"]


@dataclass(frozen=True, kw_only=True)
class ConversionConfig:
    """How a trained network becomes a spiking one.

    Parameters
    ----------
    percentile
        Activation percentile (of the non-zero calibration activations) that
        becomes a population's threshold: data-based normalisation after
        Rueckauer et al. 2017. 100 is max-normalisation (Diehl et al. 2015).
    normalisation
        ``"layer"``: one threshold per layer; ``"channel"``: one per channel.
    reset
        ``"subtract"`` (reset by subtraction, keeps the residue: the default)
        or ``"value"`` (reset to zero).
    half_threshold_init
        Start every membrane at half its threshold, so that a rate rounds to the
        nearest event count instead of down (on by default: it gains several
        points of accuracy at T <= 16 on the zoo models; turn off for plain
        Rueckauer-style conversion).
    signed
        Hidden populations of signed IF neurons (``neuro.ir.IF.signed``): a neuron
        that fired too early on an uneven input can send a negative spike to take
        one back, which closes most of the gap at T = 1-4. Needs reset by
        subtraction and a chip that can send negative events; populations that feed
        a max-pool gate, and the output population, stay unsigned. Off by default.
    """

    percentile: float = 99.9
    normalisation: Literal["layer", "channel"] = "layer"
    reset: Literal["subtract", "value"] = "subtract"
    half_threshold_init: bool = True
    signed: bool = False

    def __post_init__(self):
        if not 0 < self.percentile <= 100:
            raise ValueError(f"percentile must lie in (0, 100], got {self.percentile}")
        if self.normalisation not in ("layer", "channel"):
            raise ValueError(f"normalisation must be 'layer' or 'channel', got {self.normalisation!r}")
        if self.reset not in ("subtract", "value"):
            raise ValueError(f"reset must be 'subtract' or 'value', got {self.reset!r}")
        if self.signed and self.reset != "subtract":
            raise ValueError("signed neurons need reset by subtraction (a negative spike gives back the threshold "
                             "a positive one took); drop --reset value or --signed-neurons")

    def as_dict(self) -> dict:
        return asdict(self)
