"""Fixtures of the security tests: the scan API's devices and badges (tests/leads)."""

from tests.leads.scan_fixtures import *  # noqa: F403
