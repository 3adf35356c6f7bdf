# podviz's image: Daphne serving config.asgi, static files collected at build time, run as a
# user without privileges. Kubernetes manifests that run it: deploy/ (docs/deploy.md).
#
#   docker build -t podviz:0.1.0 .

# The build stage: dependencies into a virtual environment, then the static files collected
# (hashed names, gzip and Brotli copies) so that no container writes them at start.
FROM python:3.12-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /venv
COPY requirements/base.txt /tmp/requirements.txt
RUN /venv/bin/pip install --requirement /tmp/requirements.txt
WORKDIR /app
COPY manage.py pyproject.toml ./
COPY config config
COPY core core
COPY scenarios scenarios
COPY runs runs
COPY classroom classroom
COPY advisor advisor
COPY simulator simulator
COPY locale locale
# collectstatic reads the settings, which need a secret key; this one is used for nothing else
# and is not in the final image (the running pods get PODVIZ_SECRET_KEY from a Secret).
RUN PODVIZ_SECRET_KEY=collectstatic-only /venv/bin/python manage.py collectstatic \
        --noinput --verbosity 0 \
    && /venv/bin/python -m compileall -q /app /venv

# The runtime stage: the environment, the code and the collected files, owned by root and
# read-only for the user that runs them.
FROM python:3.12-slim
ENV PATH=/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN useradd --system --uid 10001 --home-dir /app --no-create-home podviz
COPY --from=build /venv /venv
COPY --from=build /app /app
WORKDIR /app
USER 10001
EXPOSE 8000
# Each WebSocket holds one file descriptor; runtimes may start a container with a soft limit of
# 1024 (containerd 2), which a class of a few hundred viewers per process nears. The soft limit is
# raised to the hard one before Daphne starts (docs/deploy.md, "Kubernetes").
CMD ["sh", "-c", "ulimit -n \"$(ulimit -Hn)\" && exec daphne -b 0.0.0.0 -p 8000 config.asgi:application"]
