package main

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openPTY opens a pseudo-terminal pair (Linux /dev/ptmx).
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		t.Skipf("unlockpt: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		t.Skipf("ptsname: %v", e)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return m, s
}

func TestIsTerminal(t *testing.T) {
	_, slave := openPTY(t)
	assert.True(t, isTerminal(slave))
	devNull, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer devNull.Close()
	assert.False(t, isTerminal(devNull), "/dev/null is a character device, not a terminal")
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	assert.False(t, isTerminal(r))
	assert.False(t, isTerminal(strings.NewReader("")))
}

// TestTerminalHint: started by hand (stdin is a terminal), okta-mcp says what
// it is on stderr; started by a client (a pipe), it says nothing of the kind.
func TestTerminalHint(t *testing.T) {
	t.Parallel()
	_, slave := openPTY(t)
	cmd := exec.Command(binPath, "--sandbox")
	cmd.Env = childEnv()
	cmd.Stdin = slave
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	time.AfterFunc(3*time.Second, func() { _ = cmd.Process.Signal(syscall.SIGTERM) })
	_ = cmd.Wait()
	out := stderr.String()
	assert.Contains(t, out, "okta-mcp is an MCP server")
	assert.Contains(t, out, "okta-mcp tools")
	assert.Contains(t, out, "@modelcontextprotocol/inspector")
	assert.Equal(t, 1, strings.Count(out, "is an MCP server"))

	_, piped, code := runCmd(t, nil, "--sandbox")
	assert.Equal(t, 0, code, piped)
	assert.NotContains(t, piped, "is an MCP server")
}
