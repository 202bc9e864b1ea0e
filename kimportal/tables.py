"""Lean django-tables2 lists (issue 13, "Lean lists"): cells rendered without a template or a signature per cell.

Profiled on the position list with 500 rows (scripts/benchmark_lists.py --profile), 2,3× slower than the Django
admin's changelist of the same rows: django-tables2's ``DateColumn`` is a ``TemplateColumn`` that compiles its
template for every cell; every cell goes through ``django_tables2.utils.call_with_appropriate``, which runs
``inspect.signature`` on the column's ``render`` each time; and ``table.html`` spends half the page on template
work per cell (``column.attrs`` recomputed, three variables, two ``if`` tags).

- :class:`GermanDateColumn` and :class:`MoneyColumn` format in Python (``31.12.2022``, ``1.234,56 €``); the page
  escapes their text as any other cell. Exports get the typed ``date`` / ``Decimal``.
- :class:`LeanTable` looks up each column's arguments once per table and joins each row's cells in Python, to
  the same HTML (tests/staffing/test_lean_lists.py compares it with django-tables2's template).
"""
from datetime import date, datetime
from decimal import Decimal

import django_tables2 as tables
from django.template import Context
from django.template.base import render_value_in_context
from django.templatetags.l10n import localize as localize_filter
from django.templatetags.l10n import unlocalize as unlocalize_filter
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django_tables2.rows import BoundPinnedRow, BoundRow, BoundRows
from django_tables2.utils import signature

from kimportal.money import format_money

# django-tables2's table.html with the body of LeanTable (rows joined in Python).
LEAN_TABLE_TEMPLATE = "includes/lean_table.html"
NUM = {"th": {"class": "num"}, "td": {"class": "num"}, "tf": {"class": "num"}}
# What the table's template renders a variable with: autoescape on, the settings' localisation and time zone.
_CELL_CONTEXT = Context()


class MoneyColumn(tables.Column):
    """1.234,56 € on the page (``places`` decimals, half up); the plain ``Decimal`` in exports, so spreadsheets
    can add it up."""

    def __init__(self, *args, places: int = 2, **kwargs):
        self.places = places
        kwargs.setdefault("attrs", NUM)
        super().__init__(*args, **kwargs)

    def render(self, value) -> str:
        return format_money(value, self.places)

    def value(self, value) -> Decimal:
        return value


class GermanDateColumn(tables.Column):
    """A date as the papers write it, ``31.12.2022`` (``format`` as Django's ``date`` filter takes it); empty cells
    show the column's ``default``. Exports carry the ``date`` itself (a date cell in XLSX, ``2022-12-31`` in CSV).

    Replaces django-tables2's ``DateColumn``, which renders a template per cell, with the same text.
    """

    def __init__(self, *args, format: str = "d.m.Y", **kwargs):
        self.format = format
        super().__init__(*args, **kwargs)

    def render(self, value) -> str:
        if isinstance(value, datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)  # as the ``date`` filter shows it
        return formats.date_format(value, self.format)

    def value(self, value) -> date:
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)  # a spreadsheet knows no time zones
        return value


class LeanCells:
    """Row behaviour of :class:`LeanTable`: cell arguments looked up once per column, cells joined in Python."""

    def _call_render(self, bound_column, value=None):
        render_kwargs = self._optional_cell_arguments(bound_column, value)
        content = self._table.call_cell(bound_column, "render", render_kwargs)
        return bound_column.link(content, **render_kwargs) if bound_column.link else content

    def _call_value(self, bound_column, value=None):
        return self._table.call_cell(bound_column, "value", self._optional_cell_arguments(bound_column, value))

    @property
    def cells_html(self) -> SafeString:
        """The row's ``<td>`` cells, as django-tables2's ``table.html`` writes them, escaped the same way."""
        table = self._table
        cells = []
        for column in table.visible_columns():
            # As BoundRow.items() does: attrs computed from the record and value see this cell.
            column.current_value = cell = self.get_cell(column.name)
            column.current_record = self.record
            cells.append(format_html("<td {}>{}</td>", table.td_attributes(column), table.cell_text(column, cell)))
        return mark_safe("\n".join(cells))  # every part went through format_html


class LeanBoundRow(LeanCells, BoundRow):
    pass


class LeanBoundPinnedRow(LeanCells, BoundPinnedRow):
    pass


class LeanBoundRows(BoundRows):
    def generator_pinned_row(self, data):
        if data is not None:
            if not hasattr(data, "__iter__"):
                raise ValueError("The data for pinned rows must be iterable")
            for record in data:
                yield LeanBoundPinnedRow(record, table=self.table)

    def __iter__(self):
        yield from self.generator_pinned_row(self.pinned_data.get("top"))
        for record in self.data:
            yield LeanBoundRow(record, table=self.table)
        yield from self.generator_pinned_row(self.pinned_data.get("bottom"))

    def __getitem__(self, key):
        # A page of the paginator is a slice of the rows: it must stay lean.
        if isinstance(key, slice):
            return LeanBoundRows(data=self.data[key], table=self.table, pinned_data=self.pinned_data)
        return LeanBoundRow(record=self.data[key], table=self.table)


class LeanTable(tables.Table):
    """A ``django_tables2.Table`` whose body costs per cell no more than the Django admin's changelist.

    - Cell arguments: django-tables2 (3.0) passes a cell's ``render``/``value`` only the arguments it names
      (``value``, ``record``, ``column``, ``bound_column``, ``bound_row``, ``table``) and finds them with
      ``inspect.signature`` for every cell; here once per column and method, with the same rule (a ``**kwargs``
      method gets all of them; a method naming an argument that is not there is not called and yields ``None``).
    - Body: each row's cells are joined in Python (``includes/lean_table.html``), with the ``<td>`` attributes
      and the escaping and localisation of django-tables2's ``table.html``; the attributes are computed once per
      column unless they depend on the cell (callables). Header, footer and pagination are django-tables2's.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self._template is None and self._meta.template_name == "django_tables2/table.html":
            self.template_name = LEAN_TABLE_TEMPLATE
        self._cell_arguments: dict[tuple[str, str], tuple[tuple[str, ...], bool]] = {}
        self._td_attributes: dict[str, SafeString] = {}
        self._visible_columns = None
        self.rows = LeanBoundRows(data=self.data, table=self, pinned_data=self.pinned_data)

    def call_cell(self, bound_column, method: str, kwargs: dict):
        """Call ``bound_column.<method>`` (``render`` or ``value``) with the cell arguments it names."""
        function = getattr(bound_column, method)
        key = (bound_column.name, method)
        arguments = self._cell_arguments.get(key)
        if arguments is None:
            names, catch_all = signature(function)
            arguments = self._cell_arguments[key] = (names, catch_all is not None)
        names, takes_all = arguments
        if takes_all:
            return function(**kwargs)
        if any(name not in kwargs for name in names):
            return None
        return function(**{name: kwargs[name] for name in names})

    def visible_columns(self) -> list:
        """The shown columns in order (``table.columns``), listed once per rendering."""
        if self._visible_columns is None:
            self._visible_columns = list(self.columns)
        return self._visible_columns

    def td_attributes(self, bound_column) -> SafeString:
        """``class="num"`` etc. of a body cell, as ``{{ column.attrs.td.as_html }}`` gives it."""
        cached = self._td_attributes.get(bound_column.name)
        if cached is not None:
            return cached
        html = bound_column.attrs["td"].as_html()
        sources = (self.attrs.get("td"), self.attrs.get("cell"), bound_column.column.attrs.get("td"),
                   bound_column.column.attrs.get("cell"))
        if not any(callable(value) for source in sources if source for value in source.values()):
            self._td_attributes[bound_column.name] = html
        return html

    @staticmethod
    def cell_text(bound_column, cell) -> str:
        """The cell as ``table.html`` prints it: ``{{ cell }}``, ``{{ cell|localize }}`` or ``{{ cell|unlocalize }}``
        (by the column's ``localize``), localised and escaped like any template variable."""
        if bound_column.localize is not None:
            cell = localize_filter(cell) if bound_column.localize else unlocalize_filter(cell)
        return render_value_in_context(cell, _CELL_CONTEXT)

