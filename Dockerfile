# syntax=docker/dockerfile:1

# ---- build: compile TypeScript (needs the dev dependencies) ----
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
COPY actions ./actions
COPY views ./views
COPY events ./events
COPY shortcuts ./shortcuts
COPY jobs ./jobs
RUN npm run build

# ---- deps: production dependencies only ----
FROM node:22-bookworm-slim AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime ----
FROM node:22-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    MALLOC_ARENA_MAX=2
# Owned by root and read-only to the app user: the process cannot rewrite its own code.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 3000
# Slim images have no curl. Every role (web, worker, all) serves /healthz on PORT; 503 when Redis does not answer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:${PORT:-3000}/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"
# The same as `npm start`, without npm in between, so SIGTERM reaches node and it drains. The heap limit is there for
# V8's growth rule: with a limit of 2 GB or more (the default on a machine with memory to spare) the old generation may
# grow to 4× what survived the last full collection before the next one, at 1 GB to about 1.6× (at 256 MB 1.3×);
# without it the garbage of a long payout run piles up and peak RSS grows with the run's size (the run-memory
# benchmark). A process keeps about 30 MB live, but a reconcile holds its window's payments (92 days of a large
# marketplace can be hundreds of thousands), so the limit stays well above that rather than at the smallest that helps.
CMD ["node", "--max-old-space-size=1024", "dist/src/main.js"]
