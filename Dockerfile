# syntax=docker/dockerfile:1
#
# Seqflow in a container: built with the dev dependencies, run with the production ones only.
#
#   docker build -t seqflow .
#   docker run -p 3000:3000 -v seqflow-data:/data seqflow            # SQLite, everything in one process
#   docker compose up -d                                               # PostgreSQL, an API, two workers (compose.yaml)
#
# This file was written on a machine with no Docker engine, so the image has not been built
# there. What was tested instead, without a container, is each step it takes:
# test/integration/build-and-run.test.ts packs the package, runs `npm ci --omit=dev` on it as the
# runtime stage does, starts `bin/seqflow.js start` from it and stops it with SIGTERM
# (see README "Docker" and docs/decisions.md).

ARG NODE_VERSION=20

# ---- build: every dependency, then `npm ci`'s prepare script compiles dist/ and web/dist/ ----
FROM node:${NODE_VERSION}-bookworm-slim AS build
# better-sqlite3 compiles SQLite when no prebuilt binary can be downloaded.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY bin ./bin
COPY src ./src
COPY web ./web
RUN npm ci --no-audit --no-fund

# The production tree: the built package and only its runtime dependencies. Installed here, where
# the compilers are; prepare finds no TypeScript and keeps the dist/ copied in.
WORKDIR /app
RUN cp -r /src/package.json /src/package-lock.json /src/scripts /src/bin /src/dist ./ \
 && mkdir web && cp -r /src/web/dist web/dist \
 && npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime ----
FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    SEQFLOW_DATA_DIR=/data
WORKDIR /app
# Owned by root, so the server cannot rewrite its own code; it writes only to /data.
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# Worker-only containers serve no HTTP: compose.yaml turns this off for them.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.SEQFLOW_PORT || 3000) + '/seqflow/v1/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself (graceful stop, then exit 0); give it more than
# SEQFLOW_SHUTDOWN_GRACE_MS (20 s) before the SIGKILL: `docker stop -t 30`, compose's stop_grace_period.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/seqflow.js"]
CMD ["start", "--host", "0.0.0.0"]
