package main

import "syscall"

// interruptSignal asks an HTTP server to shut down gracefully.
var interruptSignal = syscall.SIGINT
