"""gunicorn settings for paperfeed's web processes (docs/deploy.md)."""

import multiprocessing
import os

bind = os.environ.get("PAPERFEED_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PAPERFEED_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 30
max_requests = 5000
max_requests_jitter = 500
forwarded_allow_ips = os.environ.get("PAPERFEED_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
wsgi_app = "paperfeed.wsgi:application"
