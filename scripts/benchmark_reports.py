#!/usr/bin/env python
"""Render time and page count of every report on the demo data.

    .venv/bin/python scripts/benchmark_reports.py [--county rhein-sieg-kreis] [--rounds 3]

Works on a temporary SQLite database (migrated, demo data loaded) and a
temporary PDF cache, so it touches neither db.sqlite3 nor var/cache. For each
report it prints the cold time (data, HTML and PDF with an empty cache; best of
--rounds, each round with a fresh cache), the warm time (the same request again,
served from the cache) and the page count. WeasyPrint's import is timed on its
own: a fresh process pays it once, before its first PDF. Each PDF and page 1 as
a PNG go to var/reports/.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "reports"
KIM_BUDGET = 3.0  # seconds, cold, including WeasyPrint's import


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--county", default="rhein-sieg-kreis")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kimportal-benchmark-") as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/benchmark.sqlite3"
        os.environ["KIMPORTAL_REPORT_CACHE"] = f"{tmp}/cache"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimportal.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.cache import caches
        from django.core.management import call_command

        from kimportal.models import County
        from reports.registry import all_reports
        from reports.rendering import CACHE_ALIAS, page_count, paper_pdf, write_first_page_png
        from reports.selectors import paper_context

        call_command("migrate", verbosity=0)
        call_command("load_demo", "--no-users", verbosity=0)
        county = County.objects.get(slug=args.county)
        cache = caches[CACHE_ALIAS]

        started = time.perf_counter()
        import weasyprint  # noqa: F401

        import_time = time.perf_counter() - started
        print(f"Berichte für {county.name} (Demodaten); WeasyPrint-Import {import_time:.2f} s (einmal je Prozess)")
        print(f"{'Bericht':<14}{'Seiten':>7}{'kalt (s)':>10}{'warm (s)':>10}  Parameter")
        kim_cold = None
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
            cold = min(cold_times)
            if report.slug == "kim":
                kim_cold = cold
            OUT.mkdir(parents=True, exist_ok=True)
            (OUT / f"{report.slug}.pdf").write_bytes(pdf)
            write_first_page_png(pdf, OUT / f"{report.slug}.png")
            print(f"{report.slug:<14}{page_count(pdf):>7}{cold:>10.2f}{warm:>10.3f}  {params.describe()}")
        print(f"PDFs und Seite 1 als PNG: {OUT}")
        if kim_cold is not None:
            total = import_time + kim_cold
            verdict = "unter" if total < KIM_BUDGET else "ÜBER"
            print(f"KIM-Vorlage kalt mit Import: {total:.2f} s ({verdict} {KIM_BUDGET:.0f} s)")
            return 0 if total < KIM_BUDGET else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
