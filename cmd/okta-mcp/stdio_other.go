//go:build !unix

package main

import "io"

// pollable returns stdin and stdout unchanged on this platform.
func pollable(stdin io.Reader, stdout io.Writer) (io.Reader, io.Writer, func()) {
	return stdin, stdout, func() {}
}
