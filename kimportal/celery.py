"""The Celery application: heavy work (long PDFs, the whole state's papers, imports) off the request.

With ``CELERY_BROKER_URL`` set (Redis, e.g. ``redis://127.0.0.1:6379/0``) tasks go to the queue and a worker
(``celery -A kimportal worker -l info``) runs them; without it they run inline in the calling process
(``CELERY_TASK_ALWAYS_EAGER``), so a checkout without Redis works as before. The settings are the
``CELERY_*`` block of kimportal/settings.py; the tasks are in tasks/tasks.py (found by autodiscovery).
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimportal.settings")

app = Celery("kimportal")
# Every setting named CELERY_<NAME> in Django's settings is Celery's <name> (e.g. CELERY_BROKER_URL).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
