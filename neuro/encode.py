"""Inputs to drive arrays, and readouts of a result.

Drive arrays have shape ``(batch, steps, n_inputs)``: ``steps`` is 1 for a drive
held constant over the run, else the number of time steps. Randomness comes in
only as an explicit ``numpy.random.Generator``.
"""

from __future__ import annotations

import numpy as np

from neuro.limits import check_allocation
from neuro.results import SimResult
from neuro.sequence import SequenceTiming

__all__ = ["constant", "poisson", "sequence", "spike_count", "membrane", "value", "predictions"]


def _flat(x) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim < 2:
        raise ValueError(f"x must be a batch (batch, *input_shape), got shape {x.shape}")
    return x.reshape(x.shape[0], -1)


def constant(x) -> np.ndarray:
    """Analog (constant-current) input: each value is injected every step.

    Every non-zero element is delivered as a graded event of that value each step.
    """
    return _flat(x)[:, None, :]


def sequence(x, ticks_per_element: int = 1, *, hold: int | None = None, tail: int = 0) -> np.ndarray:
    """Sequences ``(batch, length, features)`` as drive: element k is held for ticks ``k*K ..
    k*K + hold - 1`` of its ``K = ticks_per_element`` (``hold`` defaults to all K; zero after), then
    ``tail`` ticks of zeros let the network finish."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3:
        raise ValueError(f"a sequence batch has shape (batch, length, features), got {x.shape}")
    if ticks_per_element < 1:
        raise ValueError(f"ticks_per_element must be >= 1, got {ticks_per_element}")
    hold = ticks_per_element if hold is None else int(hold)
    if not 1 <= hold <= ticks_per_element or tail < 0:
        raise ValueError(f"hold must lie in [1, {ticks_per_element}] and tail be >= 0, got {hold} and {tail}")
    check_allocation(f"the drive of {x.shape[0]} sequences of {x.shape[1]} elements at {ticks_per_element} ticks each",
                     8.0 * x.shape[0] * x.shape[1] * int(ticks_per_element) * x.shape[2],
                     "run fewer samples at a time")
    drive = np.zeros((x.shape[0], x.shape[1], int(ticks_per_element), x.shape[2]))
    drive[:, :, :hold] = x[:, :, None]
    drive = drive.reshape(x.shape[0], -1, x.shape[2])
    return np.concatenate([drive, np.zeros((x.shape[0], int(tail), x.shape[2]))], axis=1) if tail else drive


def sequence_steps(conversion: dict, length: int) -> int:
    """Steps a converted sequence network runs for a sequence of ``length`` elements."""
    return SequenceTiming.of({"input": "sequence", **conversion}).steps(length)


def sequence_for(conversion: dict, x) -> np.ndarray:
    """Sequences ``(batch, length, features)`` as the drive a converted sequence network expects
    (refused if they leave the ``input_bound`` the network was sized for, where it records one)."""
    return sequence_drive(SequenceTiming.of({"input": "sequence", **conversion}), x)


def sequence_drive(timing: SequenceTiming, x) -> np.ndarray:
    """:func:`sequence_for` for a timing already parsed."""
    timing.check_bound(x)
    return sequence(x, timing.ticks_per_element, hold=timing.hold_ticks, tail=timing.flush_ticks)


def poisson(x, timesteps: int, rng: np.random.Generator, *, max_rate: float = 1.0) -> np.ndarray:
    """Bernoulli rate coding: element ``x`` in [0, 1] spikes with probability ``x * max_rate`` per step.

    Negative values spike with negative payload (probability ``|x| * max_rate``),
    so a signed input keeps its sign.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError("rng must be a numpy.random.Generator, e.g. numpy.random.default_rng(0)")
    if not 0 < max_rate <= 1:
        raise ValueError(f"max_rate must lie in (0, 1], got {max_rate}")
    flat = _flat(x)
    if np.any(np.abs(flat) > 1):
        raise ValueError("poisson input must lie in [-1, 1]; scale the data first")
    check_allocation(f"Poisson input for {flat.shape[0]} samples of {flat.shape[1]} values over {timesteps} steps",
                     17.0 * flat.shape[0] * int(timesteps) * flat.shape[1], "lower the timesteps or the batch")
    draws = rng.random((flat.shape[0], int(timesteps), flat.shape[1]))
    fired = draws < np.abs(flat)[:, None, :] * max_rate
    return fired * np.sign(flat)[:, None, :]


def _steps(result: SimResult, timesteps: int | None) -> int:
    steps = result.timesteps if timesteps is None else int(timesteps)
    if not 1 <= steps <= result.timesteps:
        raise ValueError(f"timesteps must lie in [1, {result.timesteps}], got {steps}")
    return steps


def spike_count(result: SimResult, timesteps: int | None = None) -> np.ndarray:
    """Output spike counts after ``timesteps`` (default: the whole run)."""
    return result.output_steps[:, :_steps(result, timesteps)].sum(axis=1)


def membrane(result: SimResult, timesteps: int | None = None) -> np.ndarray:
    """Input the output neurons integrated up to ``timesteps``: ``count * threshold + v``.

    With reset by subtraction this is exactly what a non-spiking accumulator
    would hold (for a converted network: the logits times the steps).
    """
    steps = _steps(result, timesteps)
    return spike_count(result, steps) * result.output_threshold + result.output_v_steps[:, steps - 1]


def value(result: SimResult, timesteps: int | None = None) -> np.ndarray:
    """The output population's value after ``timesteps``: the activation of a graded population
    (for a converted LSTM, its logits), the membrane potential of a spiking one."""
    return result.output_v_steps[:, _steps(result, timesteps) - 1]


READOUTS = {"count": spike_count, "membrane": membrane, "value": value}


def predictions(result: SimResult, *, readout: str = "count", timesteps: int | None = None) -> np.ndarray:
    """Class predictions: argmax of the spike count or of the membrane (ties: first index)."""
    if readout not in READOUTS:
        raise ValueError(f"readout must be one of {sorted(READOUTS)}, got {readout!r}")
    return READOUTS[readout](result, timesteps).argmax(axis=1)
