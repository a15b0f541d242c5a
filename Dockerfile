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
ARG VERSION=""
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/okta-mcp ./cmd/okta-mcp

FROM gcr.io/distroless/static:nonroot
COPY --from=build /out/okta-mcp /okta-mcp
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/okta-mcp"]
