"""Instruction counts per request: callgrind's total read right, one real count when valgrind
is installed (a count is a figure to read, not asserted: only that it is plausible)."""

from __future__ import annotations

import shutil

import pytest

from bench.instructions import instructions_per_request, parse_collected

VALGRIND_EXIT = """==4242== Callgrind, a call-graph generating cache profiler
==4242== For interactive control, run 'callgrind_control -h'.
==4242==
==4242== Events    : Ir
==4242== Collected : 276034512
==4242==
==4242== I   refs:      276,034,512
"""


def test_the_collected_count_is_read_from_valgrinds_report():
    assert parse_collected(VALGRIND_EXIT) == 276_034_512


@pytest.mark.parametrize("output", ["", "Traceback (most recent call last):\n  ..."])
def test_no_count_is_an_error_not_a_zero(output):
    with pytest.raises(ValueError, match="no instruction count"):
        parse_collected(output)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_a_warm_list_page_counts_millions_of_instructions_not_the_start_up():
    count = instructions_per_request("list-25-warm", requests=2, customers=1000)
    # Django starting up is ~10,000 M instructions; a warm page is tens of millions.
    assert 5_000_000 < count < 200_000_000


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_the_sync_walk_and_its_floor_are_counted_per_page():
    from bench.sync_instructions import instructions_per_page

    per_page = instructions_per_page(4000)
    # A page of 1,000 customers: gunzip and decoding alone are millions of instructions,
    # and the walk does that and more (bench/README.md: about 2.6x).
    assert 5_000_000 < per_page["floor"] < per_page["walk"] < 20 * per_page["floor"]
