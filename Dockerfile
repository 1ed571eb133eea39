# mailsync API and worker image (one image, two commands: node dist/server.js, node dist/worker.js).
# Build stage: dev dependencies, TypeScript compile and the workflow bundle (npm run build).
FROM node:20-bookworm-slim AS build
WORKDIR /app
# The provider sandbox (packages/provider-sandbox) is a dev-only workspace: neither copied nor installed.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.ts ./scripts/build.ts
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies and compiled code only, as the unprivileged node user.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
USER node
EXPOSE 3000
CMD ["node", "dist/server.js"]
