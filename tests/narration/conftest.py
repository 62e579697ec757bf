from tests.newsroom.conftest import run_worker  # noqa: F401 - the queue's worker, as it runs
