package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The MCP Registry's server.json schema, vendored (see testdata/registry/README.md).
const registrySchemaFile = "../../testdata/registry/server.schema.json"

func compileRegistrySchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(registrySchemaFile)
	require.NoError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const id = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"
	require.NoError(t, c.AddResource(id, doc))
	s, err := c.Compile(id)
	require.NoError(t, err)
	return s
}

func readJSONFile(t *testing.T, path string) any {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	require.NoError(t, err, path)
	return v
}

// TestServerJSON validates server.json (the repository's, or the release's named by
// OKTA_MCP_SERVER_JSON, which cmd/okta-mcp/release/build.sh sets) against the MCP Registry schema
// and checks what the schema cannot: the rules the official registry adds for mcpb and oci
// packages, and that the name and environment variables are the ones okta-mcp and its image use.
func TestServerJSON(t *testing.T) {
	path := "../../server.json"
	if p := os.Getenv("OKTA_MCP_SERVER_JSON"); p != "" {
		path = p
	}
	schema := compileRegistrySchema(t)
	doc := readJSONFile(t, path)
	require.NoError(t, schema.Validate(doc), "%s against the MCP Registry schema 2025-12-11", path)

	var s struct {
		Schema   string `json:"$schema"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Packages []struct {
			RegistryType string `json:"registryType"`
			Identifier   string `json:"identifier"`
			Version      string `json:"version"`
			FileSha256   string `json:"fileSha256"`
			Env          []struct {
				Name     string `json:"name"`
				IsSecret bool   `json:"isSecret"`
			} `json:"environmentVariables"`
		} `json:"packages"`
	}
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &s))

	assert.Equal(t, "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json", s.Schema)
	assert.Regexp(t, `^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`, s.Version, "a plain semantic version (no range, no v prefix)")
	assert.Equal(t, "io.github.okta-mcp/okta-mcp", s.Name, "the GitHub namespace of the module github.com/okta-mcp/okta-mcp")

	dockerfile, err := os.ReadFile("../../Dockerfile")
	require.NoError(t, err)
	assert.Contains(t, string(dockerfile), `LABEL io.modelcontextprotocol.server.name="`+s.Name+`"`,
		"the registry checks the image's label against the server name")

	known := envVarsOfHelp(t)
	require.NotEmpty(t, s.Packages)
	for _, p := range s.Packages {
		switch p.RegistryType {
		case "oci":
			assert.Regexp(t, `^ghcr\.io/okta-mcp/okta-mcp:`+regexp.QuoteMeta(s.Version)+`$`, p.Identifier, "the image tag is the version")
			assert.Empty(t, p.Version, "the registry rejects a version on oci packages")
		case "mcpb":
			assert.Regexp(t, `^https://github\.com/okta-mcp/okta-mcp/releases/download/v`+regexp.QuoteMeta(s.Version)+`/okta-mcp_`+regexp.QuoteMeta(s.Version)+`_(linux|darwin|windows)_(amd64|arm64)\.mcpb$`, p.Identifier)
			assert.Regexp(t, `^[a-f0-9]{64}$`, p.FileSha256, "mcpb packages need their SHA-256")
		default:
			t.Errorf("unexpected package type %q", p.RegistryType)
		}
		for _, e := range p.Env {
			assert.Contains(t, known, e.Name, "%s: environment variable okta-mcp does not read", p.Identifier)
			if strings.Contains(e.Name, "TOKEN") {
				assert.True(t, e.IsSecret, "%s must be marked isSecret", e.Name)
			}
		}
	}
}

// envVarsOfHelp returns the environment variables okta-mcp reads, as its --help names them.
func envVarsOfHelp(t *testing.T) map[string]bool {
	t.Helper()
	var out bytes.Buffer
	run([]string{"--help"}, func(string) string { return "" }, strings.NewReader(""), &out, &out)
	names := map[string]bool{}
	for _, m := range regexp.MustCompile(`\b(OKTA_[A-Z_]+)\b`).FindAllStringSubmatch(out.String(), -1) {
		names[m[1]] = true
	}
	require.Contains(t, names, "OKTA_MCP_READ_ONLY", "--help output: %s", out.String())
	return names
}

// TestBundleManifest checks the MCP Bundle manifest template that build.sh fills in per platform:
// each variable it sets is one okta-mcp reads, every user_config it refers to exists, the token is
// sensitive, and the configuration a user makes in the install dialog starts okta-mcp the way the
// dialog promises (real org, read-only by default).
func TestBundleManifest(t *testing.T) {
	var m struct {
		Name    string `json:"name"`
		License string `json:"license"`
		Server  struct {
			Type      string `json:"type"`
			MCPConfig struct {
				Command string            `json:"command"`
				Args    []string          `json:"args"`
				Env     map[string]string `json:"env"`
			} `json:"mcp_config"`
		} `json:"server"`
		UserConfig map[string]struct {
			Type      string `json:"type"`
			Required  bool   `json:"required"`
			Sensitive bool   `json:"sensitive"`
			Default   any    `json:"default"`
		} `json:"user_config"`
	}
	b, err := os.ReadFile(filepath.Join("release", "manifest.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, "binary", m.Server.Type)
	assert.Equal(t, "Apache-2.0", m.License)
	assert.Equal(t, "${__dirname}/server/okta-mcp", m.Server.MCPConfig.Command)

	known := envVarsOfHelp(t)
	ref := regexp.MustCompile(`^\$\{user_config\.([a-z_]+)\}$`)
	used := map[string]bool{}
	for name, val := range m.Server.MCPConfig.Env {
		assert.Contains(t, known, name, "manifest sets %s, which okta-mcp does not read", name)
		sub := ref.FindStringSubmatch(val)
		require.NotNil(t, sub, "%s=%q: only whole ${user_config.x} values", name, val)
		uc, ok := m.UserConfig[sub[1]]
		require.True(t, ok, "%s refers to user_config.%s, which is not defined", name, sub[1])
		// An optional field without a default reaches the binary as the literal "${user_config.x}".
		assert.True(t, uc.Required || uc.Default != nil, "user_config.%s is optional and needs a default", sub[1])
		used[sub[1]] = true
	}
	keys := make([]string, 0, len(m.UserConfig))
	for k := range m.UserConfig {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		assert.True(t, used[k], "user_config.%s is asked for but never used", k)
	}
	assert.True(t, m.UserConfig["api_token"].Sensitive, "the API token must be marked sensitive")
	assert.True(t, m.UserConfig["api_token"].Required)
	assert.True(t, m.UserConfig["org_url"].Required)

	// What the host does (mcpb's getMcpConfigForManifest): defaults overlaid with the user's values,
	// booleans as "true"/"false". Then okta-mcp must start with those settings.
	user := map[string]string{"org_url": "https://dev-123456.okta.com", "api_token": "00abcdefghijklmnopqrstuvwxyz0123456789ABCD"}
	for k, uc := range m.UserConfig {
		if _, ok := user[k]; !ok && uc.Default != nil {
			b, _ := json.Marshal(uc.Default)
			user[k] = strings.Trim(string(b), `"`)
		}
	}
	env := map[string]string{}
	for name, val := range m.Server.MCPConfig.Env {
		env[name] = user[ref.FindStringSubmatch(val)[1]]
	}
	cfg, err := parseServeConfig(m.Server.MCPConfig.Args, envFunc(env), &bytes.Buffer{})
	require.NoError(t, err, "okta-mcp with the bundle's default configuration")
	assert.True(t, cfg.readOnly, "the bundle installs read-only unless the user turns it off")
	assert.False(t, cfg.allowUnconfirmed, "the bundle refuses unconfirmed destructive calls unless the user allows them")
	env["OKTA_MCP_ALLOW_UNCONFIRMED"], env["OKTA_MCP_READ_ONLY"] = "true", "false" // the user ticks and unticks the boxes
	cfg, err = parseServeConfig(m.Server.MCPConfig.Args, envFunc(env), &bytes.Buffer{})
	require.NoError(t, err)
	assert.True(t, cfg.allowUnconfirmed)
	assert.False(t, cfg.readOnly)
	assert.Equal(t, "stdio", cfg.transport)
	creds, err := loadServerCredentials(envFunc(env), cfg.readOnly)
	require.NoError(t, err)
	require.NotNil(t, creds, "the bundle's org URL and token are the server's credentials")
}

// TestReleaseVersion builds okta-mcp as the release script and the Dockerfile do (their version
// flag is checked to be the same), then checks that the version set at link time is what
// `okta-mcp version` prints and what an MCP client is told in serverInfo.
func TestReleaseVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	script, err := os.ReadFile(filepath.Join("release", "build.sh"))
	require.NoError(t, err)
	dockerfile, err := os.ReadFile("../../Dockerfile")
	require.NoError(t, err)
	assert.Contains(t, string(script), `LDFLAGS="-s -w -buildid= -X main.version=$VERSION"`)
	assert.Contains(t, string(script), `go build -trimpath -ldflags "$LDFLAGS"`)
	assert.Contains(t, string(dockerfile), `go build -trimpath -ldflags "-s -w -buildid= -X main.version=${VERSION}"`,
		"the image is built with the release's flags")

	const v = "9.8.7-test.1"
	bin := filepath.Join(t.TempDir(), "okta-mcp")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w -buildid= -X main.version="+v, "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	out, err = exec.Command(bin, "version").Output()
	require.NoError(t, err)
	assert.Equal(t, "okta-mcp "+v+"\n", string(out))

	cmd := exec.Command(bin, "--sandbox")
	cmd.Env = childEnv()
	cmd.Stdin = strings.NewReader(initializeBody + "\n")
	out, err = cmd.Output()
	require.NoError(t, err)
	var resp struct {
		Result struct {
			ServerInfo struct {
				Name    string `json:"name"`
				Version string `json:"version"`
			} `json:"serverInfo"`
		} `json:"result"`
	}
	line, _, _ := strings.Cut(string(out), "\n")
	require.NoError(t, json.Unmarshal([]byte(line), &resp), "%s", out)
	assert.Equal(t, v, resp.Result.ServerInfo.Version, "serverInfo.version")
}
