"""Both APIs fuzzed at length on PostgreSQL: no request may cause a server error.

    .venv/bin/python bench/api_fuzz.py [--examples 300] [--database fairlead_apifuzz]

Drops and creates ``--database``, migrates it, creates a fair with badges, a paired scanner
device and an organizer API token, and sends schemathesis-generated requests for every
operation of ``/api/scan/`` and ``/api/v1/`` (schema-valid and schema-violating ones,
``--examples`` each) through the WSGI application, DEBUG off. Strings may contain NUL
characters (schemathesis' default) and every ``date-time`` is drawn half the time from extreme
values (year 1 with a positive offset, year 9999 with a negative one, naive times, 1999 …).
Every answer is checked with ALL of schemathesis' checks; the figures printed are the requests
sent, the server errors (5xx: must be 0) and the findings of every other check (the two
heuristics about business rules, see tests/security/test_api_fuzz.py, are expected to report).
"""

import argparse
import collections
import contextlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scan_load

EXTREME_TIMES = [
    "0001-01-01T00:00:00+05:00",
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00",
    "0196-09-14T14:35:22+00:53",
    "1999-12-31T23:59:59+01:00",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59Z",
    "2019-02-13T09:00:00",
    "2019-02-13T09:00:00+01:00",
]


@dataclass
class Tally:
    authorization: str
    requests: int = 0
    statuses: collections.Counter = field(default_factory=collections.Counter)
    findings: collections.Counter = field(default_factory=collections.Counter)
    server_errors: list = field(default_factory=list)

    def sender(self, label: str):
        def send(case) -> None:
            self.send(case, label)

        return send

    def send(self, case, label: str) -> None:
        headers = {"Authorization": self.authorization}
        response = case.call(headers=headers)
        self.requests += 1
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.server_errors.append(f"{label}: {response.text[:200]}")
        try:
            case.validate_response(response, headers=headers)
        except BaseExceptionGroup as group:  # counted by check; the run goes on
            for failure in group.exceptions:
                title = getattr(failure, "title", type(failure).__name__)
                self.findings[f"{label}: {title}"] += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=300, help="per operation and mode")
    parser.add_argument("--database", default="fairlead_apifuzz", help="dropped and created")
    args = parser.parse_args()

    env = scan_load.environment(args.database)
    env["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    env["FAIRLEAD_RATE_LIMITS"] = (
        "pairing_ip=100000000/600,scans_device=100000000/600,"
        "api_token=100000000/60,api_anon_ip=100000000/60"
    )
    scan_load.database_recreate(args.database, env)
    tokens, _codes, exhibitor_id = scan_load.data_create(env=env, devices=1, badges=50)

    import schemathesis
    from django.contrib.auth.models import User
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode

    from api.v1.services import api_token_create
    from fair.wsgi import application

    organizer = User.objects.create_user("fuzz-organizer", password="x-9", is_staff=True)
    _token, organizer_key = api_token_create(name="Fuzzer", user=organizer)

    default_times = st.datetimes(timezones=st.timezones()).map(lambda value: value.isoformat())
    schemathesis.openapi.format("date-time", st.sampled_from(EXTREME_TIMES) | default_times)

    fuzz_settings = settings(
        max_examples=args.examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    apis = [
        ("scan API", "/api/scan/openapi.json", f"Bearer {tokens[0]}"),
        ("back-office API", "/api/v1/schema/?format=openapi-json", f"Bearer {organizer_key}"),
    ]
    total_errors = 0
    for label, schema_path, authorization in apis:
        schema = schemathesis.openapi.from_wsgi(schema_path, application)
        tally = Tally(authorization)
        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                run = fuzz_settings(
                    given(case=operation.as_strategy(generation_mode=mode))(
                        tally.sender(operation.label)
                    )
                )
                with contextlib.suppress(Unsatisfiable):
                    run()
        total_errors += len(tally.server_errors)
        print(
            f"{label}: {tally.requests} requests, {len(tally.server_errors)} server errors (5xx);"
            f" statuses {dict(sorted(tally.statuses.items()))}"
        )
        for line in tally.server_errors[:10]:
            print(f"  5xx: {line}")
        for finding, count in sorted(tally.findings.items()):
            print(f"  check finding: {finding} × {count}")
    print(f"SUMMARY api_fuzz examples={args.examples} server_errors={total_errors}")
    from django.db import connection

    connection.close()
    del exhibitor_id
    return 1 if total_errors else 0


if __name__ == "__main__":
    sys.exit(main())
