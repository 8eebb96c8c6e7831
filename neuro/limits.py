"""The resource policy: an allocation is checked against a limit before it is made.

A step count, a batch or a network size that would need more memory than the
limit is refused with one line that names what would be allocated, its size,
what to change, and how to raise the limit on purpose: set the environment
variable ``NEURO_MAX_BYTES`` (bytes; suffixes K, M, G, T allowed). Without it
the limit is 8 GiB, a third of this project's reference machine: a typo such
as ``--timesteps 1000000000`` then fails at once instead of swapping the
machine into the ground.
"""

from __future__ import annotations

import os

__all__ = ["DEFAULT_MAX_BYTES", "ENVIRONMENT_VARIABLE", "max_bytes", "check_allocation"]

DEFAULT_MAX_BYTES = 8 * 2**30
ENVIRONMENT_VARIABLE = "NEURO_MAX_BYTES"
_SUFFIXES = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def max_bytes() -> int:
    """The limit in bytes: ``NEURO_MAX_BYTES`` where set, else :data:`DEFAULT_MAX_BYTES`."""
    text = os.environ.get(ENVIRONMENT_VARIABLE, "").strip().upper().removesuffix("B")
    if not text:
        return DEFAULT_MAX_BYTES
    scale = _SUFFIXES.get(text[-1], 1)
    digits = text[:-1] if text[-1] in _SUFFIXES else text
    try:
        value = float(digits) * scale
    except ValueError:
        raise ValueError(f"{ENVIRONMENT_VARIABLE}={os.environ[ENVIRONMENT_VARIABLE]!r} is not a size in bytes "
                         "(e.g. 16G)") from None
    if not value > 0:
        raise ValueError(f"{ENVIRONMENT_VARIABLE} must be positive, got {os.environ[ENVIRONMENT_VARIABLE]!r}")
    return int(value)


def _size(n_bytes: float) -> str:
    for unit, scale in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.1f} {unit}"
    return f"{int(n_bytes)} bytes"


def check_allocation(what: str, n_bytes: float, advice: str) -> None:
    """Refuse ``what`` if it would take more than the limit; ``advice`` says which option to change."""
    limit = max_bytes()
    if n_bytes > limit:
        raise ValueError(f"{what} would take {_size(n_bytes)}, over the limit of {_size(limit)}; {advice} "
                         f"(or set {ENVIRONMENT_VARIABLE} to raise the limit on purpose)")
