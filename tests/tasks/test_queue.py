"""The queue path, for real: the KIM paper goes through the Redis broker to a Celery worker and back.

The worker runs in a thread of this process (celery.contrib.testing.worker.start_worker) and shares the test
database, whose data it must see: hence a transactional test. Redis must be running (.ci/run starts it); if it is
not, this test fails, it is never skipped: the inline path alone does not show that the queue works.
"""
import logging
import os
import threading
from io import StringIO

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.result import AsyncResult
from django.core.management import call_command
from django.core.management.base import CommandError

from kimportal.celery import app as celery_app
from kimportal.models import County
from tasks.models import TaskRun
from tasks.services import QUEUE_DOWN, _send, taskrun_start
from tasks.tasks import render_report_task

from .conftest import pdf_text

# Database 15 of the local Redis, apart from what a developer's worker uses (0).
REDIS_URL = os.environ.get("KIMPORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
QUEUE_CONF = {"broker_url": REDIS_URL, "result_backend": REDIS_URL, "task_always_eager": False,
              "worker_hijack_root_logger": False}


def forget_connections(app):
    """Celery keeps its broker pool and result backend once made; after their URLs change they are made anew."""
    app._pool = None
    if "amqp" in app.__dict__:
        app.__dict__["amqp"]._producer_pool = None
    app._backend_cache = None
    app._local = threading.local()


@pytest.fixture
def redis_queue():
    """Our Celery app on the real Redis broker (with a result store, so the test can wait without polling the
    database), an empty queue; afterwards the app as it was."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} ({exc}). The queue test needs it: start it with "
                    "`redis-server --daemonize yes` (.ci/run does so).", pytrace=False)
    client.flushdb()
    before = {name: celery_app.conf[name] for name in QUEUE_CONF}
    celery_app.conf.update(QUEUE_CONF)
    forget_connections(celery_app)
    yield client
    celery_app.conf.update(before)
    forget_connections(celery_app)
    client.flushdb()
    client.close()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_takes_the_kim_pdf_from_the_redis_queue(demo, redis_queue):
    county = County.objects.get(slug="rhein-sieg-kreis")
    run = taskrun_start(kind=TaskRun.Kind.REPORT, title="Kommunales Integrationsmanagement (KIM)", county=county,
                        params={"report": "kim", "start": "2021-12", "end": "2022-12"})
    run.refresh_from_db()
    # Nothing ran inline: the message waits in Redis until a worker comes.
    assert (run.status, run.progress) == ("waiting", 0)
    assert redis_queue.llen("celery") == 1

    # No ping first: the KIM task is ahead of it in the queue, and the wait below shows the worker works.
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=60):
        result = AsyncResult(run.celery_id, app=celery_app).get(timeout=600)

    assert result == {"run": run.pk, "status": "done"}
    run.refresh_from_db()
    assert (run.status, run.progress) == ("done", 100)
    assert run.result_file == f"{run.pk}/kim_rhein-sieg-kreis_2021-12-bis-2022-12.pdf"
    assert "258.818 €" in pdf_text(run.result_path.read_bytes())
    assert redis_queue.llen("celery") == 0


@pytest.fixture
def broker_down():
    """The app pointed at a port where no Redis listens."""
    down = {"broker_url": "redis://127.0.0.1:1/15", "task_always_eager": False}
    before = {name: celery_app.conf[name] for name in down}
    celery_app.conf.update(down)
    forget_connections(celery_app)
    yield
    celery_app.conf.update(before)
    forget_connections(celery_app)


def test_render_all_says_in_one_line_that_the_queue_is_down_and_starts_nothing(demo, broker_down):
    with pytest.raises(CommandError, match=r"^Die Warteschlange \(CELERY_BROKER_URL\) ist nicht erreichbar: .*"
                                           r"127\.0\.0\.1:1\b"):
        call_command("render_all", "--year", "2022", stdout=StringIO())
    assert not TaskRun.objects.exists()


def test_a_report_started_while_the_queue_is_down_fails_with_a_german_line(demo, broker_down, caplog):
    run = taskrun_start(kind=TaskRun.Kind.REPORT, title="KIM", county=County.objects.get(slug="rhein-sieg-kreis"),
                        params={"report": "kim"})
    # Sent when the transaction commits: the test's transaction never does, so the callback is run by hand.
    with caplog.at_level(logging.ERROR, logger="tasks.services"):
        _send(render_report_task, run)
    run.refresh_from_db()
    assert (run.status, run.message) == ("failed", QUEUE_DOWN)
    assert f"Task run {run.pk} could not be sent to the broker" in caplog.text and "Traceback" not in caplog.text
