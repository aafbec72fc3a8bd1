# Slotbook's one image: web (gunicorn), bot, worker, scheduler and the
# migrate step all run from it with different commands (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 --user-group slotbook
WORKDIR /app

# Dependencies first: this layer is rebuilt only when requirements.txt changes.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
# Code stays root-owned (read-only to the app); the var directory holds the
# bot's Telegram session (a volume in compose).
RUN mkdir -p /app/var && chown slotbook:slotbook /app/var

USER slotbook
EXPOSE 8080
CMD ["gunicorn", "-c", "python:launcher.gunicorn_conf", "webapp.wsgi:app"]
