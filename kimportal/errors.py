"""Failures that degrade gracefully: a German 503 while the database is away, the 500 handler, ``/health/``.

A database that does not answer (restart, failover, network) raises OperationalError or
InterfaceError wherever a query is made: in a view, while a template renders, or in a
middleware before any view (the session, the logged-in user). Django turns an exception in a
middleware into a 500 at once, so two places catch it: ``DatabaseUnavailableMiddleware`` for
everything the view and its templates raise (also with DEBUG on), and ``server_error``
(``handler500``) for the rest. Both answer with 503 and ``Retry-After``, rendered without the
request, so that the page needs no query itself.
"""
import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60


def database_error(exc: BaseException | None) -> BaseException | None:
    """The database outage behind ``exc`` (itself or what it was raised from), if there is one."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DATABASE_ERRORS):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def database_unavailable(request, exc: BaseException) -> HttpResponse:
    """The German 503 page ("vorübergehend nicht erreichbar"), with Retry-After; it makes no query."""
    logger.error("Datenbank nicht erreichbar bei %s %s: %s: %s", request.method, request.path,
                 type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view (or its template) that finds the database away answers 503 instead of 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        exc = database_error(exception)
        return database_unavailable(request, exc) if exc is not None else None


def server_error(request, template_name="500.html"):
    """``handler500``: the German 500 page, or the 503 page where the database is away.

    This also catches database errors raised in middleware (sessions, authentication), which reach no
    ``process_exception``: Django calls the handler while it handles the exception, so it is at hand.
    """
    exc = database_error(sys.exc_info()[1])
    if exc is not None:
        return database_unavailable(request, exc)
    return HttpResponseServerError(loader.render_to_string(template_name))


@csrf_exempt
@require_safe
@never_cache
def health(request):
    """For load balancers: 200 "ok" when the database answers ``SELECT 1``, 503 otherwise; no login."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("Health check: Datenbank nicht erreichbar: %s: %s", type(exc).__name__, exc)
        return HttpResponse("Datenbank nicht erreichbar\n", status=503, content_type="text/plain; charset=utf-8",
                            headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
