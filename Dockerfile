# ringguard container image: build stage compiles TypeScript and better-sqlite3, runtime stage
# has production dependencies only and runs as the unprivileged `node` user.
#
#   docker build -t ringguard .
#   docker run -d --name ringguard -p 8080:8080 -p 162:1162/udp \
#     -v ringguard-data:/var/lib/ringguard -v "$PWD/etc:/etc/ringguard:ro" \
#     ringguard serve --config /etc/ringguard/ringguard.yaml
#   docker run --rm -p 8080:8080 -p 1162:1162/udp ringguard          # the demo network
#
# Traps arrive on udp/1162 inside the container; publish it as 162 on the host (-p 162:1162/udp),
# so the process never needs a privileged port.

FROM node:20-bookworm-slim AS build
# better-sqlite3 builds from source when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json tsconfig.web.json ./
COPY scripts ./scripts
COPY src ./src
COPY mibs ./mibs
COPY fixtures ./fixtures
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    RINGGUARD_HTTP_HOST=0.0.0.0 \
    RINGGUARD_HTTP_PORT=8080 \
    RINGGUARD_TRAP_HOST=0.0.0.0 \
    RINGGUARD_TRAP_PORT=1162 \
    RINGGUARD_DB=/var/lib/ringguard/ringguard.db
WORKDIR /opt/ringguard
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/mibs ./mibs
COPY --from=build /src/fixtures ./fixtures
COPY deploy/ringguard.example.yaml /etc/ringguard/ringguard.example.yaml
RUN mkdir -p /var/lib/ringguard && chown node:node /var/lib/ringguard \
 && ln -s /opt/ringguard/dist/cli/index.js /usr/local/bin/ringguard
USER node
VOLUME ["/var/lib/ringguard"]
EXPOSE 8080/tcp 1162/udp
# The health route needs no token (contract 2), so the probe works with auth on.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.RINGGUARD_HTTP_PORT || 8080) + '/api/v1/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/opt/ringguard/dist/cli/index.js"]
CMD ["serve", "--demo"]
