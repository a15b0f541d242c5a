package tools

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// NewLogHandler returns a slog.Handler that passes every record to next
// (nil: none) and also forwards records logged with the context of a tool
// call to that call's MCP client as notifications/message, when the client
// asked for that level (logging/setLevel, tracked per session by mcp-go; or
// the per-request level of protocol 2026-07-28). The okta client logs
// retries, rate-limit waits and warnings with the call's ctx, so they reach
// the agent that is waiting. Give it to the server's own okta.Client
// (okta.Config.Logger) too; per-call clients get it automatically.
func NewLogHandler(next slog.Handler) slog.Handler {
	return &mcpLogHandler{next: next}
}

type mcpLogHandler struct {
	next   slog.Handler
	attrs  []slog.Attr
	groups []string
}

func (h *mcpLogHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return (h.next != nil && h.next.Enabled(ctx, l)) || clientWants(ctx, mcpLevel(l))
}

func (h *mcpLogHandler) Handle(ctx context.Context, r slog.Record) error {
	var err error
	if h.next != nil && h.next.Enabled(ctx, r.Level) {
		err = h.next.Handle(ctx, r)
	}
	level := mcpLevel(r.Level)
	if !clientWants(ctx, level) {
		return err
	}
	srv := server.ServerFromContext(ctx)
	data := map[string]any{"message": r.Message}
	if !r.Time.IsZero() {
		data["time"] = r.Time.UTC().Format(time.RFC3339Nano)
	}
	prefix := ""
	for _, g := range h.groups {
		prefix += g + "."
	}
	for _, a := range h.attrs {
		addAttr(data, "", a) // already prefixed by WithAttrs
	}
	r.Attrs(func(a slog.Attr) bool {
		addAttr(data, prefix, a)
		return true
	})
	// Delivery is best effort: a client that went away must not fail the
	// Okta call that is logging.
	_ = srv.SendLogMessageToClient(ctx, mcp.NewLoggingMessageNotification(level, "okta", data))
	return err
}

func (h *mcpLogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	n := *h
	if h.next != nil {
		n.next = h.next.WithAttrs(attrs)
	}
	prefix := ""
	for _, g := range h.groups {
		prefix += g + "."
	}
	n.attrs = append([]slog.Attr(nil), h.attrs...)
	for _, a := range attrs {
		a.Key = prefix + a.Key
		n.attrs = append(n.attrs, a)
	}
	return &n
}

func (h *mcpLogHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	n := *h
	if h.next != nil {
		n.next = h.next.WithGroup(name)
	}
	n.groups = append(append([]string(nil), h.groups...), name)
	return &n
}

func addAttr(data map[string]any, prefix string, a slog.Attr) {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return
	}
	if a.Value.Kind() == slog.KindGroup {
		p := prefix
		if a.Key != "" {
			p += a.Key + "."
		}
		for _, ga := range a.Value.Group() {
			addAttr(data, p, ga)
		}
		return
	}
	var v any
	switch a.Value.Kind() {
	case slog.KindString:
		v = a.Value.String()
	case slog.KindInt64:
		v = a.Value.Int64()
	case slog.KindUint64:
		v = a.Value.Uint64()
	case slog.KindFloat64:
		v = a.Value.Float64()
	case slog.KindBool:
		v = a.Value.Bool()
	case slog.KindDuration:
		v = a.Value.Duration().String()
	case slog.KindTime:
		v = a.Value.Time().UTC().Format(time.RFC3339Nano)
	default:
		if e, ok := a.Value.Any().(error); ok {
			v = e.Error()
		} else {
			v = fmt.Sprint(a.Value.Any())
		}
	}
	data[prefix+a.Key] = v
}

// mcpLevel maps a slog level to MCP's syslog-style levels.
func mcpLevel(l slog.Level) mcp.LoggingLevel {
	switch {
	case l >= slog.LevelError:
		return mcp.LoggingLevelError
	case l >= slog.LevelWarn:
		return mcp.LoggingLevelWarning
	case l >= slog.LevelInfo:
		return mcp.LoggingLevelInfo
	default:
		return mcp.LoggingLevelDebug
	}
}

// clientWants reports whether ctx belongs to an MCP request whose client
// asked for log messages of this level.
func clientWants(ctx context.Context, level mcp.LoggingLevel) bool {
	if server.ServerFromContext(ctx) == nil {
		return false
	}
	session := server.ClientSessionFromContext(ctx)
	if session == nil || !session.Initialized() {
		return false
	}
	if info := server.RequestProtocolInfoFromContext(ctx); info != nil && info.Modern {
		return info.LogLevel != "" && level.ShouldSendTo(info.LogLevel)
	}
	sl, ok := session.(server.SessionWithLogging)
	return ok && level.ShouldSendTo(sl.GetLogLevel())
}
