//go:build unix

package main

import (
	"bytes"
	"io"
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func nonblocking(t *testing.T, f *os.File) bool {
	t.Helper()
	flags, _, errno := syscall.Syscall(syscall.SYS_FCNTL, f.Fd(), syscall.F_GETFL, 0)
	require.Zero(t, errno)
	return flags&syscall.O_NONBLOCK != 0
}

func TestPollableStdio(t *testing.T) {
	t.Run("pipes become pollable and are restored", func(t *testing.T) {
		r, w, err := os.Pipe()
		require.NoError(t, err)
		defer r.Close()
		defer w.Close()
		in, out, restore := pollable(r, w)
		require.NotSame(t, r, in)
		require.NotSame(t, w, out)
		assert.True(t, nonblocking(t, in.(*os.File)))
		_, err = out.Write([]byte("ping\n"))
		require.NoError(t, err)
		buf := make([]byte, 5)
		_, err = io.ReadFull(in, buf)
		require.NoError(t, err)
		assert.Equal(t, "ping\n", string(buf))
		restore()
		assert.False(t, nonblocking(t, r), "stdin back in blocking mode")
		assert.False(t, nonblocking(t, w), "stdout back in blocking mode")
		// The original files still work.
		_, err = w.Write([]byte("x"))
		require.NoError(t, err)
		_, err = r.Read(buf[:1])
		require.NoError(t, err)
	})
	t.Run("anything else is left alone", func(t *testing.T) {
		var src, dst bytes.Buffer
		in, out, restore := pollable(&src, &dst)
		defer restore()
		assert.Same(t, &src, in)
		assert.Same(t, &dst, out)
		f, err := os.CreateTemp(t.TempDir(), "stdin")
		require.NoError(t, err)
		defer f.Close()
		in, _, restore2 := pollable(f, &dst)
		defer restore2()
		assert.Same(t, f, in)
	})
}
