# syntax=docker/dockerfile:1
#
# okta-mcp: a static binary on distroless, non-root, stdio by default.
#
#   docker build -t okta-mcp .
#   docker run -i --rm -e OKTA_ORG_URL -e OKTA_API_TOKEN okta-mcp
#   docker run -i --rm okta-mcp --sandbox
#
# For the HTTP transports, listen on all interfaces inside the container; that
# needs an auth token (okta-mcp refuses otherwise):
#
#   docker run --rm -p 127.0.0.1:8080:8080 -e OKTA_MCP_AUTH_TOKEN -e OKTA_ORG_URL -e OKTA_API_TOKEN \
#     okta-mcp --transport http --listen 0.0.0.0:8080

FROM golang:1.26 AS build
# The image pins its own toolchain (GOTOOLCHAIN=local); let go.mod's
# required patch release be fetched if the image is older.
ENV GOTOOLCHAIN=auto
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# VERSION is reported by `okta-mcp version` and to MCP clients (default: dev).
# Same flags as the release binaries (cmd/okta-mcp/release/build.sh):
#   docker build --build-arg VERSION=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' server.json) -t okta-mcp .
ARG VERSION=""
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -buildid= -X main.version=${VERSION}" -o /out/okta-mcp ./cmd/okta-mcp

FROM gcr.io/distroless/static:nonroot
ARG VERSION=""
# The MCP Registry checks this label against server.json's name.
LABEL io.modelcontextprotocol.server.name="io.github.okta-mcp/okta-mcp" \
      org.opencontainers.image.title="okta-mcp" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/okta-mcp/okta-mcp"
COPY --from=build /out/okta-mcp /okta-mcp
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/okta-mcp"]
