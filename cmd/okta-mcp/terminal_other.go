//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly && !windows

package main

// isTerminalFd is false where okta-mcp cannot tell: no hint is printed.
func isTerminalFd(uintptr) bool { return false }
