"""The production server: gunicorn managing uvicorn workers over newsroom/asgi.py.

`make serve` runs it; so does `gunicorn -c newsroom/gunicorn.conf.py` from the project folder.
(It is kept out of that folder so that gunicorn does not load it by itself for the benchmarks'
sync workers.) Each worker
is an event loop, so a client that sends its request slowly holds a socket, not a worker
(a sync worker would wait on it for up to `timeout` seconds while other readers queue).
Django runs the views in threads beside the loop.

Environment: HOST (default 127.0.0.1), PORT (8000), WEB_CONCURRENCY (workers; default one
per CPU, at least two), FORWARDED_ALLOW_IPS (proxies whose X-Forwarded-For and -Proto to trust;
gunicorn's default is 127.0.0.1,::1), LOG_LEVEL (info). Every log goes to standard output.
"""

import os

wsgi_app = "newsroom.asgi:application"
worker_class = "uvicorn_worker.UvicornWorker"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# One worker per CPU: each runs its views in threads, so more workers than CPUs only compete
# (measured on 2 CPUs: 2 workers served the most pages a second; 3 and 4 fewer). At least
# two, so that one restarting leaves another answering.
workers = int(os.environ.get("WEB_CONCURRENCY") or max(2, len(os.sched_getaffinity(0))))

# A worker whose loop does not answer for this long is replaced.
timeout = 30
graceful_timeout = 30
keepalive = 5

# Every log on standard output, where a process manager or a container runtime collects it:
# gunicorn's error log (its default, "-", is standard error) and access log, and the workers'
# own (uvicorn's loggers take gunicorn's handlers), and the site's (LOGGING in settings.py).
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "root": {"level": "INFO", "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "stream": "ext://sys.stdout",
        },
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "stream": "ext://sys.stdout",
        },
    },
    "formatters": {
        "generic": {
            "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
            "datefmt": "[%Y-%m-%d %H:%M:%S %z]",
        },
        "access": {"format": "%(message)s"},
    },
}
# The site's logs (newsroom/settings.py) beside them.
os.environ.setdefault("LOG_STREAM", "stdout")

# gunicorn's runtime control socket has one path per user, which two servers on one machine
# would fight over; nothing here uses it.
control_socket_disable = True

# Under ASGI each request runs in a thread of its own, where kept database connections pile
# up (Django's documentation says to turn them off): close each after its request, and on
# PostgreSQL lend them from a pool per worker instead.
os.environ["DATABASE_CONN_MAX_AGE"] = "0"
os.environ.setdefault("DATABASE_POOL", "1")
