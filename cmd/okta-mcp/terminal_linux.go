package main

import (
	"syscall"
	"unsafe"
)

// isTerminalFd asks the kernel for the terminal attributes of fd (TCGETS),
// which only a terminal has: /dev/null, pipes and files fail. This is what
// golang.org/x/term does, without the dependency.
func isTerminalFd(fd uintptr) bool {
	var t syscall.Termios
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	return errno == 0
}
