"""``?per_page`` of the django-tables2 lists, with a ceiling (issue 13, "Lean lists").

django-tables2 takes any whole number from ``?per_page``: ``?per_page=1000000`` rendered every row of a list in
one page, ``?per_page=0`` gave its own default of 25 instead of the list's, a negative number broke the
paginator. Here a number above :data:`MAX_PER_PAGE` gets :data:`MAX_PER_PAGE` rows; below 1 or not a whole
number, the list's own default (its ``table_pagination``). No message: the list simply shows that many rows.
"""
from functools import partial

from django.core.paginator import Paginator

MAX_PER_PAGE = 500  # rows; the largest county's position list (about 600) takes two pages


class CappedPaginator(Paginator):
    """A Paginator with the page size the view decided (``rows``, from :func:`capped_per_page`).

    django-tables2 passes its own reading of ``?per_page`` (0 became its Meta default of 25, a negative number
    broke the paginator); that is ignored here.
    """

    def __init__(self, object_list, per_page, *args, rows: int, **kwargs):
        super().__init__(object_list, rows, *args, **kwargs)


def capped_per_page(per_page, *, default: int, maximum: int = MAX_PER_PAGE) -> int:
    """Rows per page: ``per_page`` as a whole number, at most ``maximum``; ``default`` if below 1 or not a number.

    >>> capped_per_page(5000, default=25), capped_per_page(0, default=25), capped_per_page("x", default=25)
    (500, 25, 25)
    """
    try:
        rows = int(per_page)
    except (TypeError, ValueError):
        return default
    if rows < 1:
        return default
    return min(rows, maximum)


class CappedPaginationMixin:
    """For views with django-tables2's ``SingleTableMixin``: ``?per_page`` is capped at ``max_per_page``.

    Put it before ``SingleTableMixin``. The view's own ``table_pagination`` (``{"per_page": 25}``) stays its
    default page size.
    """

    max_per_page = MAX_PER_PAGE

    def get_table_pagination(self, table):
        paginate = super().get_table_pagination(table)
        if not paginate:
            return paginate
        options = dict(paginate) if isinstance(paginate, dict) else {}
        default = capped_per_page(options.get("per_page"), default=table._meta.per_page, maximum=self.max_per_page)
        requested = self.request.GET.get(table.prefixed_per_page_field)
        rows = default if requested is None else capped_per_page(requested, default=default,
                                                                   maximum=self.max_per_page)
        options["per_page"] = rows
        options["paginator_class"] = partial(CappedPaginator, rows=rows)
        return options
