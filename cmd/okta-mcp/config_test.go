package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func envFunc(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseServeConfigFlagsAndEnv(t *testing.T) {
	env := map[string]string{
		"OKTA_MCP_TRANSPORT":        "http",
		"OKTA_MCP_LISTEN":           "127.0.0.1:9999",
		"OKTA_MCP_READ_ONLY":        "true",
		"OKTA_MCP_TOOLSETS":         "users, groups",
		"OKTA_MCP_CUSTOM_DOMAINS":   "login.example.com",
		"OKTA_MCP_STATELESS":        "1",
		"OKTA_MCP_SHUTDOWN_TIMEOUT": "3s",
	}
	c, err := parseServeConfig([]string{"--listen", "127.0.0.1:7777", "--tools", "okta_get_user"}, envFunc(env), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "http", c.transport)
	assert.Equal(t, "127.0.0.1:7777", c.listen, "a flag wins over its environment variable")
	assert.True(t, c.readOnly)
	assert.True(t, c.stateless)
	assert.Equal(t, []string{"users", "groups"}, c.toolsets)
	assert.Equal(t, []string{"okta_get_user"}, c.tools)
	assert.Equal(t, []string{"login.example.com"}, c.customDomains)
	assert.Equal(t, 3*time.Second, c.shutdownTimeout)

	c, err = parseServeConfig(nil, envFunc(nil), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "stdio", c.transport)
	assert.Equal(t, "127.0.0.1:8080", c.listen)
	assert.Equal(t, int64(1<<20), c.maxRequestBytes)
}

func TestParseServeConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"bad transport", []string{"--transport", "carrier-pigeon"}, nil, "want stdio, sse or http"},
		{"bad env bool", nil, map[string]string{"OKTA_MCP_READ_ONLY": "maybe"}, "OKTA_MCP_READ_ONLY"},
		{"bad log level", []string{"--log-level", "loud"}, nil, "--log-level"},
		{"stateless needs http", []string{"--stateless"}, nil, "--stateless"},
		{"stray argument", []string{"serve-me"}, nil, "unexpected argument"},
		{"bad origin", []string{"--allowed-origins", "app.example.com"}, nil, "--allowed-origins"},
		{"short auth token", nil, map[string]string{"OKTA_MCP_AUTH_TOKEN": "short"}, "too short"},
		{"seed without sandbox", []string{"--sandbox-seed", "x.json"}, nil, "--sandbox"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseServeConfig(tt.args, envFunc(tt.env), io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestAuthTokenSources(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(file, []byte("from-file-0123456789\n"), 0o600))

	c, err := parseServeConfig([]string{"--auth-token-file", file}, envFunc(nil), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "from-file-0123456789", c.authToken)

	c, err = parseServeConfig(nil, envFunc(map[string]string{"OKTA_MCP_AUTH_TOKEN": "from-env-0123456789"}), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "from-env-0123456789", c.authToken)

	_, err = parseServeConfig([]string{"--auth-token-file", file}, envFunc(map[string]string{"OKTA_MCP_AUTH_TOKEN": "from-env-0123456789"}), io.Discard)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "from-env")
}

func TestLoadServerCredentials(t *testing.T) {
	const secret = "00secret-api-token-value-xyz"
	tests := []struct {
		name     string
		env      map[string]string
		wantNone bool
		wantErr  string
		wantDesc string
	}{
		{name: "nothing: per-call mode", env: nil, wantNone: true},
		{name: "api token", env: map[string]string{"OKTA_ORG_URL": "https://dev-1.okta.com", "OKTA_API_TOKEN": secret}, wantDesc: "api-token:…-xyz"},
		{name: "sdk aliases", env: map[string]string{"OKTA_CLIENT_ORGURL": "https://dev-1.okta.com", "OKTA_CLIENT_TOKEN": secret}, wantDesc: "api-token:…-xyz"},
		{name: "token without url", env: map[string]string{"OKTA_API_TOKEN": secret}, wantErr: "OKTA_ORG_URL is not"},
		{name: "url without token", env: map[string]string{"OKTA_ORG_URL": "https://dev-1.okta.com"}, wantErr: "no credentials"},
		{name: "token and client id", env: map[string]string{"OKTA_ORG_URL": "https://dev-1.okta.com", "OKTA_API_TOKEN": secret, "OKTA_CLIENT_ID": "0oa1"}, wantErr: "set only one"},
		{name: "disagreeing org URLs name only hosts", env: map[string]string{"OKTA_ORG_URL": "https://dev-1.okta.com/?t=" + secret, "OKTA_CLIENT_ORGURL": "https://user:" + secret + "@dev-2.okta.com", "OKTA_API_TOKEN": "tok-0123456789"}, wantErr: "disagree"},
		{name: "disagreeing tokens", env: map[string]string{"OKTA_ORG_URL": "https://dev-1.okta.com", "OKTA_API_TOKEN": secret, "OKTA_CLIENT_TOKEN": "other-token-value"}, wantErr: "different values"},
		{name: "key id without key", env: map[string]string{"OKTA_ORG_URL": "https://dev-1.okta.com", "OKTA_CLIENT_ID": "0oa1", "OKTA_KEY_ID": "k1"}, wantErr: "no private key"},
		{name: "key without client id", env: map[string]string{"OKTA_ORG_URL": "https://dev-1.okta.com", "OKTA_PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----"}, wantErr: "OKTA_CLIENT_ID is not"},
		{name: "key and key file", env: map[string]string{"OKTA_ORG_URL": "https://dev-1.okta.com", "OKTA_CLIENT_ID": "0oa1", "OKTA_PRIVATE_KEY": "x", "OKTA_PRIVATE_KEY_FILE": "/nonexistent"}, wantErr: "not both"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadServerCredentials(envFunc(tt.env), false)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.NotContains(t, err.Error(), secret, "errors never echo secrets")
				return
			}
			require.NoError(t, err)
			if tt.wantNone {
				assert.Nil(t, c)
				return
			}
			require.NotNil(t, c)
			assert.Equal(t, tt.wantDesc, c.auth.Describe())
		})
	}
}

func TestLoadServerCredentialsOAuth(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	keyFile := filepath.Join(t.TempDir(), "key.pem")
	require.NoError(t, os.WriteFile(keyFile, []byte(keyPEM), 0o600))

	for name, env := range map[string]map[string]string{
		"key in env":  {"OKTA_ORG_URL": "https://dev-1.okta.com", "OKTA_CLIENT_ID": "0oa1service", "OKTA_PRIVATE_KEY": keyPEM, "OKTA_KEY_ID": "k1"},
		"key in file": {"OKTA_ORG_URL": "https://dev-1.okta.com", "OKTA_CLIENT_ID": "0oa1service", "OKTA_PRIVATE_KEY_FILE": keyFile, "OKTA_SCOPES": "okta.users.read okta.groups.read"},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := loadServerCredentials(envFunc(env), false)
			require.NoError(t, err)
			require.NotNil(t, c)
			assert.Equal(t, "oauth:0oa1service", c.auth.Describe())
		})
	}
	_, err = loadServerCredentials(envFunc(map[string]string{
		"OKTA_ORG_URL": "https://dev-1.okta.com", "OKTA_CLIENT_ID": "0oa1service", "OKTA_PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----",
	}), false)
	require.Error(t, err, "a bad key stops the server at start-up")
	assert.NotContains(t, err.Error(), "not a key")
}

func TestVersionFromBuildInfo(t *testing.T) {
	tests := []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"module version", debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{"vcs revision", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}}, "dev-0123456789ab-dirty"},
		{"nothing known", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, versionFromBuildInfo(&tt.info), tt.name)
	}
	assert.NotEmpty(t, strings.TrimSpace(buildVersion()))
}
