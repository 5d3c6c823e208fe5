# syntax=docker/dockerfile:1
# dxoc backend: the API, the live stream and the `dxoc` CLI (serve | migrate | seed | keys | users | viewer-tokens).
#
#   docker build -f infra/docker/backend.Dockerfile -t dxoc/backend:0.1.0 .        (from the repository root)
#   docker run --rm dxoc/backend:0.1.0 --help
#
# The backend runs its TypeScript through tsx, as `npm start` does: there is no separate compile step to drift.
# Build context: the repository root; infra/docker/backend.Dockerfile.dockerignore keeps node_modules, .git, data
# and secrets out of it. Builds need the npm registry or a mirror (--build-arg NPM_CONFIG_REGISTRY=...);
# the image itself never calls out at run time.

ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---- manifests: only the package.json files and the lockfile, so the dependency layer below is rebuilt only
# when they change (COPY --from compares content, not the source files' timestamps).
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /manifests \
 && cp package.json package-lock.json .npmrc /manifests/ \
 && find . -mindepth 2 -maxdepth 2 -name package.json -not -path './node_modules/*' -exec cp --parents {} /manifests/ \;

# ---- deps: the backend's workspace (with @dxoc/contracts and @dxoc/dashboards) and the root tools (tsx).
FROM ${NODE_IMAGE} AS deps
ARG NPM_CONFIG_REGISTRY=https://registry.npmjs.org/
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    DO_NOT_TRACK=1
WORKDIR /app
COPY --from=manifests /manifests/ ./
# --ignore-scripts: no install script is needed (esbuild's and rolldown's binaries come as optional packages),
# and none may call out during an air-gapped build.
RUN npm ci --ignore-scripts -w @dxoc/backend --include-workspace-root

# ---- runtime
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DXOC_DATA_DIR=/var/lib/dxoc/data \
    TSX_TSCONFIG_PATH=backend/tsconfig.json \
    DO_NOT_TRACK=1
WORKDIR /app
# Everything is owned by root and read-only for the app user: the process cannot change its own code.
COPY --from=deps /app/ ./
COPY tsconfig.base.json ./
COPY backend/tsconfig.json backend/
COPY backend/src/ backend/src/
COPY backend/migrations/ backend/migrations/
COPY contracts/ contracts/
COPY ingest/ ingest/
COPY dashboards/ dashboards/
COPY infra/docker/healthcheck.mjs infra/docker/healthcheck.mjs
# The embedded database (only when DATABASE_URL is unset: a single-container trial) keeps its data here;
# mount a volume on it for such a trial (docker run -v dxoc-data:/var/lib/dxoc ...).
RUN mkdir -p /var/lib/dxoc && chown node:node /var/lib/dxoc

# uid 1000 ("node" in the base image); Kubernetes checks runAsNonRoot against the numeric id.
USER 1000:1000
EXPOSE 3000
# `serve` migrates and seeds before it listens: give it time before the first failed check counts.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 CMD ["node", "infra/docker/healthcheck.mjs"]
# The same as `npx tsx --tsconfig backend/tsconfig.json backend/src/cli/main.ts`, in one process: tsx is loaded
# into node (TSX_TSCONFIG_PATH above is what tsx's --tsconfig sets). Not through npx: npm does not pass SIGTERM
# on to its child, so `docker stop` / a pod's termination would kill the server without its graceful shutdown.
ENTRYPOINT ["node", "--import", "tsx", "backend/src/cli/main.ts"]
CMD ["serve"]
