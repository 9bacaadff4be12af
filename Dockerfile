# JointGraph's gateway (and, for a demonstration, the sample departments) in one image.
#   docker build -t jointgraph .
#   docker run -p 4000:4000 -v $PWD/platform.yaml:/etc/jointgraph/platform.yaml jointgraph
# deploy/compose.yaml runs three replicas on PostgreSQL and Redis.

FROM node:20-bookworm-slim AS dependencies
WORKDIR /opt/jointgraph
# better-sqlite3 is a native addon: built here if no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# The JavaScript the image runs, compiled from the sources (TypeScript is a development dependency;
# compiling needs no native addon built).
FROM node:20-bookworm-slim AS build
WORKDIR /opt/jointgraph
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY scripts/build.mjs ./scripts/build.mjs
COPY cli ./cli
COPY directives ./directives
COPY protocol ./protocol
COPY server ./server
COPY subgraphs ./subgraphs
COPY supergraph ./supergraph
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /opt/jointgraph
# A heap bound the container's memory limit (deploy/compose.yaml: 1 GiB) holds with room to spare:
# the gateway sheds load past 85 % of it; npm run fuzz measures the whole process under 1 GiB RSS.
ENV NODE_ENV=production JG_HOST=0.0.0.0 JG_LOG_LEVEL=info NODE_OPTIONS=--max-old-space-size=768
COPY --from=dependencies /opt/jointgraph/node_modules ./node_modules
COPY --from=build /opt/jointgraph/dist ./dist
COPY package.json ./
COPY cli/jointgraph.mjs ./cli/jointgraph.mjs
COPY config ./config
COPY console/dist ./console/dist
# The operator's files a configuration names by default (apps, labels, cache policy, subgraph list, supergraph).
COPY supergraph/*.json supergraph/*.graphql ./supergraph/
# State, keys and the providers' stores live under /var/lib/jointgraph; keys apart from state. The
# keys folder exists in the image, owned by node, so that a named volume mounted there starts with
# that owner (an empty volume takes the image folder's ownership; a folder the image lacks is root's).
RUN mkdir -p /var/lib/jointgraph/keys /etc/jointgraph && chown -R node:node /var/lib/jointgraph && chmod 700 /var/lib/jointgraph/keys
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.JG_PORT||4000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "cli/jointgraph.mjs"]
CMD ["serve", "--config", "/etc/jointgraph/platform.yaml"]
