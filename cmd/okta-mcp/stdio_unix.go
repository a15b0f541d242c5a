//go:build unix

package main

import (
	"io"
	"os"
	"syscall"
)

// pollable returns stdin and stdout as files read and written through Go's
// network poller when they are pipes (as MCP clients start servers): a
// blocking pipe ties up an OS thread per read and costs a thread hand-off
// per message (about 100 µs a call measured whole-process). Anything else
// (a terminal, a file, a test's buffer) is returned as is. restore puts the
// pipes back in blocking mode, as another process may share them.
func pollable(stdin io.Reader, stdout io.Writer) (io.Reader, io.Writer, func()) {
	var undo []func()
	if f, ok := stdin.(*os.File); ok {
		if p, u := pollableFile(f); p != nil {
			stdin = p
			undo = append(undo, u)
		}
	}
	if f, ok := stdout.(*os.File); ok {
		if p, u := pollableFile(f); p != nil {
			stdout = p
			undo = append(undo, u)
		}
	}
	return stdin, stdout, func() {
		for _, u := range undo {
			u()
		}
	}
}

// pollableFile returns a non-blocking, pollable *os.File for the same
// descriptor as f when f is a pipe, and how to undo it; nil otherwise.
func pollableFile(f *os.File) (*os.File, func()) {
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		return nil, nil
	}
	// Dup, so that the original *os.File (os.Stdin, os.Stdout) keeps its
	// descriptor and closing ours does not close it.
	fd, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		return nil, nil
	}
	if err := syscall.SetNonblock(fd, true); err != nil {
		_ = syscall.Close(fd)
		return nil, nil
	}
	p := os.NewFile(uintptr(fd), f.Name())
	return p, func() {
		_ = syscall.SetNonblock(fd, false)
		_ = p.Close()
	}
}
