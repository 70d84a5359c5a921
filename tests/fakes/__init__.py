"""Fakes of outside services for tests. `running_fake_adyen()` starts and stops the fake Adyen Checkout API;
a test module makes it a fixture (see tests/services/test_adyen_gateway.py)."""

from collections.abc import Iterator
from contextlib import contextmanager

from tests.fakes.adyen_server import FakeAdyen, RecordedRequest

__all__ = ["FakeAdyen", "RecordedRequest", "running_fake_adyen"]


@contextmanager
def running_fake_adyen() -> Iterator[FakeAdyen]:
    fake = FakeAdyen()
    try:
        yield fake
    finally:
        fake.stop()
