#!/usr/bin/env python
"""State-scale benchmark (issue 13): every row of the issue's table, as a ratio against its reference and absolute.

    .venv/bin/python scripts/benchmark_state.py [--database-url URL] [--rounds 5] [--csv var/benchmarks/state.csv]
                                                [--quick] [--load-seconds 10]

Builds a fresh database (PostgreSQL: a new database ``kimportal_bench_<pid>`` on the server of ``--database-url``,
dropped afterwards; SQLite or no URL: a temporary file), migrates, loads the demo and runs ``make_state_scale``
(54 counties, about 3.000 positions, the largest with 600; ``--quick``: 10 counties, the largest with 200). Then it
measures interleaved, in one run: each round runs a target and right after it its reference (the Django admin's
changelist, a bare Decimal loop, plain WeasyPrint); the table shows medians over the rounds. Query counts come from
CaptureQueriesContext, times from perf_counter around the test client's request (the whole middleware stack, no
HTTP). Load: 3 gunicorn workers if gunicorn is installed (the ``prod`` extra), else 3 processes with a test client
each. Papers: a fresh process renders the paper with empty caches and asks again, another renders as many pages of
plain tables; each reports its time and peak memory (VmHWM). The settings are the quick start's (DEBUG on, the
default caches); nothing touches db.sqlite3 or var/cache.

The dashboard and the own-share page are timed as a user meets them with unchanged data (the second request: one
calculation per data version, issue 13); the first request after the caches are emptied has a row of its own.

The CSV gets one row per measure (name, value, reference, ratio, goal, met, timestamp, git commit, unit, database,
scale), appended, so the next change can be compared. Exit status 0 even where a goal is missed: the table says so.
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import csv
import json
import os
import pstats
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PLAIN_ROWS = 25  # rows of 6 bordered cells in one plain table, one table a page
TODAY_REQ_S = Decimal("10.9")  # issue 13: the dashboard under load with 3 workers before the work on it


# --------------------------------------------------------------------------- plain WeasyPrint (the reference)


def plain_html(pages: int, rows: int = PLAIN_ROWS) -> str:
    """An HTML of ``pages`` bordered tables of ``rows`` rows (one a page) with a running header and page numbers, in the
    papers' font and size; the papers' densest tables have fewer cells a page."""
    head = "".join(f"<th>{h}</th>" for h in ("Stelle", "Baustein", "EG", "VZÄ", "Gesamtkosten", "Eigenanteil"))
    cols = "<colgroup>" + "".join(f"<col style=width:{w}%>" for w in (22, 22, 8, 12, 18, 18)) + "</colgroup>"
    body = []
    for page in range(pages):
        lines = "".join(f"<tr><td>Stelle {page + 1}-{row + 1}</td><td>Baustein 2</td><td>S12</td><td class=n>1,000</td>"
                        f"<td class=n>{95380 + row:_} €</td><td class=n>{40380 + row:_} €</td></tr>".replace("_", ".")
                        for row in range(rows))
        body.append(f"<h2>Tabelle {page + 1}</h2><table>{cols}<thead><tr>{head}</tr></thead><tbody>{lines}</tbody>"
                    "</table>")
    box = "font-family:'Liberation Sans',sans-serif;font-size:8pt"
    css = (f"@page{{size:A4;margin:2.5cm 2cm 2.5cm 2.5cm;@top-left{{content:'Kreis, Amt';{box}}}"
           f"@bottom-right{{content:'Seite ' counter(page) ' von ' counter(pages);{box}}}}}"
           "body{font-family:'Liberation Sans',sans-serif;font-size:10.5pt}"
           "table{width:100%;border-collapse:collapse;table-layout:fixed;break-after:page}"
           "table:last-child{break-after:auto}td,th{border:.5pt solid #444;padding:2pt 4pt}td.n{text-align:right}")
    return (f"<!doctype html><html lang=de><head><meta charset=utf-8><style>{css}</style></head>"
            f"<body>{''.join(body)}</body></html>")


def render_plain(pages: int) -> tuple[bytes, int]:
    import weasyprint

    document = weasyprint.HTML(string=plain_html(pages)).render()
    return document.write_pdf(), len(document.pages)


def child_main(args) -> int:
    """A fresh process that renders one thing and prints one JSON line: peak memory (KB), pages, the seconds of the
    rendering with empty caches ("cold") and, for a paper, of the same request again with unchanged data ("again").
    WeasyPrint is imported before the clock in both kinds of process."""
    import weasyprint  # noqa: F401  (its import is not part of the rendering)

    if args.child == "plain":
        started = time.perf_counter()
        _, pages = render_plain(args.child_pages)
        print(json.dumps({"rss_kb": peak_rss_kb(), "pages": pages, "cold": time.perf_counter() - started}))
        return 0
    setup_django()
    from django.contrib.auth import get_user_model
    from django.test import Client

    clear_caches()
    client = Client(SERVER_NAME="localhost")
    client.force_login(get_user_model().objects.get(username=args.child_user))
    times = []
    for _ in range(2):
        started = time.perf_counter()
        response = client.get(args.child_url)
        times.append(time.perf_counter() - started)
        if response.status_code != 200 or response.get("Content-Type") != "application/pdf":
            print(json.dumps({"error": f"{args.child_url}: HTTP {response.status_code}"}))
            return 1
    print(json.dumps({"rss_kb": peak_rss_kb(), "pages": pdf_pages(response.content), "cold": times[0],
                      "again": times[1]}))
    return 0


def peak_rss_kb() -> int:
    """This process's peak resident memory (KB): VmHWM, which a new program starts afresh. ru_maxrss would also
    count the parent's memory copied by the fork before the exec (Linux keeps it across execve)."""
    import resource

    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# --------------------------------------------------------------------------- database and Django


@contextlib.contextmanager
def bench_database(url: str | None):
    """A fresh, empty database URL: a temporary SQLite file, or a new PostgreSQL database dropped afterwards."""
    if not url or url.startswith("sqlite"):
        with tempfile.TemporaryDirectory(prefix="kimportal-state-") as tmp:
            yield f"sqlite:///{tmp}/state.sqlite3", "SQLite"
        return
    import psycopg

    parts = urlsplit(url)
    name = f"kimportal_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}")), f"PostgreSQL ({parts.hostname}, Datenbank {name})"
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(url, autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimportal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def clear_caches():
    """Empty every configured cache (rendered papers, engine results): the next request computes afresh."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()


def pdf_pages(pdf: bytes) -> int:
    from reports.rendering import page_count

    return page_count(pdf)


def git_commit() -> str:
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unbekannt"
    return f"{commit}+geändert" if git("status", "--porcelain", "--untracked-files=no") else commit


# --------------------------------------------------------------------------- measuring


@dataclass
class Row:
    """One line of the table: ``value`` against ``reference``; ``ratio`` as the goal states it."""

    name: str
    label: str
    unit: str
    value: float
    reference: float | None = None
    ratio: float | None = None
    goal: str = "—"
    met: bool | None = None


class Bench:
    """The clients (a KI staff member of the largest county, an administrator past the second factor), the counties
    and the samples of the rounds."""

    def __init__(self, largest, user, admin):
        from django.test import Client

        from kimportal.models import County

        self.largest, self.size = largest, largest.positions.count()
        self.ki = Client(SERVER_NAME="localhost")
        self.ki.force_login(user)
        self.admin = Client(SERVER_NAME="localhost")
        self.admin.force_login(admin)
        second_factor(self.admin, admin)
        self.samples: dict[str, list[float]] = {}
        self.counties = list(County.objects.filter(slug__startswith="lastprobe-").order_by("slug"))

    def sample(self, name, value):
        self.samples.setdefault(name, []).append(value)

    def median(self, name):
        return statistics.median(self.samples[name])

    def get(self, client, url, kind="text/html") -> tuple[float, object]:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        if response.status_code != 200 or kind not in response.get("Content-Type", ""):
            raise SystemExit(f"{url}: HTTP {response.status_code} {response.get('Content-Type')}")
        return elapsed, response

    def queries(self, client, url) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            self.get(client, url)
        return len(captured.captured_queries)


def second_factor(client, user):
    """Administrators pass a second factor (accounts.middleware); as tests/conftest.pass_second_factor."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="Benchmark", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def admin_changelist(county, per_page: int | None = None) -> str:
    """The admin's list of the county's positions; ``per_page`` rows a page (the ModelAdmin's setting, in-process)."""
    from django.contrib import admin
    from django.urls import reverse

    from staffing.models import Position

    admin.site._registry[Position].list_per_page = per_page or 100
    return f"{reverse('admin:staffing_position_changelist')}?county__id__exact={county.pk}"


def engine_inputs(county, start, end):
    """The engine's input for a county and period, and what the bare loop needs, prepared outside the timing: the
    months with their last days, each pay grade's KGSt cost per year, each block's annual rate per unit per month."""
    from budgeting import calculations as calc
    from budgeting.selectors import calculation_input

    data = calculation_input(county, start, end)
    months = [(m, calc.month_end(m)) for m in calc.months_between(data.start, data.end)]
    years = {m.year for m, _ in months}
    costs = {grade: {y: Decimal(by_year[max(k for k in by_year if k <= y)]) for y in years}
             for grade, by_year in data.workplace_costs.items() if any(k <= min(years) for k in by_year)}
    rates = [[sum((r.annual for r in block.rates if r.kind == calc.RATE and r.valid_from <= last
                   and (r.valid_until is None or r.valid_until >= first)), Decimal(0)) for first, last in months]
             for block in data.blocks]
    return data, months, costs, rates


def bare_loop(data, months, costs, rates) -> Decimal:
    """The engine's arithmetic at its heart, nothing else: for every position and month its cost (FTE × KGSt cost / 12),
    its grant (FTE or one slot × the block's rate / 12, at most the cost) and its own share, summed per block and
    rounded to whole euros."""
    twelve, total = Decimal(12), Decimal(0)
    for block, block_rates in zip(data.blocks, rates):
        per_slot = block.basis == "per_slot"
        own = Decimal(0)
        for position in block.positions:
            by_year, units = costs[position.pay_grade], 1 if per_slot else position.fte
            for (first, last), rate in zip(months, block_rates):
                if (position.start_on is None or position.start_on <= last) and (
                        position.end_on is None or position.end_on >= first):
                    cost = position.fte * by_year[first.year] / twelve
                    own += cost - min(cost, units * rate / twelve)
        total += own.quantize(Decimal(1))
    return total


def month_end_calls(data) -> int:
    from budgeting import calculations as calc

    profile = cProfile.Profile()
    profile.runcall(calc.calculate, data)
    stats = pstats.Stats(profile).stats
    return sum(calls for (_, _, name), (_, calls, *_) in stats.items() if name == "month_end")


def load(url: str, cookie: tuple[str, str], seconds: float, server: str | None) -> float:
    """Requests per second of 3 clients for ``seconds`` (only answers 200 with a body count)."""
    if server:
        return _load_http(server + url, cookie, seconds)
    import multiprocessing

    from django.db import connections

    connections.close_all()  # every worker opens its own
    with multiprocessing.get_context("fork").Pool(3) as pool:
        rates = pool.starmap(_hammer_client, [(url, cookie, seconds)] * 3)
    return sum(rates)


def _rate(request, seconds) -> float:
    """Good answers per second of ``request()`` (True: 200 with a body) called in a loop for ``seconds``, at least
    once."""
    done, tried, started = 0, 0, time.perf_counter()
    while not tried or time.perf_counter() - started < seconds:
        tried += 1
        done += request()
    return done / (time.perf_counter() - started)


def _hammer_client(url, cookie, seconds) -> float:
    from django.db import connections
    from django.test import Client

    client = Client(SERVER_NAME="localhost")
    client.cookies[cookie[0]] = cookie[1]
    rate = _rate(lambda: (lambda r: r.status_code == 200 and len(r.content) > 1000)(client.get(url)), seconds)
    connections.close_all()
    return rate


def _load_http(url, cookie, seconds) -> float:
    import http.client

    parts, rates = urlsplit(url), []

    def request() -> bool:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
        try:
            connection.request("GET", f"{parts.path}?{parts.query}", headers={"Cookie": f"{cookie[0]}={cookie[1]}"})
            response = connection.getresponse()
            return response.status == 200 and len(response.read()) > 1000
        finally:
            connection.close()

    threads = [threading.Thread(target=lambda: rates.append(_rate(request, seconds))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(rates)


@contextlib.contextmanager
def gunicorn_server():
    """3 gunicorn workers on a free local port if gunicorn is installed, else None (test clients in 3 processes)."""
    import importlib.util

    if importlib.util.find_spec("gunicorn") is None:
        yield None
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "kimportal.wsgi:application", "--workers", "3",
                               "--bind", f"127.0.0.1:{port}", "--timeout", "300", "--log-level", "warning"],
                              cwd=ROOT, env=os.environ.copy())
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def child_rss(tmp: str, *options) -> dict:
    """Run this script as a child that renders one thing; its JSON line (rss_kb, pages, seconds)."""
    env = {**os.environ, "KIMPORTAL_REPORT_CACHE": tempfile.mkdtemp(dir=tmp)}
    done = subprocess.run([sys.executable, __file__, *options], env=env, capture_output=True, text=True,
                          timeout=900, cwd=ROOT)
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        raise SystemExit(f"Unterprozess {options}: {done.stderr.strip()[-500:] or lines}")
    return json.loads(lines[-1])


# --------------------------------------------------------------------------- the run


def measure(bench: Bench, args, tmp: str) -> list[Row]:
    """Run the rounds (each target right before its reference) and return the table's rows (medians)."""
    from datetime import date as day

    from django.urls import reverse

    from budgeting import calculations as calc
    from budgeting.state_batch import state_comparisons
    from budgeting.views import calculation_query
    from kimportal.models import County

    county, size, ki, admin = bench.largest, bench.size, bench.ki, bench.admin
    dashboard = f"{reverse('home')}?jahr=2022"
    own_share = (f"{reverse('budgeting:calculation')}?"
                 f"{calculation_query(county, day(2021, 12, 1), day(2022, 12, 1)).urlencode()}")
    list_rows = min(500, size)
    position_list = f"{reverse('staffing:position_list')}?per_page={list_rows}"
    papers = {slug: reverse("reports:report_pdf", kwargs={"slug": slug}) for slug in ("kim", "stellenplan")}
    big = engine_inputs(county, day(2021, 1, 1), day(2021 + args.years - 1, 12, 1))
    demo = engine_inputs(County.objects.get(slug="rhein-sieg-kreis"), day(2021, 12, 1), day(2022, 12, 1))

    def paper(slug):  # a fresh process renders the paper twice, another as many pages of plain tables
        made = child_rss(tmp, "--child", "paper", "--child-url", papers[slug], "--child-user", args.user)
        return made, child_rss(tmp, "--child", "plain", "--child-pages", str(made["pages"]))

    def state(name):  # every county's own share for 2022, the inputs read together (budgeting.state_batch)
        started = time.perf_counter()
        state_comparisons(bench.counties, day(2022, 1, 1), day(2022, 12, 1))
        bench.sample(name, time.perf_counter() - started)

    for client, url in ((ki, dashboard), (ki, own_share), (ki, position_list), (admin, admin_changelist(county))):
        bench.get(client, url)  # warm-up: templates, imports, the first connection
    with gunicorn_server() as server:
        how = "3 gunicorn-Worker" if server else "3 Prozesse mit Test-Client"
        if server and args.load_seconds > 0:
            for url, who in ((dashboard, ki), (admin_changelist(county), admin)):
                load(url, cookie(who), 0, server)  # each client one request: the new workers' first requests
        for number in range(1, args.rounds + 1):
            started = time.perf_counter()
            clear_caches()
            bench.sample("dashboard_cold", bench.get(ki, dashboard)[0])
            bench.sample("dashboard", bench.get(ki, dashboard)[0])
            bench.sample("dashboard_ref", bench.get(admin, admin_changelist(county))[0])
            bench.sample("own_share_cold", bench.get(ki, own_share)[0])  # first request after the caches' reset
            bench.sample("own_share", bench.get(ki, own_share)[0])
            bench.sample("own_share_ref", bench.get(admin, admin_changelist(county))[0])
            bench.sample("list", bench.get(ki, position_list)[0])
            bench.sample("list_ref", bench.get(admin, admin_changelist(county, list_rows))[0])
            for name, inputs in (("engine", big), ("engine_demo", demo)):
                bench.sample(name, timed(calc.calculate, inputs[0]))
                bench.sample(f"{name}_ref", timed(bare_loop, *inputs))
            kim, plain = paper("kim")
            for name, value in (("kim_cold", kim["cold"]), ("kim_again", kim["again"]), ("kim_plain", plain["cold"]),
                                ("kim_rss", kim["rss_kb"]), ("kim_plain_rss", plain["rss_kb"])):
                bench.sample(name, value)
            clear_caches()
            state("state")
            state("state_again")
            if args.load_seconds > 0:
                bench.get(ki, dashboard)  # the steady state: the whole state's run above left other results cached
                bench.sample("load", load(dashboard, cookie(ki), args.load_seconds, server))
                bench.sample("load_ref", load(admin_changelist(county), cookie(admin), args.load_seconds, server))
            print(f"Runde {number}/{args.rounds}: {time.perf_counter() - started:.0f} s", flush=True)
    for client, url in ((ki, dashboard), (ki, own_share)):
        bench.get(client, url)  # the pages' steady state: computed once for this data version
    queries = {name: bench.queries(client, url) for name, client, url in (
        ("dashboard", ki, dashboard), ("own_share", ki, own_share), ("admin", admin, admin_changelist(county)))}
    clear_caches()
    cold_queries = bench.queries(ki, dashboard)
    cold_queries_own_share = bench.queries(ki, own_share)
    staffing_plan, staffing_plain = paper("stellenplan")
    return rows_of(bench, queries, (cold_queries, cold_queries_own_share), month_end_calls(big[0]), how, len(big[1]),
                   list_rows, kim["pages"], staffing_plan, staffing_plain)


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def rows_of(bench, queries, cold_queries, calls, how, months, list_rows, kim_pages, staffing_plan, staffing_plain):
    """The table: medians of the rounds against their references, with the goals of issue 13."""
    m, ms, size, n_counties = bench.median, (lambda name: bench.median(name) * 1000), bench.size, len(bench.counties)
    rows = [
        Row("dashboard_queries", f"Dashboard /, Abfragen ({size} Stellen)", "Abfr.", queries["dashboard"],
            queries["admin"], queries["dashboard"] / queries["admin"], "≤ 15", queries["dashboard"] <= 15),
        Row("dashboard_ms", f"Dashboard /, Zeit ({size} Stellen)", "ms", ms("dashboard"), ms("dashboard_ref"),
            m("dashboard") / m("dashboard_ref"), "≤ 100 ms", ms("dashboard") <= 100),
        Row("dashboard_cold_ms", f"Dashboard /, erste Anfrage nach Änderung ({cold_queries[0]} Abfr.)", "ms",
            ms("dashboard_cold"), ms("dashboard_ref"), m("dashboard_cold") / m("dashboard_ref")),
    ]
    if "load" in bench.samples:
        goal = TODAY_REQ_S * 5
        rows.append(Row("dashboard_req_s", f"Dashboard / unter Last, {how}", "Anfr./s", m("load"), m("load_ref"),
                        m("load") / m("load_ref"), f"≥ {number(goal)} (5 × {number(TODAY_REQ_S)})",
                        m("load") >= float(goal)))
    kim_rss, plain_rss = m("kim_rss"), m("kim_plain_rss")
    staffing_ratio = staffing_plan["rss_kb"] / staffing_plain["rss_kb"]
    rows += [
        Row("own_share_queries", "Eigenanteile, alle Szenarien: Abfragen", "Abfr.", queries["own_share"],
            queries["admin"], queries["own_share"] / queries["admin"], "≤ 15", queries["own_share"] <= 15),
        Row("own_share_ms", "Eigenanteile, alle Szenarien: Zeit", "ms", ms("own_share"), ms("own_share_ref"),
            m("own_share") / m("own_share_ref"), "≤ 100 ms", ms("own_share") <= 100),
        Row("own_share_cold_ms", f"Eigenanteile, erste Anfrage nach Änderung ({cold_queries[1]} Abfr.)", "ms",
            ms("own_share_cold"), ms("own_share_ref"), m("own_share_cold") / m("own_share_ref")),
        Row("position_list_ratio", f"Stellenliste, {list_rows} Zeilen", "ms", ms("list"), ms("list_ref"),
            m("list") / m("list_ref"), "≤ 1,0×", m("list") <= m("list_ref")),
        Row("engine_ratio", f"Rechenkern, {size} Stellen × {months} Monate", "ms", ms("engine"), ms("engine_ref"),
            m("engine") / m("engine_ref"), "≤ 2×", m("engine") <= 2 * m("engine_ref")),
        Row("engine_demo_ratio", "Rechenkern, Demo (Rhein-Sieg-Kreis, 13 Monate)", "ms", ms("engine_demo"),
            ms("engine_demo_ref"), m("engine_demo") / m("engine_demo_ref"), "≤ 2×",
            m("engine_demo") <= 2 * m("engine_demo_ref")),
        Row("month_end_calls", f"Aufrufe von month_end ({size} Stellen × {months} Monate)", "", calls),
        Row("kim_again_ratio", "KIM-Vorlage erneut, Daten unverändert (erste / zweite)", "ms", ms("kim_again"),
            ms("kim_cold"), m("kim_cold") / m("kim_again"), "≥ 50×", m("kim_cold") >= 50 * m("kim_again")),
        Row("state_year_s", f"Ganzes Land, 2022, {n_counties} Kreise, kalt (Ref.: je Kreis)", "s", m("state"),
            m("state") / n_counties, None, "≤ 2 s", m("state") <= 2),
        Row("state_year_again_s", "Ganzes Land noch einmal, Daten unverändert", "s", m("state_again"),
            m("state_again") / n_counties),
        Row("kim_cold_ratio", f"KIM-Vorlage kalt, {kim_pages} S.", "ms", ms("kim_cold"), ms("kim_plain"),
            m("kim_cold") / m("kim_plain"), "≤ 1,3×", m("kim_cold") <= 1.3 * m("kim_plain")),
        Row("memory_kim", f"Spitzenspeicher KIM-Vorlage, {kim_pages} S.", "MB", kim_rss / 1024, plain_rss / 1024,
            kim_rss / plain_rss, "≤ 1,3×", kim_rss <= 1.3 * plain_rss),
        Row("memory_stellenplan", f"Spitzenspeicher Stellenplan, {staffing_plan['pages']} S.", "MB",
            staffing_plan["rss_kb"] / 1024, staffing_plain["rss_kb"] / 1024, staffing_ratio, "≤ 1,3×",
            staffing_ratio <= 1.3),
    ]
    return rows


def cookie(client) -> tuple[str, str]:
    from django.conf import settings

    return settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value


def number(value) -> str:
    """German figures: 1.234 for large values, 12,3 and 1,23 for small ones."""
    if value is None:
        return "—"
    digits = 0 if abs(value) >= 100 or float(value).is_integer() else 1 if abs(value) >= 10 else 2
    return f"{value:,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def print_table(rows: list[Row]) -> None:
    width = max(len(r.label) for r in rows)
    print(f"\n{'Messung':<{width}}  {'gemessen':>12}  {'Referenz':>12}  {'Verhältnis':>10}  {'Ziel':<22}  erreicht")
    for r in rows:
        met = "—" if r.met is None else ("ja" if r.met else "NEIN")
        ratio = "—" if r.ratio is None else f"{number(round(r.ratio, 2))}×"
        print(f"{r.label:<{width}}  {number(r.value) + ' ' + r.unit:>12}  {number(r.reference):>12}  {ratio:>10}  "
              f"{r.goal:<22}  {met}")


def write_csv(rows: list[Row], path: Path, database: str, scale: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    stamp, commit = datetime.now().astimezone().isoformat(timespec="seconds"), git_commit()
    with path.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        if new:
            writer.writerow(["name", "value", "reference", "ratio", "goal", "met", "timestamp", "git_commit", "unit",
                             "database", "scale"])
        for r in rows:
            writer.writerow([r.name, f"{r.value:.4f}", "" if r.reference is None else f"{r.reference:.4f}",
                             "" if r.ratio is None else f"{r.ratio:.4f}", r.goal, "" if r.met is None else int(r.met),
                             stamp, commit, r.unit, database.split(" ")[0], scale])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL server (a new database is made there) or sqlite:///…")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--csv", type=Path, default=ROOT / "var" / "benchmarks" / "state.csv")
    parser.add_argument("--quick", action="store_true", help="kleines Land: 10 Kreise, der größte mit 200 Stellen")
    parser.add_argument("--counties", type=int)
    parser.add_argument("--positions-largest", type=int)
    parser.add_argument("--total-positions", type=int)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--load-seconds", type=float,
                        help="Dauer je Lastmessung (Standard 10 s, --quick 5 s; 0: keine)")
    for name in ("--child", "--child-url", "--child-user"):
        parser.add_argument(name, help=argparse.SUPPRESS)
    parser.add_argument("--child-pages", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child_main(args)
    sizes = (10, 200, 500) if args.quick else (54, 600, 3000)
    args.counties = args.counties or sizes[0]
    args.positions_largest = args.positions_largest or sizes[1]
    args.total_positions = args.total_positions or sizes[2]
    if args.load_seconds is None:
        args.load_seconds = 5 if args.quick else 10
    args.rounds = max(1, args.rounds)
    args.user = "benchmark-ki"
    begun = time.perf_counter()
    with bench_database(args.database_url) as (url, database), \
            tempfile.TemporaryDirectory(prefix="kimportal-state-") as tmp:
        os.environ.update(DATABASE_URL=url, KIMPORTAL_REPORT_CACHE=f"{tmp}/cache")
        setup_django()
        from django.contrib.auth.models import Group
        from django.core.management import call_command

        from kimportal import roles
        from kimportal.models import County, User

        print(f"Datenbank: {database}", flush=True)
        for command, options in (("migrate", ()), ("createcachetable", ()), ("load_demo", ("--no-users",))):
            started = time.perf_counter()
            call_command(command, *options, verbosity=0, stdout=StringIO())
            print(f"{command}: {time.perf_counter() - started:.0f} s", flush=True)
        call_command("make_state_scale", "--counties", str(args.counties), "--positions-largest",
                     str(args.positions_largest), "--total-positions", str(args.total_positions),
                     "--years", str(args.years))
        largest = County.objects.get(slug="lastprobe-01")
        user = User.objects.create(username=args.user, county=largest)
        user.groups.add(Group.objects.get(name=roles.KI_STAFF))
        admin = User.objects.create(username="benchmark-admin", is_staff=True, is_superuser=True)
        bench = Bench(largest, user, admin)
        rows = measure(bench, args, tmp)
        scale = f"{args.counties} Kreise/{args.total_positions} Stellen/größter {bench.size}"
        load_avg = ", ".join(f"{x:.1f}".replace(".", ",") for x in os.getloadavg())
        print(f"\nStaatsgröße: {scale}, {args.rounds} Runden (Median), {database}, Commit {git_commit()}, "
              f"Last des Rechners {load_avg} auf {os.cpu_count()} Kernen")
        print_table(rows)
        write_csv(rows, args.csv, database, scale)
        print(f"\nCSV: {args.csv} (angehängt). Gesamtdauer {time.perf_counter() - begun:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
