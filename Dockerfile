# mailsync API and worker image (one image, two commands).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# The provider sandbox (packages/provider-sandbox) is a dev-only workspace: neither copied nor installed here.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
EXPOSE 3000
CMD ["npx", "tsx", "src/server.ts"]
