"""The fitted constants of the shipped profiles are recomputed from their published workloads, and the
calibration rows keep fitted and held-out measurements apart."""

import pytest

import hardware_profiles as hp
from neuro.app import calibration


@pytest.fixture(scope="module")
def rows():
    return calibration.calibration_rows()


@pytest.fixture(scope="module")
def derived():
    return calibration.derived_constants()  # runs every fitting workload: once for the module


def test_every_derived_constant_in_the_profiles_is_recomputed_from_its_workload(derived):
    # the derivation runs the rebuilt workloads in the engine and bills them; the TOML number must match
    # it to the digits written (the note's equation, not a pasted figure)
    assert set(derived) >= {"loihi:cost.chip_step_pj", "loihi2:cost.core_step_pj", "loihi2:cost.time_step_s",
                            "speck:cost.synop_pj", "xylo:cost.core_step_pj"}
    for key, value in derived.items():
        name, quantity = key.split(":")
        written = hp.load(name).quantities[quantity]
        assert written.value == pytest.approx(value, rel=1e-3), key
        assert written.evidence == "derived" and "workload" in written.note and "Equation" in written.note, key


def test_the_overhead_fit_is_the_energy_left_over_per_unit_step():
    # 2.7e-4 J measured, 1.0e-4 J billed by the operations, 2 chips, 100 steps: 8.5e-7 J per chip-step
    assert calibration.overhead_per_step(2.7e-4, 1.0e-4, 2, 100) == pytest.approx(1.7e-4 / 200)


def test_the_speck_fit_is_the_published_reading(derived):
    # (9.5 - 0.42) mW x 0.54 s / (1e6 spikes x 288 synapses), about 17 pJ (hardware.md section 7)
    assert derived["speck:cost.synop_pj"] == pytest.approx(9.08e-3 * 0.54 / 288e6)


def test_rows_have_the_published_keys_and_a_fitted_row_per_chip(rows):
    for row in rows:
        data = row.to_row()
        assert {"chip", "workload", "source", "modelled", "gap", "used_for_fit"} <= set(data)
        assert ("published_j_per_inference" in data) != ("published_w" in data)
        assert data["gap"] == pytest.approx(data["modelled"] / row.published - 1)
    chips = {row.chip for row in rows}
    assert {"loihi", "loihi2", "speck", "xylo", "truenorth", "spinnaker", "cpu", "gpu", "horowitz45nm"} <= chips


def test_a_fitted_row_reproduces_its_measurement_and_a_chip_with_one_measurement_says_so(rows):
    fitted = [row for row in rows if row.used_for_fit]
    assert {row.chip for row in fitted} == {"loihi", "loihi2", "speck", "xylo"}
    for row in fitted:
        assert abs(row.gap) < 0.02, row  # exact up to the digits written and whole steps
    for chip in ("loihi2", "xylo"):
        assert all(row.used_for_fit for row in rows if row.chip == chip)
        assert all("no independent" in row.note for row in rows if row.chip == chip)


def test_speck_fits_one_operating_point_and_holds_out_the_other_three(rows):
    speck = [row for row in rows if row.chip == "speck"]
    assert len(speck) == 4 and sum(row.used_for_fit for row in speck) == 1
    held = next(row for row in speck if "dynamic" in row.workload)
    assert not held.used_for_fit and abs(held.gap) <= 0.25


@pytest.mark.parametrize("chip", ["loihi", "loihi2", "speck", "xylo", "truenorth", "spinnaker", "spinnaker2"])
def test_every_shipped_chip_bills_a_total(chip):
    breakdown = hp.estimate(hp.load(chip).cost, {"synops": 100.0, "graded_synops": 10.0, "neuron_updates": 5.0,
                                                 "events": 3.0}, steps=4, chips=1, cores=2)
    assert breakdown.total_j is not None and breakdown.total_j > 0


def test_the_benchmark_script_writes_one_row_per_measurement(tmp_path, capsys):
    import importlib.util
    import json
    import sys
    from pathlib import Path

    path = Path(__file__).parents[2] / "benchmarks" / "silicon_calibration.py"
    spec = importlib.util.spec_from_file_location("silicon_calibration", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out = tmp_path / "calibration.json"
    argv, sys.argv = sys.argv, ["silicon_calibration.py", "--json", str(out)]
    try:
        script.main()
    finally:
        sys.argv = argv
    rows = json.loads(out.read_text())
    assert len(rows) == len(calibration.calibration_rows())
    assert "| speck | DVS Gesture, vanilla SNN |" in capsys.readouterr().out
