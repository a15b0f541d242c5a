package main

import "syscall"

// isTerminalFd reports whether fd is a console: only a console has a mode.
func isTerminalFd(fd uintptr) bool {
	var mode uint32
	return syscall.GetConsoleMode(syscall.Handle(fd), &mode) == nil
}
