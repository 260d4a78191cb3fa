# paperfeed image: one image for web processes and workers (deploy/compose.yaml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PAPERFEED_DATA_DIR=/var/lib/paperfeed
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/paperfeed --create-home paperfeed

WORKDIR /srv/paperfeed
COPY pyproject.toml README.md ./
COPY paperfeed ./paperfeed
COPY deploy ./deploy
# torch is pinned (see pyproject.toml); point PIP_EXTRA_INDEX_URL at a CPU-only wheel index
# to avoid the several-GB CUDA build when the host has no GPU.
ARG PIP_EXTRA_INDEX_URL=""
RUN pip install --no-cache-dir torch==2.13.0 && pip install --no-cache-dir . gunicorn==27.0.1

USER paperfeed
EXPOSE 8000
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py"]
