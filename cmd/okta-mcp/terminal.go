package main

import (
	"io"
	"os"
)

// terminalHint is printed on stderr when okta-mcp serves stdio to a terminal:
// someone started it by hand, and it would otherwise wait in silence.
const terminalHint = `okta-mcp is an MCP server: an MCP client (Claude Desktop, Claude Code, VS Code,
Cursor, ...) starts it and speaks JSON-RPC on its stdin; it is not typed at.
  Connect a client:  claude mcp add okta -- okta-mcp --sandbox   (see the README for others)
  List the tools:    okta-mcp tools
  Try it by hand:    npx @modelcontextprotocol/inspector okta-mcp --sandbox
  All commands:      okta-mcp --help
Waiting for a client on stdin; Ctrl-C to quit.
`

// isTerminal reports whether r is a terminal (see isTerminalFd per platform).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && isTerminalFd(f.Fd())
}
