import sys

from django.core.management.base import BaseCommand


class OneLineErrorCommand(BaseCommand):
    """A command whose argument errors are one line on stderr (and exit 2), never usage text or a traceback."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):
            sys.stderr.write(f"Fehler: {message}\n")
            sys.exit(2)

        parser.error = error
        return parser
