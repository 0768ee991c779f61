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
# The same as `npm start`, without npm in between, so SIGTERM reaches node and it drains (MALLOC_ARENA_MAX is set
# above, as npm start sets it). The flags keep memory flat whatever a run's size (the run-memory benchmark): V8 grows
# the old generation by 10% over what survived the last full collection (by default up to 4×, so the garbage of a long
# run piled up), the young generation stops at 4 MB semi-spaces (default 16), and glibc keeps 2 malloc arenas instead
# of up to 8 per core. The heap limit stays far above the ~40 MB a process keeps live.
CMD ["node", "--max-old-space-size=1024", "--max-semi-space-size=4", "--heap-growing-percent=10", "dist/src/main.js"]
