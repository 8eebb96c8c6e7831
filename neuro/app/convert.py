"""One conversion entry: a loaded model and the conversion options give the network.

``neuro convert`` and ``neuro bench`` both call :func:`convert`, so the same
model and options give the same graph (and the same defaults) whichever way a
user goes. A CNN goes through :func:`converters.from_torch` with the model's
own conversion settings unless an option overrides them; an LSTM through the
realisation ``lstm`` names.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from neuro.datasets import Dataset
from neuro.ir import Graph

__all__ = ["ConvertOptions", "convert", "LSTM_REALISATIONS"]

LSTM_REALISATIONS = ("graded", "binary", "rate")


@dataclass(frozen=True)
class ConvertOptions:
    """What a user may change about a conversion; ``None`` keeps the model's own setting (its zoo recipe's)."""

    calibration_samples: int = 500
    percentile: float | None = None
    normalisation: str | None = None
    reset: str | None = None
    half_threshold_init: bool | None = None
    signed: bool | None = None  # CNN: signed hidden neurons (converters.ConversionConfig.signed)
    # CNN: calibrate the initial membranes for a run of this many steps (neuro.membranes); 0 does not;
    # None: a network of quantised ReLUs is calibrated for T = its level count, a ReLU network is not
    membrane_timesteps: int | None = None
    lstm: str = "graded"
    threshold: float | None = None  # graded LSTM: the send threshold
    role_thresholds: tuple[tuple[str, float], ...] = ()  # graded LSTM: (role, threshold) pairs
    levels: int = 16  # binary LSTM
    cell_levels: int | None = None  # binary LSTM (default: levels)
    window: int = 16  # rate LSTM: K ticks per value
    input_bound: float = 100.0  # rate LSTM
    cell_range: float = 2.0  # binary and rate LSTM
    lstm_approximate: bool = False

    def __post_init__(self):
        if self.calibration_samples < 1:
            raise ValueError(f"--calibration-samples must be at least 1, got {self.calibration_samples}")
        if self.membrane_timesteps is not None and self.membrane_timesteps < 0:
            raise ValueError(f"--calibrate-membranes takes a number of steps (0: off), got {self.membrane_timesteps}")
        if self.lstm not in LSTM_REALISATIONS:
            raise ValueError(f"--lstm must be one of {', '.join(LSTM_REALISATIONS)}, got {self.lstm!r}")


def _convert_lstm(loaded, options: ConvertOptions) -> tuple[Graph, str]:
    if options.lstm == "rate":
        from converters.lstm.rate import RateLSTMConfig, from_lstm_rate, period

        rate = RateLSTMConfig(window=options.window, cell_range=options.cell_range, input_bound=options.input_bound,
                              approximate_smooth=options.lstm_approximate)
        return from_lstm_rate(loaded.model, rate), (
            f"rate-coded LSTM, K = {rate.window} ticks per value ({period(rate.window)} ticks per element; cell "
            f"state within +-{rate.cell_range})")
    if options.lstm == "binary":
        from converters.lstm.binary import BinaryLSTMConfig, from_lstm_binary

        binary = BinaryLSTMConfig(levels=options.levels, cell_levels=options.cell_levels or options.levels,
                                  cell_range=options.cell_range, approximate_smooth=options.lstm_approximate)
        return from_lstm_binary(loaded.model, binary), (
            f"binary LSTM, {binary.levels} levels (cell state: {binary.cell_levels} per unit, "
            f"within +-{binary.cell_range})")
    from converters.lstm.graded import LSTMConfig, from_lstm

    threshold = loaded.default_threshold if options.threshold is None else options.threshold
    roles = dict(options.role_thresholds)
    graph = from_lstm(loaded.model, LSTMConfig(threshold=threshold, role_thresholds=roles,
                                               approximate_smooth=options.lstm_approximate))
    return graph, f"graded (sigma-delta) LSTM, threshold {threshold}" + (f", by role {roles}" if roles else "")


def convert(loaded, data: Dataset, options: ConvertOptions = ConvertOptions()) -> tuple[Graph, str]:
    """The network of a :class:`converters.loading.LoadedModel` (calibrated on ``data``'s training
    split for a CNN), with its model, data set and calibration size in the metadata; and a line that
    says how it was converted."""
    from converters import from_torch
    from neuro.membranes import calibrate_membranes

    if hasattr(loaded.model, "lstm"):
        if options.membrane_timesteps:
            raise ValueError("--calibrate-membranes applies to converted CNNs (IF populations), not to an LSTM")
        graph, summary = _convert_lstm(loaded, options)
        calibration = ()
    else:
        overrides = {k: v for k, v in (("percentile", options.percentile), ("normalisation", options.normalisation),
                                       ("reset", options.reset), ("half_threshold_init", options.half_threshold_init),
                                       ("signed", options.signed))
                     if v is not None}
        config = dataclasses.replace(loaded.conversion, **overrides)
        calibration = data.x_train[:options.calibration_samples]
        graph = from_torch(loaded.model, calibration, config)
        levels = graph.metadata["conversion"].get("activation_levels")
        summary = ((f"thresholds from the quantised ReLUs' clips ({levels} levels), elsewhere " if levels else "")
                   + f"percentile {config.percentile} per {config.normalisation}, reset by {config.reset}, "
                   f"half-threshold start {config.half_threshold_init}"
                   + (", signed neurons" if config.signed else ""))
        steps = (levels or 0) if options.membrane_timesteps is None else options.membrane_timesteps
        if steps:
            graph = calibrate_membranes(graph, calibration, timesteps=steps)
            summary += f", initial membranes calibrated for T = {steps}"
    graph = Graph(nodes=graph.nodes, edges=graph.edges,
                  metadata={**graph.metadata, "model": loaded.name, "dataset": data.name,
                            "calibration_samples": int(len(calibration))})
    return graph, summary
