"""The reports. Importing this package registers every one of them (reports.registry.register).

Adding a report, e.g. ``risiko``:

1. ``reports/papers/risiko.py``: a subclass of ``reports.registry.Report`` decorated with
   ``@register``, with ``slug = "risiko"``, a German ``title`` and ``description``, the
   ``parameters`` it takes (PERIOD, SCENARIO, FISCAL_YEAR), optional default texts
   (``default_subject``, ``default_preliminary_remarks``, ``default_explanations``; override
   ``default_texts(county)`` where they name the county's units or the county, as kim.py does for a
   kreisfreie Stadt with kimportal.terms) and ``landscape = True`` for wide tables. Implement
   ``build(county, params, *, show_names=False) -> dict`` from budgeting.selectors and the
   engine (helpers in reports/papers/common.py), optionally with a ``"financial_effects"`` key
   as common.financial_effects returns it, and ``figures(data) -> [(key, label, value)]``
   for the list of changes of an issued paper.
2. Import the module below.
3. ``templates/reports/body/risiko.html``: the report's own part of the paper; it gets
   ``data`` (the JSON of build), ``params`` and ``county``. The header, texts, financial
   effects, signature and footer come from reports/paper.html.
4. Add the slug to REPORT_SLUGS in tests/reports/test_pdf.py: it then gets the PDF, PNG and
   command tests.
"""
# In the order the report list shows them (issue 4): the committee paper first.
from reports.papers import kim, risiko, haushalt, stellenplan, ziele, antraege, verwendungsnachweis  # noqa: F401, I001
