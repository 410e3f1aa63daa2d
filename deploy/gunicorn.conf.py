"""gunicorn settings of an application node (deploy/systemd/govsites-web.service).

Workers: 2 × cores + 1 sync workers is gunicorn's rule of thumb; the application is mostly
waiting on PostgreSQL, and nginx serves every published page without it, so a 4-core node
with 9 workers carries the dynamic share (search, APIs, forms, admin) of a city's cluster.
GOVSITES_WEB_WORKERS overrides it.
"""

import multiprocessing
import os

bind = os.environ.get("GOVSITES_WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GOVSITES_WEB_WORKERS", str(2 * multiprocessing.cpu_count() + 1)))
worker_class = "sync"
timeout = 60  # a publish of a whole site runs in the worker, never in a request
graceful_timeout = 30  # a restart lets requests in flight finish
max_requests = 5000  # recycle workers slowly (bounded memory over weeks of uptime)
max_requests_jitter = 500
keepalive = 5
forwarded_allow_ips = os.environ.get("GOVSITES_GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None  # nginx keeps the access log
errorlog = "-"
loglevel = "warning"
