#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimportal.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A wrong environment (DJANGO_SECRET_KEY missing, a number that is none): one line, not a traceback.
        sys.exit(f"kimportal: {error}")


if __name__ == "__main__":
    main()
