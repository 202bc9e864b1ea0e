#!/usr/bin/env python
"""Render time and page count of every report on the demo data.

    .venv/bin/python scripts/benchmark_reports.py [--county rhein-sieg-kreis] [--rounds 3]

Works on a temporary SQLite database (migrated, demo data loaded) and a
temporary PDF cache, so it touches neither db.sqlite3 nor var/cache. For each
report it prints the cold time (data, HTML and PDF with an empty cache; best of
--rounds, each round with a fresh cache), the warm time (the same request again,
served from the cache) and the page count. First of all it times what a fresh
process pays for its first paper, the KIM paper: WeasyPrint's import, its first
layout and the paper; that must stay under 3 s (exit status 1 if not). Each PDF
and page 1 as a PNG go to var/reports/.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "reports"
KIM_BUDGET = 3.0  # seconds, cold, including WeasyPrint's import


def setup_scratch_django(tmp: str) -> None:
    """Django on a new SQLite file and report cache in the directory ``tmp``, nothing of the checkout's touched
    (also scripts/benchmark_lists.py)."""
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/benchmark.sqlite3"
    os.environ["KIMPORTAL_REPORT_CACHE"] = f"{tmp}/cache"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimportal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--county", default="rhein-sieg-kreis")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kimportal-benchmark-") as tmp:
        setup_scratch_django(tmp)
        from django.core.cache import caches
        from django.core.management import call_command

        from kimportal.models import County
        from reports.registry import all_reports, get_report
        from reports.rendering import CACHE_ALIAS, page_count, paper_pdf, write_first_page_png
        from reports.selectors import paper_context

        call_command("migrate", verbosity=0)
        call_command("load_demo", "--no-users", verbosity=0, stdout=StringIO())
        county = County.objects.get(slug=args.county)
        cache = caches[CACHE_ALIAS]
        kim = get_report("kim")

        # What a fresh server process pays for its first paper: WeasyPrint's import, its first layout
        # (fonts, default stylesheet) and the KIM paper itself, with nothing cached.
        started, cpu_started = time.perf_counter(), time.process_time()
        import weasyprint  # noqa: F401

        import_time = time.perf_counter() - started
        paper_pdf(paper_context(kim, county, kim.default_params(county)))
        first, first_cpu = time.perf_counter() - started, time.process_time() - cpu_started

        print(f"Berichte für {county.name} (Demodaten)")
        print(f"{'Bericht':<14}{'Seiten':>7}{'kalt (s)':>10}{'warm (s)':>10}  Parameter")
        for report in all_reports():
            params = report.default_params(county)
            cold_times = []
            for _ in range(max(1, args.rounds)):
                cache.clear()
                started = time.perf_counter()
                pdf = paper_pdf(paper_context(report, county, params))
                cold_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            again = paper_pdf(paper_context(report, county, params))
            warm = time.perf_counter() - started
            assert again == pdf, "the cache served another PDF"
            OUT.mkdir(parents=True, exist_ok=True)
            (OUT / f"{report.slug}.pdf").write_bytes(pdf)
            write_first_page_png(pdf, OUT / f"{report.slug}.png")
            print(f"{report.slug:<14}{page_count(pdf):>7}{min(cold_times):>10.2f}{warm:>10.3f}  {params.describe()}")
        print("kalt: leerer Cache, bestes von --rounds; warm: dieselbe Anfrage noch einmal, aus dem Cache")
        print(f"PDFs und Seite 1 als PNG: {OUT}")
        verdict = "unter" if first < KIM_BUDGET else "ÜBER"
        print(f"KIM-Vorlage als erstes PDF eines frischen Prozesses: {first:.2f} s ({verdict} {KIM_BUDGET:.0f} s), "
              f"davon WeasyPrint-Import {import_time:.2f} s; Rechenzeit {first_cpu:.2f} s "
              f"(Last: {os.getloadavg()[0]:.1f} auf {os.cpu_count()} Kernen)")
        return 0 if first < KIM_BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
