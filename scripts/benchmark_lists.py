#!/usr/bin/env python
"""The position list against the Django admin changelist of the same 500 rows (issue 13, "Lean lists").

    .venv/bin/python scripts/benchmark_lists.py [--rows 500] [--rounds 9] [--profile]

Works on a temporary SQLite database (migrated, demo data and users loaded), so it touches neither db.sqlite3
nor var/. It adds a county ("Benchmarkkreis") with --rows positions and a KI-staff user for it, then requests,
interleaved round by round through the test client:

- the position list /stellen/?per_page=<rows> as that KI-staff user (all rows on one page),
- the admin changelist /admin/staffing/position/?county__id__exact=<id> as the demo administrator, with the
  admin's list_per_page raised to <rows> for the run, so it shows the same rows.

It prints the median time of each, their queries and the ratio list/admin; the goal is at most 1,0×.
With --profile it also prints cProfile's top functions (cumulative time) of one position-list request.
Exit status 1 if a page does not answer 200 or shows fewer rows than it should.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

from benchmark_reports import setup_scratch_django  # scripts/ is on the path of a script run from it

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.0  # list time / admin time


def add_positions(rows: int):
    """A county with ``rows`` positions of varied modules, pay grades, FTE, states and dates; its KI-staff user."""
    from django.contrib.auth.models import Group

    from kimportal import roles
    from kimportal.models import County, Partner, User
    from programmes.models import FundedSlot, Module
    from staffing.models import PayGrade, Position

    county = County.objects.create(name="Benchmarkkreis", slug="benchmarkkreis")
    employer = Partner.objects.create(county=county, name="Caritasverband Benchmark", kind=Partner.Kind.choices[0][0])
    modules = list(Module.objects.filter(programme__county__isnull=True).order_by("pk"))
    slots = {}
    for slot in FundedSlot.objects.order_by("pk"):
        slots.setdefault(slot.module_id, slot)
    grades = list(PayGrade.objects.order_by("pk"))
    statuses = [choice for choice, _ in Position.Status.choices]
    ftes = [Decimal("1"), Decimal("0.5"), Decimal("0.75"), Decimal("0.625")]
    positions = []
    for i in range(rows):
        module = modules[i % len(modules)]
        start = date(2021 + i % 3, 1 + i % 12, 1)
        positions.append(Position(
            county=county, title=f"Sachbearbeitung Integration {i + 1:03d}", position_number=f"B-{i + 1:04d}",
            holder_name=f"Person {i + 1}", unit=f"Amt {10 + i % 7}", module=module, funded_slot=slots.get(module.pk)
            if i % 2 else None, pay_grade=grades[i % len(grades)], fte=ftes[i % len(ftes)],
            status=statuses[i % len(statuses)], start_on=start,
            fixed_term_until=date(start.year + 3, 12, 31) if i % 3 else None,
            employer=employer if i % 5 == 0 else None))
    Position.objects.bulk_create(positions)
    user = User.objects.create(username="ki-benchmark", county=county)
    user.groups.set([Group.objects.get(name=roles.KI_STAFF)])
    return county, user


def admin_client():
    """The demo administrator, logged in with the second factor passed (as tests/conftest.py does)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kimportal.models import User

    user = User.objects.get(username="admin")
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="Benchmark", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def timed(client, url: str, expected_rows: int, marker: str) -> tuple[float, int]:
    """Seconds and queries of one GET; fails loudly if the page is not the full list."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    body = response.content.decode()
    if response.status_code != 200 or body.count(marker) < expected_rows:
        raise SystemExit(f"{url}: status {response.status_code}, {body.count(marker)} rows instead of {expected_rows}")
    return elapsed, len(queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions of the list")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kimportal-lists-") as tmp:
        setup_scratch_django(tmp)
        from django.conf import settings
        from django.contrib import admin
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment

        from staffing.models import Position

        setup_test_environment()  # the test client's hosts; the timings do not depend on it
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        settings.AXES_ENABLED = False
        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0, stdout=StringIO())
        county, ki_user = add_positions(args.rows)
        position_admin = admin.site._registry[Position]
        position_admin.list_per_page = position_admin.list_max_show_all = args.rows

        ki = Client()
        ki.force_login(ki_user)
        administrator = admin_client()
        list_url = f"/stellen/?per_page={args.rows}"
        admin_url = f"/admin/staffing/position/?county__id__exact={county.pk}"
        # A row of each: the list links every title to the detail page, the admin to the change page.
        pages = {"Stellenliste": (ki, list_url, 'href="/stellen/'),
                 "Admin-Liste": (administrator, admin_url, 'href="/admin/staffing/position/')}
        for client, url, marker in pages.values():  # warm-up: templates, URL resolvers, caches
            timed(client, url, args.rows, marker)
        times = {name: [] for name in pages}
        queries = {}
        for _ in range(max(1, args.rounds)):
            for name, (client, url, marker) in pages.items():
                elapsed, queries[name] = timed(client, url, args.rows, marker)
                times[name].append(elapsed)

        print(f"Stellenliste gegen Admin-Liste, {args.rows} Zeilen, {args.rounds} Runden abwechselnd (Median)")
        for name, (client, url, marker) in pages.items():
            print(f"{name:<13}{statistics.median(times[name]) * 1000:>8.0f} ms{queries[name]:>5} Abfragen  {url}")
        ratio = statistics.median(times["Stellenliste"]) / statistics.median(times["Admin-Liste"])
        verdict = "erreicht" if ratio <= GOAL else "verfehlt"
        print(f"Verhältnis Stellenliste/Admin-Liste: {ratio:.2f}× (Ziel ≤ {GOAL:.1f}×: {verdict}); "
              f"Last {os.getloadavg()[0]:.1f} auf {os.cpu_count()} Kernen")

        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            ki.get(list_url)
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(30)
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(20)
        return 0


if __name__ == "__main__":
    sys.exit(main())
