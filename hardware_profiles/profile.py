"""Chip profiles: a strict TOML schema, parsed into frozen values in SI units.

Every number is an inline table with its provenance::

    neurons_per_core = { value = 1024, source = "davies2018", evidence = "published", note = "..." }

``source`` names an entry of ``[[references]]`` (or is a free citation);
``evidence`` is one of :data:`EVIDENCE`. Keys carry their unit as a suffix
(``_pj``, ``_nj``, ``_mw``, ``_w``, ``_ns``, ``_us``, ``_ms``, ``_s``) and the loader
converts to joules, watts and seconds once. Unknown keys, missing keys, missing
sources, sections of the wrong type, and values that are not numbers or lie
outside their key's range (:data:`LIMITS`) are refused with an error naming the
file and the key: a profile that ``neuro profiles check`` accepts maps and runs.
A number the literature does not give is simply left out: the energy estimate
then says what it could not bill.

Structural limits (``[structure]``) are kept apart from the cost model
(``[cost]``). Amortised figures such as TrueNorth's 26 pJ per synaptic event go
to ``[cross_checks]``: they are shown next to the estimate, never added to it.
"""

from __future__ import annotations

import math
import os
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["HardwareProfile", "Structure", "CostModel", "Quantity", "ProfileError", "parse", "EVIDENCE",
           "NODE_KINDS", "LIMITS", "MAX_FILE_BYTES"]

EVIDENCE = ("published", "datasheet", "code", "derived", "estimated", "vendor_claim", "secondary")
# IR node kinds a profile may list as supported (kept in step with neuro.ir by a test)
NODE_KINDS = ("IF", "LIF", "CubaLIF", "Dense", "Sparse", "Conv1d", "Conv2d", "AvgPool1d", "AvgPool2d",
              "MaxPool1d", "MaxPool2d", "Flatten", "Scale", "SigmaDelta", "Product")
_UNITS = {"_pj_per_byte": 1e-12, "_fj": 1e-15, "_pj": 1e-12, "_nj": 1e-9, "_uj": 1e-6, "_mw": 1e-3, "_uw": 1e-6,
          "_w": 1.0, "_ns": 1e-9,
          "_us": 1e-6, "_ms": 1e-3, "_s": 1.0}


class ProfileError(ValueError):
    """A profile file that does not follow the schema; names the file and the key."""


@dataclass(frozen=True)
class Quantity:
    """One number with its provenance, in SI units."""

    value: float
    source: str
    evidence: str
    note: str = ""
    band: tuple[float, float] | None = None


# key -> (required, integer?) for [structure]; quantities without a unit suffix
_STRUCTURE_KEYS = {
    "max_chips": (True, True),
    "cores_per_chip": (True, True),
    "mesh_x": (True, True),
    "mesh_y": (True, True),
    "cores_per_router": (False, True),
    "neurons_per_core": (True, True),
    "fan_in_per_core": (False, True),
    "fan_in_per_neuron": (False, True),
    "fan_out_cores_per_neuron": (False, True),
    "synapses_per_core": (False, True),
    "synapse_bits_per_core": (False, True),
    "weight_bits": (True, True),
    "state_bits": (False, True),
    "threshold_bits": (False, True),
    "max_delay_steps": (False, True),
    "graded_spike_bits": (False, True),
}
_STRUCTURE_TEXT = {
    "weight_sharing": ("none", "conv_kernel", "axon_types"),
    "routing": ("mesh_xy", "multicast_table", "fixed"),
}
_COST_KEYS = ("static_per_chip_mw", "synop_pj", "graded_synop_pj", "neuron_update_pj", "spike_pj", "hop_pj",
              "chip_crossing_pj", "core_step_pj", "chip_step_pj", "time_step_s", "mac_pj", "activation_pj",
              "weight_read_pj_per_byte")
_TOP_KEYS = {"schema_version", "name", "display_name", "kind", "description", "references", "structure",
             "supports", "cost", "cross_checks", "notes"}

_COUNT = (1, 2 ** 31 - 1)  # at least one; beyond 2**31 a count is a typo, and the mapper's int64 products hold
_ENERGY_PJ = (0.0, 1e9)  # per event: 0 (not billed apart) up to 1 mJ, 10**4 times the dearest known figure
# The range of every number, in its key's unit (as written in the file). Outside it a value is a typo
# or a unit mistake, and it would break what uses it: the quantiser needs a signed grid of at least
# 2 bits and its float64 grid holds at most 53; a time step of 0 bills no latency and no static
# energy, and a huge one (or a huge energy) overflows the estimate to inf, which no JSON file holds.
LIMITS: dict[str, tuple[float, float]] = {
    **{f"structure.{key}": _COUNT for key in (
        "max_chips", "cores_per_chip", "mesh_x", "mesh_y", "cores_per_router", "neurons_per_core",
        "fan_in_per_core", "fan_in_per_neuron", "fan_out_cores_per_neuron", "synapses_per_core",
        "synapse_bits_per_core")},
    "structure.weight_bits": (2, 53),
    "structure.state_bits": (2, 53),
    "structure.threshold_bits": (1, 53),  # unsigned
    "structure.graded_spike_bits": (0, 64),  # 0: binary spikes only
    "structure.max_delay_steps": (0, 2 ** 31 - 1),
    **{f"cost.{key}": _ENERGY_PJ for key in (
        "synop_pj", "graded_synop_pj", "neuron_update_pj", "spike_pj", "hop_pj", "chip_crossing_pj", "core_step_pj",
        "chip_step_pj", "mac_pj", "activation_pj", "weight_read_pj_per_byte")},
    "cost.static_per_chip_mw": (0.0, 1e6),  # up to a kilowatt per chip
    "cost.time_step_s": (1e-12, 1.0),  # from a picosecond to a second
}
MAX_FILE_BYTES = 1 << 20  # a profile is a few kB of TOML; a larger file is not one


@dataclass(frozen=True)
class Structure:
    """What must fit: structural limits of one chip and the system."""

    max_chips: int
    cores_per_chip: int
    mesh_x: int
    mesh_y: int
    neurons_per_core: int
    weight_bits: int
    fan_in_per_core: int | None = None
    fan_in_per_neuron: int | None = None
    fan_out_cores_per_neuron: int | None = None
    synapses_per_core: int | None = None
    synapse_bits_per_core: int | None = None
    cores_per_router: int = 1
    state_bits: int | None = None
    threshold_bits: int | None = None
    max_delay_steps: int | None = None
    graded_spike_bits: int | None = None
    weight_sharing: str = "none"
    routing: str = "mesh_xy"

    @property
    def graded_spikes(self) -> bool:
        return bool(self.graded_spike_bits)


@dataclass(frozen=True)
class CostModel:
    """What it costs, in joules, watts and seconds; ``None`` where no source gives it."""

    static_per_chip_w: float | None = None
    synop_j: float | None = None
    graded_synop_j: float | None = None
    neuron_update_j: float | None = None
    spike_j: float | None = None
    hop_j: float | None = None
    chip_crossing_j: float | None = None
    # Overhead of a time step that no event count explains (barrier, management cores, clocking the
    # neuron pipeline): per core in use and per chip in use. Silicon shows it (Blouw 2019 on Loihi: about
    # 1.7e5 synapses cost 2.7e-4 J per inference, far more than their synaptic operations); a profile
    # without it bills none.
    core_step_j: float | None = None
    chip_step_j: float | None = None
    time_step_s: float | None = None
    mac_j: float | None = None
    activation_j: float | None = None
    weight_read_j_per_byte: float | None = None


@dataclass(frozen=True)
class HardwareProfile:
    """A chip (kind ``neuromorphic``) or an ANN baseline device (kind ``ann``)."""

    name: str
    display_name: str
    kind: str
    description: str
    structure: Structure | None
    supports: frozenset[str]
    cost: CostModel
    quantities: dict[str, Quantity] = field(repr=False)
    cross_checks: dict[str, Quantity] = field(repr=False)
    references: dict[str, str] = field(repr=False)
    notes: tuple[str, ...] = ()
    path: str = ""

    def source_of(self, key: str) -> str:
        """The citation behind a number (``"structure.neurons_per_core"``, ``"cost.synop_pj"``)."""
        quantity = self.quantities[key]
        return self.references.get(quantity.source, quantity.source)


def _fail(path, key, problem) -> ProfileError:
    return ProfileError(f"{path}: {key}: {problem}")


def _quantity(path, key: str, raw, *, integer: bool) -> Quantity:
    if not isinstance(raw, dict):
        raise _fail(path, key, "must be a table { value = ..., source = ..., evidence = ... }")
    unknown = set(raw) - {"value", "source", "evidence", "note", "band"}
    if unknown:
        raise _fail(path, key, f"unknown keys {sorted(unknown)}")
    for needed in ("value", "source", "evidence"):
        if needed not in raw:
            raise _fail(path, key, f"missing {needed!r} (every number needs its source and evidence)")
    value = raw["value"]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(path, key, f"value must be a finite number, got {value!r}")
    if value < 0:
        raise _fail(path, key, f"value must not be negative, got {value}")
    if integer and int(value) != value:
        raise _fail(path, key, f"value must be an integer, got {value}")
    if not isinstance(raw["source"], str) or not raw["source"].strip():
        raise _fail(path, key, "source must be a non-empty citation or reference key")
    if raw["evidence"] not in EVIDENCE:
        raise _fail(path, key, f"evidence must be one of {EVIDENCE}, got {raw['evidence']!r}")
    band = raw.get("band")
    if band is not None and (not isinstance(band, list) or len(band) != 2 or not all(
            isinstance(b, int | float) and not isinstance(b, bool) and math.isfinite(b) and b >= 0 for b in band)
            or band[0] > band[1]):
        raise _fail(path, key, "band must be [low, high] with finite non-negative numbers, low <= high")
    suffix = next((s for s in sorted(_UNITS, key=len, reverse=True) if key.endswith(s)), None)
    scale = _UNITS[suffix] if suffix else 1.0
    if key in LIMITS and not LIMITS[key][0] <= value <= LIMITS[key][1]:
        unit = " " + suffix[1:].replace("j", "J").replace("w", "W").replace("_per_", " per ") if suffix else ""
        raise _fail(path, key, f"value must lie in [{LIMITS[key][0]:g}, {LIMITS[key][1]:g}]{unit}, got {value:g}")
    return Quantity(value=int(value) if integer else float(value) * scale, source=raw["source"],
                    evidence=raw["evidence"], note=str(raw.get("note", "")),
                    band=None if band is None else (band[0] * scale, band[1] * scale))


def parse(text: str, path: str = "<profile>") -> HardwareProfile:
    """Parse one profile's TOML text (``path`` is only used in error messages)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{path}: not valid TOML ({error})") from None
    except RecursionError:  # tomllib recurses once per level of nested arrays or tables
        raise ProfileError(f"{path}: not valid TOML (nested too deeply)") from None
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise _fail(path, ", ".join(sorted(unknown)), "unknown top-level keys")
    for key in ("schema_version", "name", "display_name", "kind", "references", "cost"):
        if key not in data:
            raise _fail(path, key, "missing")
    if type(data["schema_version"]) is not int or data["schema_version"] != 1:
        raise _fail(path, "schema_version", f"this build reads schema 1, got {data['schema_version']!r}")
    if data["kind"] not in ("neuromorphic", "ann"):
        raise _fail(path, "kind", f"must be 'neuromorphic' or 'ann', got {data['kind']!r}")
    for key in ("name", "display_name", "description"):
        if key in data and (not isinstance(data[key], str) or not data[key].strip()):
            raise _fail(path, key, "must be a non-empty string")
    references = _references(path, data["references"])
    quantities: dict[str, Quantity] = {}
    structure = None
    if data["kind"] == "neuromorphic":
        if "structure" not in data:
            raise _fail(path, "structure", "missing (a neuromorphic profile needs its structural limits)")
        raw = dict(_table(path, "structure", data["structure"]))
        values = {}
        for key, choices in _STRUCTURE_TEXT.items():
            if key in raw:
                if raw[key] not in choices:
                    raise _fail(path, f"structure.{key}", f"must be one of {choices}, got {raw[key]!r}")
                values[key] = raw.pop(key)
        unknown = set(raw) - set(_STRUCTURE_KEYS)
        if unknown:
            raise _fail(path, "structure", f"unknown keys {sorted(unknown)}")
        for key, (required, integer) in _STRUCTURE_KEYS.items():
            if key in raw:
                quantities[f"structure.{key}"] = _quantity(path, f"structure.{key}", raw[key],
                                                           integer=integer)
                values[key] = quantities[f"structure.{key}"].value
            elif required:
                raise _fail(path, f"structure.{key}", "missing")
        if values["mesh_x"] * values["mesh_y"] * values.get("cores_per_router", 1) < values["cores_per_chip"]:
            raise _fail(path, "structure.mesh_x", "mesh_x * mesh_y * cores_per_router must hold cores_per_chip")
        structure = Structure(**values)
        supports = data.get("supports")
        if not isinstance(supports, list) or not supports:
            raise _fail(path, "supports", "list the IR node kinds the chip hosts")
        bad = [s for s in supports if s not in NODE_KINDS]
        if bad:
            raise _fail(path, "supports", f"unknown kinds {bad}; known: {NODE_KINDS}")
    elif "structure" in data or "supports" in data:
        raise _fail(path, "structure", "an 'ann' profile has a cost model only")
    cost_raw = _table(path, "cost", data["cost"])
    unknown = set(cost_raw) - set(_COST_KEYS)
    if unknown:
        raise _fail(path, "cost", f"unknown keys {sorted(unknown)}; known: {_COST_KEYS}")
    cost_values = {}
    for key in _COST_KEYS:
        if key in cost_raw:
            quantity = _quantity(path, f"cost.{key}", cost_raw[key], integer=False)
            quantities[f"cost.{key}"] = quantity
            cost_values[_si_name(key)] = quantity.value
    cross = {}
    for key, raw in _table(path, "cross_checks", data.get("cross_checks", {})).items():
        cross[key] = _quantity(path, f"cross_checks.{key}", raw, integer=False)
    for key, quantity in [*quantities.items(), *(("cross_checks." + k, q) for k, q in cross.items())]:
        if quantity.source not in references and len(quantity.source) < 12:
            raise _fail(path, key, f"source {quantity.source!r} is neither a reference key nor a citation")
    notes = data.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise _fail(path, "notes", "must be a list of strings")
    return HardwareProfile(
        name=data["name"], display_name=data["display_name"], kind=data["kind"],
        description=data.get("description", ""), structure=structure,
        supports=frozenset(data.get("supports", ())), cost=CostModel(**cost_values), quantities=quantities,
        cross_checks=cross, references=references, notes=tuple(notes), path=str(path),
    )


def _table(path, key: str, raw) -> dict:
    """A section that must be a TOML table (``[key]``), not a string, a number or a list."""
    if not isinstance(raw, dict):
        raise _fail(path, key, f"must be a table ([{key}] with keys), got {_toml_type(raw)}")
    return raw


def _references(path, raw) -> dict[str, str]:
    """``[[references]]``: a list of tables, each a non-empty ``key`` and ``citation``."""
    if not isinstance(raw, list):
        raise _fail(path, "references", f"must be a list of tables ([[references]]), got {_toml_type(raw)}")
    references = {}
    for i, ref in enumerate(raw):
        if not isinstance(ref, dict) or set(ref) != {"key", "citation"} or not all(
                isinstance(ref[k], str) and ref[k].strip() for k in ("key", "citation")):
            raise _fail(path, f"references[{i}]", "each reference needs exactly 'key' and 'citation', both text")
        references[ref["key"]] = ref["citation"]
    return references


def _toml_type(value) -> str:
    """What a TOML value is, for messages: "a string", "an integer", ..."""
    return {dict: "a table", list: "a list", str: "a string", bool: "a boolean", int: "an integer",
            float: "a float"}.get(type(value), f"a {type(value).__name__}")


def _si_name(key: str) -> str:
    """``synop_pj`` -> ``synop_j``; ``static_per_chip_mw`` -> ``static_per_chip_w``."""
    for suffix, si in (("_pj_per_byte", "_j_per_byte"), ("_pj", "_j"), ("_nj", "_j"), ("_mw", "_w"), ("_ms", "_s")):
        if key.endswith(suffix):
            return key[: -len(suffix)] + si
    return key


def load_file(path) -> HardwareProfile:
    """Read and parse one profile file: a regular file of at most :data:`MAX_FILE_BYTES`."""
    path = Path(path)
    try:
        info = os.stat(path)
    except OSError as error:
        raise ProfileError(f"{path}: cannot read ({error.strerror or error})") from None
    # checked before opening: a FIFO would block the read forever, /dev/zero would never end
    if not stat.S_ISREG(info.st_mode):
        raise ProfileError(f"{path}: not a regular file; give a profile's .toml file")
    if info.st_size > MAX_FILE_BYTES:
        raise ProfileError(f"{path}: {info.st_size} bytes; a profile file holds at most {MAX_FILE_BYTES}")
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat
        text = data.decode("utf-8")
    except OSError as error:
        raise ProfileError(f"{path}: cannot read ({error.strerror or error})") from None
    except UnicodeDecodeError as error:
        raise ProfileError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ProfileError(f"{path}: more than {MAX_FILE_BYTES} bytes; a profile file holds at most that")
    return parse(text, str(path))
