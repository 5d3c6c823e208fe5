# syntax=docker/dockerfile:1
# dxoc frontend: the operations wall (/wall) and the staff console (/console), built with vite and served by
# nginx, which also proxies /api and the socket.io live stream (/socket.io/) to the backends.
#
#   docker build -f infra/docker/frontend.Dockerfile -t dxoc/frontend:0.1.0 .       (from the repository root)
#
# nginx runs as the unprivileged "nginx" user (uid 101) and listens on 8080. At start the image's entrypoint
# writes /etc/nginx/conf.d/dxoc.conf from infra/nginx/dxoc.conf, substituting:
#   DXOC_BACKEND_ADDRESS    host:port of the backends (default backend:3000; all addresses of the name are used,
#                           re-resolved every 10 s, so `docker compose up --scale backend=N` needs no reload)
#   NGINX_LOCAL_RESOLVERS   the container's DNS servers, read from /etc/resolv.conf
# Rebrand without rebuilding: mount your own /usr/share/nginx/html/config/wall.json (and an emblem next to it).

ARG NODE_IMAGE=node:20.20.2-bookworm-slim
ARG NGINX_IMAGE=nginx:1.28.0-alpine

FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /manifests \
 && cp package.json package-lock.json .npmrc /manifests/ \
 && find . -mindepth 2 -maxdepth 2 -name package.json -not -path './node_modules/*' -exec cp --parents {} /manifests/ \;

FROM ${NODE_IMAGE} AS build
ARG NPM_CONFIG_REGISTRY=https://registry.npmjs.org/
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    DO_NOT_TRACK=1
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --ignore-scripts -w @dxoc/frontend --include-workspace-root
# The frontend imports the shared contracts (@dxoc/contracts) and the dashboards schema, not the backend.
COPY tsconfig.base.json ./
COPY contracts/ contracts/
COPY dashboards/ dashboards/
COPY frontend/ frontend/
RUN npm run build -w @dxoc/frontend

FROM ${NGINX_IMAGE} AS runtime
ENV NGINX_ENTRYPOINT_LOCAL_RESOLVERS=1 \
    NGINX_ENVSUBST_FILTER="^(DXOC_|NGINX_LOCAL_RESOLVERS)" \
    DXOC_BACKEND_ADDRESS=backend:3000
COPY infra/nginx/nginx.conf /etc/nginx/nginx.conf
COPY infra/nginx/dxoc.conf /etc/nginx/templates/dxoc.conf.template
COPY --from=build /app/frontend/dist/ /usr/share/nginx/html/
# conf.d receives the rendered template at start: the only place the unprivileged user writes besides /tmp.
RUN rm -f /etc/nginx/conf.d/default.conf /usr/share/nginx/html/50x.html \
 && chown -R nginx:nginx /etc/nginx/conf.d \
 && nginx -v
USER 101:101
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]
