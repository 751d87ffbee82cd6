# syntax=docker/dockerfile:1
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
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /repo /app
USER node
CMD ["node", "--enable-source-maps", "apps/projector/dist/main.js"]
