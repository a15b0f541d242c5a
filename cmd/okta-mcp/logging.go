package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
)

// parseLevel turns debug|info|warn|error into a slog level.
func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug, nil
	case "", "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("unknown log level %q (want debug, info, warn or error)", s)
}

// newLogHandler returns a text or JSON slog handler writing to w.
func newLogHandler(w io.Writer, format string, level slog.Leveler) (slog.Handler, error) {
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "", "text":
		return slog.NewTextHandler(w, opts), nil
	case "json":
		return slog.NewJSONHandler(w, opts), nil
	}
	return nil, fmt.Errorf("unknown log format %q (want text or json)", format)
}

// openAudit returns the audit logger: JSON lines appended to path, or the
// main logger (stderr) tagged log=audit when path is empty. The returned
// closer closes the file.
func openAudit(path string, logger *slog.Logger) (*slog.Logger, io.Closer, error) {
	if path == "" {
		return logger.With("log", "audit"), io.NopCloser(nil), nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("opening audit log: %w", err)
	}
	return slog.New(slog.NewJSONHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo})).With("log", "audit"), f, nil
}
