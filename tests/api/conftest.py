from tests.leads.scan_fixtures import *  # noqa: F403
