# syntax=docker/dockerfile:1
# Multi-stage: build every TypeScript project once, then ship only runtime files as a non-root user.
FROM node:24-bookworm-slim AS build
WORKDIR /repo
COPY package.json package-lock.json .npmrc ./
COPY apps/api/package.json apps/api/
COPY apps/projector/package.json apps/projector/
COPY apps/web/package.json apps/web/
COPY libs/ libs/
COPY projections/ projections/
COPY migrations/ migrations/
COPY tools/ tools/
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY apps/api apps/api
COPY apps/projector apps/projector
RUN npx tsc -b && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production API_HOST=0.0.0.0 API_PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /repo /app
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Migrations run before the API serves, as DATABASE_OWNER_URL when given (which also sets up the
# apps' logins, docs/reliability.md "Database roles"); knex's lock makes concurrent replicas safe.
# The API itself starts without the owner's or the projector's credentials in its environment.
CMD ["sh", "-c", "node tools/dist/migrate.js && exec env -u DATABASE_OWNER_URL -u API_DATABASE_URL -u PROJECTOR_DATABASE_URL node --enable-source-maps apps/api/dist/main.js"]
