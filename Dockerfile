# One image for web, workers and beat (docker-compose.yml picks the command).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 MODERATO_INSTANCE_PATH=/var/lib/moderato
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
COPY classifier ./classifier
COPY worker ./worker
# The folders the compose volumes mount exist in the image, owned by the service's user: a named volume
# takes its first contents and ownership from there (otherwise root's, and the user could not write).
RUN pip install --no-cache-dir . && useradd --system --home /var/lib/moderato moderato \
    && mkdir -p /var/lib/moderato/models /var/lib/moderato/metrics && chown -R moderato /var/lib/moderato
USER moderato
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "4", "--threads", "4", "service.app:create_app()"]
