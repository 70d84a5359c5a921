"""The merchant references given to the provider: each kind written exactly as it always was, and read back."""

from datetime import UTC, date, datetime

import pytest

from app.services.payments.references import Kind, Reference, make, parse


@pytest.mark.parametrize(("kind", "parts", "written"), [
    (Kind.ORDER, (2026, 42), "CMD-2026-000042"),
    (Kind.RENEWAL, (7, date(2026, 1, 5)), "REN-7-20260105"),
    (Kind.SETTLEMENT, (12, 2), "REG-12-2"),
    (Kind.SETTLEMENT, (12,), "REG-12"),
    (Kind.METHOD_UPDATE, (5,), "PMU-5"),
    (Kind.TERMINATION_EXCESS_REFUND, (9,), "RTP-9"),
    (Kind.TERMINATION, (7,), "RES-7"),
    (Kind.WITHDRAWAL_REFUND, (9,), "RET-9"),
    (Kind.UNWANTED_REFUND, (1234567,), "REM-1234567"),
])
def test_each_kind_is_written_as_before_and_read_back(kind, parts, written):
    assert make(kind, *parts) == written
    assert parse(written) == Reference(kind, parts)


def test_a_period_start_with_its_time_names_its_day():
    start = datetime(2026, 3, 31, 22, 0, tzinfo=UTC)
    reference = parse(make(Kind.RENEWAL, 7, start))
    assert reference == Reference(Kind.RENEWAL, (7, date(2026, 3, 31))) and reference.id == 7


def test_the_id_is_the_row_each_kind_names():
    assert parse("CMD-2026-000042").id == 42
    assert parse("REG-12-2").id == 12


@pytest.mark.parametrize("text", [
    "", "CMD", "CMD-", "ORD-000042", "cmd-2026-000042", "CMD-2026-42", "CMD-2026-000042-1", "CMD-T-5",
    "REN-7-2026015", "REN-7-20261340", "REN-07-20260105", "REG-12-2-3", "REG--2", "PMU-0042", "PMU-4 2",
    "PMU-٤٢", "PMU-" + "9" * 40, "RES-7-", "TMP-0a1b2c3d",
])
def test_anything_else_is_no_reference_of_this_portal(text):
    assert parse(text) is None


@pytest.mark.parametrize(("kind", "parts"), [
    (Kind.ORDER, (42,)), (Kind.SETTLEMENT, (1, 2, 3)), (Kind.RENEWAL, (7, 20260105)), (Kind.METHOD_UPDATE, ()),
])
def test_a_reference_is_never_made_of_the_wrong_parts(kind, parts):
    with pytest.raises((ValueError, TypeError)):
        make(kind, *parts)
