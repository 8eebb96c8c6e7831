"""Fixed-point and codebook quantisation: pure functions on arrays.

Chips store weights as small signed integers times a per-layer step, a power of
two (Loihi's shared weight exponent per synapse group, SpiNNaker's fixed point;
hardware.md): sums of weights from several layers then stay on one integer grid,
as a chip's membrane does; a
TrueNorth neuron can use only a handful of weight values (one per axon type).
These functions return the quantised values in the original units, so the
quantised network runs in the same engine and its accuracy can be measured.
"""

from __future__ import annotations

import numpy as np

__all__ = ["step_for", "to_fixed", "to_codebook"]


def step_for(values: np.ndarray, bits: int) -> float:
    """The finest power-of-two step of a symmetric signed ``bits``-bit grid that covers ``max |values|``."""
    if bits < 2:
        raise ValueError(f"a signed grid needs at least 2 bits, got {bits}")
    largest = float(np.max(np.abs(values))) if np.size(values) else 0.0
    return float(2.0 ** np.ceil(np.log2(largest / (2 ** (bits - 1) - 1)))) if largest > 0 else 1.0


def to_fixed(values, bits: int, step: float | None = None) -> tuple[np.ndarray, float]:
    """Round to a signed ``bits``-bit grid (step from the largest magnitude unless given); clip to its range."""
    values = np.asarray(values, dtype=np.float64)
    step = step_for(values, bits) if step is None else float(step)
    limit = 2 ** (bits - 1) - 1
    return np.clip(np.round(values / step), -limit, limit) * step, step


# Lloyd's algorithm on one dimension ends: every change of assignment lowers the squared error, so no
# assignment comes back. Rows of real layers end within a few dozen rounds (an exponential row of 100 weights
# takes 23); the bound only guards against a floating-point tie that flips back and forth.
_LLOYD_ROUNDS = 10_000


def _lloyd(values: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """1-D k-means from ``centres``, run until the assignment of ``values`` stops changing."""
    def nearest(levels):
        return np.abs(values[:, None] - levels[None, :]).argmin(axis=1)

    assign = nearest(centres)
    for _ in range(_LLOYD_ROUNDS):
        centres = np.array([values[assign == k].mean() if np.any(assign == k) else centres[k]
                            for k in range(centres.size)])
        following = nearest(centres)
        if np.array_equal(following, assign):
            break
        assign = following
    return centres


def to_codebook(rows, levels: int, bits: int) -> np.ndarray:
    """Each row (one neuron's incoming weights) keeps at most ``levels`` distinct non-zero values.

    The values are a 1-D k-means of the row's weights, each level then rounded to
    a signed ``bits``-bit grid shared by the layer; a weight closer to zero than
    to any level becomes 0 (no synapse).
    """
    rows = np.asarray(rows, dtype=np.float64)
    flat = rows.reshape(rows.shape[0], -1)
    step = step_for(flat, bits)
    out = np.zeros_like(flat)
    for r, row in enumerate(flat):
        nonzero = row[row != 0]
        if nonzero.size == 0:
            continue
        centres = np.unique(np.quantile(nonzero, np.linspace(0, 1, 2 * levels + 1)[1::2]))
        centres = _lloyd(nonzero, centres)
        centres, _ = to_fixed(centres, bits, step)
        candidates = np.concatenate([[0.0], centres])
        out[r] = candidates[np.abs(row[:, None] - candidates[None, :]).argmin(axis=1)]
    return out.reshape(rows.shape)
