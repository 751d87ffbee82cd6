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
COPY tools/package.json tools/
RUN npm ci --no-audit --no-fund
COPY apps/web apps/web
RUN cd apps/web && NG_CLI_ANALYTICS=false npx ng build

FROM node:24-bookworm-slim
ENV NODE_ENV=production WEB_HOST=0.0.0.0 WEB_PORT=4000
WORKDIR /app
# The SSR bundle is self-contained apart from Node itself.
COPY --from=build --chown=node:node /repo/apps/web/dist/web /app/dist/web
USER node
EXPOSE 4000
CMD ["node", "dist/web/server/server.mjs"]
