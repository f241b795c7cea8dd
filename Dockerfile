# syntax=docker/dockerfile:1
# The image the Helm chart runs (helm/govhall/values.yaml: image.repository:image.tag). Build it from the repository
# root:
#   docker build -t registry.example.gov.cn/govhall/govhall:0.1.0 .
# Stages: the web UI (node), the Python environment from uv.lock (uv sync --frozen, no dev dependencies), and a slim
# runtime that runs as the numeric non-root user 10001 (the chart's podSecurityContext) with a read-only root
# filesystem: GOVHALL_VAR_DIR and /tmp are the volumes the chart mounts.

FROM node:22-bookworm-slim AS ui
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend/ ./
# vite writes ../platform/govhall/static/web; the OpenAPI UI's files are served from there too (never in prod)
RUN npm run build --silent \
 && mkdir -p ../platform/govhall/static/web/vendor/swagger-ui \
 && cp node_modules/swagger-ui-dist/swagger-ui.css node_modules/swagger-ui-dist/swagger-ui-bundle.js \
       node_modules/swagger-ui-dist/swagger-ui-standalone-preset.js ../platform/govhall/static/web/vendor/swagger-ui/

FROM python:3.11-slim-bookworm AS venv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/app/.venv
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
COPY plugins/ plugins/
COPY platform/ platform/
RUN uv sync --frozen --no-dev

FROM python:3.11-slim-bookworm
RUN groupadd --system --gid 10001 govhall \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin govhall \
 && mkdir -p /var/lib/govhall && chown 10001:10001 /var/lib/govhall
WORKDIR /app
COPY --from=venv /app /app
COPY --from=ui /src/platform/govhall/static/web /app/platform/govhall/static/web
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    GOVHALL_ENV=prod \
    GOVHALL_VAR_DIR=/var/lib/govhall \
    GOVHALL_STATIC_DIR=/app/platform/govhall/static/web
USER 10001:10001
EXPOSE 8000
CMD ["govhall", "serve", "--host", "0.0.0.0", "--port", "8000"]
