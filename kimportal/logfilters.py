"""Logging filters (settings.LOGGING)."""
import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx answer (403, 404) is logged as its one line, without the traceback of the exception behind it.

    Django logs "Forbidden (Permission denied): /path" and "Not Found: /path" with the exception's
    traceback; a refused request is not a fault of the application, and a screenful per 403 buries
    the real errors. Records of 5xx answers, and records without a status, are left as they are.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
