// Command okta-mcp is an MCP server that lets AI agents administer the users
// and groups of an Okta org.
//
// Usage:
//
//	okta-mcp [flags]             serve MCP (stdio by default; --transport sse|http)
//	okta-mcp sandbox [flags]     serve the in-memory Okta org over plain HTTP
//	okta-mcp tools [--json]      print the tool catalog
//	okta-mcp login [--device]    sign in as yourself (OAuth 2.0 for Okta APIs)
//	okta-mcp logout              revoke and forget the stored sign-in
//	okta-mcp whoami              who is signed in, org, scopes, expiry
//	okta-mcp version             print the version
//
// Run `okta-mcp --help` or `okta-mcp <command> --help` for the flags. Logs go
// to stderr only; in stdio mode stdout carries nothing but the MCP protocol.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the process exit code.
func run(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := ""
	if len(args) > 0 {
		cmd = args[0]
	}
	switch cmd {
	case "sandbox":
		return runSandbox(args[1:], getenv, stderr)
	case "tools":
		return runTools(args[1:], getenv, stdout, stderr)
	case "login":
		return runLogin(args[1:], getenv, stdout, stderr)
	case "logout":
		return runLogout(args[1:], getenv, stdout, stderr)
	case "whoami":
		return runWhoami(args[1:], getenv, stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "okta-mcp %s\n", buildVersion())
		return 0
	case "help":
		printUsage(stdout)
		return 0
	case "serve":
		// Accepted for symmetry; serving is the default command.
		return runServe(args[1:], getenv, stdin, stdout, stderr)
	default:
		if cmd != "" && cmd[0] != '-' {
			fmt.Fprintf(stderr, "okta-mcp: unknown command %q\n\n", cmd)
			printUsage(stderr)
			return 2
		}
		return runServe(args, getenv, stdin, stdout, stderr)
	}
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `okta-mcp: an MCP server for administering Okta users and groups.

Usage:
  okta-mcp [flags]              serve MCP (stdio by default; --transport sse|http)
  okta-mcp sandbox [flags]      serve the in-memory Okta org over plain HTTP
  okta-mcp tools [--json]       print the tool catalog
  okta-mcp login [--device]     sign in to your org as yourself (OKTA_ORG_URL, OKTA_CLIENT_ID)
  okta-mcp logout               revoke and forget the stored sign-in
  okta-mcp whoami               who is signed in, to which org, scopes, expiry
  okta-mcp version              print the version

Run "okta-mcp --help" or "okta-mcp sandbox --help" for the flags.
`)
}

// signalContext returns a context cancelled by the first SIGINT or SIGTERM.
// After that, the default behaviour is restored, so a second signal ends the
// process at once.
func signalContext(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case <-ch:
			signal.Stop(ch)
			cancel()
		case <-ctx.Done():
			signal.Stop(ch)
		}
	}()
	return ctx, cancel
}
