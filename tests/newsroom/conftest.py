import io
import signal

import pytest
from django.core.management import call_command


@pytest.fixture
def run_worker(db, django_capture_on_commit_callbacks, monkeypatch):
    """Run the job worker over the test database until no job is due, as production runs it.

    Jobs' own after-commit work runs too, as it would outside the test's transaction. A job
    that fails fails the test, with its traceback.
    """
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The worker drops database connections it finds inside a transaction, as the test's is;
    # Django's test client keeps requests from doing the same.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        while True:
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                run_batch()
            if not callbacks:
                break
        failed = DBTaskResult.objects.failed()
        assert not failed.exists(), failed.first().traceback

    def run_batch():
        signals = [signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", signal.SIGTERM)]
        handlers = {sig: signal.getsignal(sig) for sig in signals}
        try:
            call_command(
                "db_worker",
                "--batch",
                "--no-reload",
                "--no-startup-delay",
                "--queue-name=*",
                "--interval=0",
                stdout=io.StringIO(),
            )
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)

    return run
