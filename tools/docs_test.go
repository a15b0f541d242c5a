package tools

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	beginTools = "<!-- BEGIN TOOLS -->\n"
	endTools   = "<!-- END TOOLS -->"
)

// TestReadmeToolTable fails when the README's tool table is not what the
// registered tools render; UPDATE_README=1 rewrites that section only.
func TestReadmeToolTable(t *testing.T) {
	path := filepath.Join("..", "README.md")
	raw, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skip("README.md does not exist yet")
	}
	require.NoError(t, err)
	readme := string(raw)
	i := strings.Index(readme, beginTools)
	j := strings.Index(readme, endTools)
	if i < 0 || j < i {
		t.Skipf("README.md has no %q ... %q section yet", strings.TrimSpace(beginTools), endTools)
	}
	want := ToolTable(Options{})
	got := readme[i+len(beginTools) : j]
	if os.Getenv("UPDATE_README") != "" {
		updated := readme[:i+len(beginTools)] + want + readme[j:]
		require.NoError(t, os.WriteFile(path, []byte(updated), 0o644))
		return
	}
	assert.Equal(t, want, got, "the README's tool table is stale: run UPDATE_README=1 go test ./tools/ -run TestReadmeToolTable")
}

func TestToolTable(t *testing.T) {
	table := ToolTable(Options{})
	lines := strings.Split(strings.TrimSpace(table), "\n")
	require.Len(t, lines, 2+2+toolCount, "intro, blank line, header, separator and one row per tool")
	assert.Contains(t, table, "| `okta_get_user` | users | yes | read-only | **`userId`** |")
	assert.Contains(t, table, "| `okta_delete_user` | lifecycle | yes | write, destructive; asks | **`userId`**, `sendEmail` |")
	assert.Contains(t, table, "| `okta_activate_user` | lifecycle | yes | write; asks with sendEmail false, or for a DEPROVISIONED user |")
	assert.Contains(t, table, "| `okta_create_group` | groups | no | write |")
	assert.Contains(t, table, "`search`, `filter`, `limit`, `after`, `fields`")
	assert.NotContains(t, table, "`apiKey`, ", "credentials are described once, not per tool")

	ro := ToolTable(Options{ReadOnly: true})
	assert.Len(t, strings.Split(strings.TrimSpace(ro), "\n"), 4+len(readTools))
}
