package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/schema"
	"github.com/okta-mcp/okta-mcp/tools/mcpauth"
)

// ToolFunc builds one tool: its MCP definition and its handler.
type ToolFunc func(*Deps) (mcp.Tool, server.ToolHandlerFunc)

// Deps is what every tool needs: the credential mode, the clients, the
// operator's policy (enabled tools, confirmation) and the audit log. Build
// it with NewDeps; NewServer does.
type Deps struct {
	opts      Options
	logger    *slog.Logger
	audit     *slog.Logger
	clients   *clientCache
	enabled   map[string]bool   // tools served
	toolsetOf map[string]string // tool name -> toolset
	writes    map[string]bool   // tool name -> changes Okta
	disabled  map[string]string // tool name -> why it is disabled
	// alt holds, in per-call mode, each tool's variant for requests that
	// carry X-Okta-* header credentials: apiKey/domain optional.
	alt         map[string]mcp.Tool
	validators  map[string]*toolValidators
	confirmWhen map[string]string // tool -> when it asks for confirmation
	// types records the Go types of each tool's schemas, for the generator
	// of schemas.json; missing lists the tools schemas.json lacks.
	types      map[string][2]schema.Type
	missing    []string
	confirmer  *confirmer  // the confirmation key and pending questions
	handshakes *handshakes // what each session declared at initialize
}

// toolValidators holds a tool's input validators, compiled on first use:
// compiling all of them at NewServer cost most of the start-up time and
// allocations, and a session typically calls a few tools. TestValidatorsCompile
// compiles every one, so a broken schema fails CI, not the first call.
type toolValidators struct {
	main     lazyValidator  // the advertised schema
	optCreds *lazyValidator // per-call mode with header credentials; nil otherwise
}

// lazyValidator compiles a JSON Schema into a validator once, on first use;
// safe for concurrent use.
type lazyValidator struct {
	raw  json.RawMessage
	once sync.Once
	v    *schema.Validator
	err  error
}

func newLazyValidator(raw json.RawMessage) *lazyValidator { return &lazyValidator{raw: raw} }

// get returns the compiled validator, compiling it on the first call.
func (l *lazyValidator) get() (*schema.Validator, error) {
	l.once.Do(func() { l.v, l.err = schema.NewValidator(l.raw) })
	return l.v, l.err
}

// NewDeps prepares the dependencies of the tools for opts.
func NewDeps(opts Options) *Deps {
	lg := opts.Logger
	if lg == nil {
		lg = slog.New(slog.DiscardHandler)
	}
	au := opts.Audit
	if au == nil {
		au = slog.New(slog.DiscardHandler)
	}
	return &Deps{
		opts:        opts,
		logger:      lg,
		audit:       au,
		clients:     newClientCache(128),
		alt:         map[string]mcp.Tool{},
		validators:  map[string]*toolValidators{},
		confirmWhen: map[string]string{},
		types:       map[string][2]schema.Type{},
		confirmer:   newConfirmer(opts.ConfirmTimeout),
		handshakes:  newHandshakes(),
	}
}

// hooks are the server hooks the tools rely on: the record of what each
// client declared at initialize, and the refusal of duplicate JSON keys.
func (d *Deps) hooks() *server.Hooks {
	h := &server.Hooks{}
	h.AddAfterInitialize(func(ctx context.Context, _ any, req *mcp.InitializeRequest, _ *mcp.InitializeResult) {
		d.handshakes.initialized(ctx, req)
	})
	h.AddOnUnregisterSession(func(_ context.Context, s server.ClientSession) { d.handshakes.forget(s) })
	refuseDuplicateKeys(h)
	return h
}

func (d *Deps) perCall() bool { return d.opts.ServerClient == nil }

// spec describes a tool; define turns it into an MCP tool and handler.
type spec[In any] struct {
	name        string
	toolset     string
	title       string
	description string
	readOnly    bool
	destructive bool
	idempotent  bool
	output      schema.Type // the Go type of the structured result: schema.Output[T]()
	// confirmWhen, when set, says that the handler asks a human to
	// confirm (with c.confirm, see confirm.go) and when, in words, for the
	// documentation: "always", or e.g. "with sendEmail false".
	confirmWhen string
	// ids lists the parameters that become URL path segments; they are
	// checked before anything is sent.
	ids func(In) []idParam
}

// idParam is a parameter that ends up in a URL path (a user id or login, a
// group id).
type idParam struct{ name, value string }

// credentialsInput are the per-call credential parameters (per-call mode).
type credentialsInput struct {
	APIKey string `json:"apiKey" jsonschema:"minLength=1,writeOnly=true" jsonschema_description:"Okta API token (SSWS), used for this call only and never echoed."`
	Domain string `json:"domain" jsonschema:"minLength=1" jsonschema_description:"Okta org domain, e.g. dev-123456.okta.com (not the -admin host)."`
}

// handlerFunc is a tool's own logic, run after validation, credential
// resolution and (when needed) confirmation.
type handlerFunc[In any] func(ctx context.Context, c *call, in In) *mcp.CallToolResult

// define builds the MCP tool for s in d's credential mode, and a handler
// that guards, validates, resolves credentials, confirms, runs h and audits.
func define[In any](d *Deps, s spec[In], h handlerFunc[In]) (mcp.Tool, server.ToolHandlerFunc) {
	// Only decoding the arguments into In is generic; everything else is
	// toolMeta's, compiled once rather than once per input type.
	m := &toolMeta{
		name: s.name, title: s.title, description: s.description,
		readOnly: s.readOnly, destructive: s.destructive, idempotent: s.idempotent,
		output: s.output, confirmWhen: s.confirmWhen,
	}
	tool := d.register(m, schema.Input[In]())
	return tool, d.handler(m, func(ctx context.Context, c *call, args map[string]any, raw []byte) *mcp.CallToolResult {
		var input In
		if err := json.Unmarshal(raw, &input); err != nil {
			return c.invalid(err.Error())
		}
		var ids []idParam
		if s.ids != nil {
			ids = s.ids(input)
		}
		var fields []string
		if fs, ok := any(input).(fieldSelector); ok {
			fields = fs.selectedFields()
		}
		if r := c.prepare(ctx, m, args, ids, fields); r != nil {
			return r
		}
		return h(ctx, c, input)
	})
}

// toolMeta is what of a spec is not about its input type.
type toolMeta struct {
	name, title, description          string
	readOnly, destructive, idempotent bool
	output                            schema.Type
	confirmWhen                       string
}

// register records m's schemas, validators and confirmation policy in d, and
// returns its MCP tool. The schemas were generated from the Go types at
// build time (schemas.json, go generate); nothing is reflected here.
func (d *Deps) register(m *toolMeta, input schema.Type) mcp.Tool {
	d.types[m.name] = [2]schema.Type{input, m.output}
	gen, ok := generatedSchemas()[m.name]
	if !ok {
		d.missing = append(d.missing, m.name)
	}
	in, optIn := gen.Input, json.RawMessage(nil)
	if d.perCall() {
		in, optIn = gen.InputPerCall, gen.InputPerCallOptional
	}
	tool := newTool(m, in, gen.Output)
	tv := &toolValidators{main: lazyValidator{raw: tool.RawInputSchema}}
	if optIn != nil {
		alt := newTool(m, optIn, gen.Output)
		d.alt[m.name] = alt
		tv.optCreds = newLazyValidator(alt.RawInputSchema)
	}
	d.validators[m.name] = tv
	if m.confirmWhen != "" {
		d.confirmWhen[m.name] = m.confirmWhen
	}
	return tool
}

// handler is the MCP handler of the tool m: it guards, validates and
// resolves credentials (c.run), decodes the arguments and runs the tool
// (decode), and logs and audits the call; a panic becomes an error result.
func (d *Deps) handler(m *toolMeta, decode func(ctx context.Context, c *call, args map[string]any, raw []byte) *mcp.CallToolResult) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (res *mcp.CallToolResult, err error) {
		c := &call{d: d, tool: m.name, write: !m.readOnly, req: req}
		if who, ok := CallerFrom(ctx); ok {
			c.caller = &who
		}
		start := time.Now()
		defer func() {
			if r := recover(); r != nil {
				d.logger.ErrorContext(ctx, "tool panicked", slog.String("tool", m.name), slog.Any("panic", r), slog.String("stack", string(debug.Stack())))
				c.outcome = "internal_error"
				res, err = nil, fmt.Errorf("%s failed unexpectedly; the server logged the details", m.name)
			}
			if c.write && !c.awaitingInput {
				c.auditLine(ctx)
			}
			// Never the arguments: they may hold credentials.
			d.logger.LogAttrs(ctx, slog.LevelDebug, "tool call",
				slog.String("tool", m.name), slog.String("result", c.outcome),
				slog.Bool("awaiting_confirmation", c.awaitingInput), slog.Duration("duration", time.Since(start)))
		}()
		return c.run(ctx, decode), nil
	}
}

// invalid refuses the call's arguments: nothing is sent to Okta.
func (c *call) invalid(why string) *mcp.CallToolResult {
	c.outcome = "invalid_arguments"
	return errorResult(fmt.Sprintf("%s: invalid arguments: %s. Nothing was sent to Okta.", c.tool, why))
}

// prepare checks the decoded arguments of tool m (the path segments ids, the
// fields asked for) and resolves the Okta client; a non-nil result ends the
// call.
func (c *call) prepare(ctx context.Context, m *toolMeta, args map[string]any, ids []idParam, fields []string) *mcp.CallToolResult {
	for _, p := range ids {
		if err := okta.ValidatePathSegment(p.value); err != nil {
			return c.invalid(p.name + ": " + strings.TrimPrefix(err.Error(), "okta: "))
		}
	}
	if len(fields) > 0 {
		shape := listShapeOf(m.output.Go)
		if err := checkFields(m.name, shape, fields); err != nil {
			return c.invalid(err.Error())
		}
		c.fields, c.shape = fields, shape
	}
	return c.resolveClient(ctx, args)
}

func newTool(m *toolMeta, inRaw, outRaw json.RawMessage) mcp.Tool {
	if inRaw == nil { // not generated yet: NewServer refuses to start
		inRaw = json.RawMessage(`{"type":"object"}`)
	}
	tool := mcp.NewToolWithRawSchema(m.name, m.description, inRaw)
	tool.RawOutputSchema = outRaw
	tool.Annotations = mcp.ToolAnnotation{
		Title:           m.title,
		ReadOnlyHint:    mcp.ToBoolPtr(m.readOnly),
		DestructiveHint: mcp.ToBoolPtr(m.destructive),
		IdempotentHint:  mcp.ToBoolPtr(m.idempotent),
		OpenWorldHint:   mcp.ToBoolPtr(true),
	}
	tool.Title = m.title
	return tool
}

// call is the state of one tool call.
type call struct {
	d       *Deps
	tool    string
	write   bool
	req     mcp.CallToolRequest
	client  *okta.Client
	creds   string // how the call authenticated, for audit lines
	org     string // org host
	target  string
	outcome string // "ok", an Okta error code, or a short reason
	reqID   string // the last Okta request id
	args    map[string]any
	caller  *Caller // the authenticated person, on remote OAuth requests

	credKey string // identifies the credentials (a hash, never the secret), for confirmations

	// fields, when set, trims each listed item of the result (fieldsInput).
	fields []string
	shape  *listShape

	awaitingInput bool   // the result asks the client for a confirmation
	confirmedBy   string // "user" when a human confirmed, "operator_flag" when --allow-unconfirmed let it run unasked
}

// run performs the checks every tool shares, in order: is the tool enabled;
// in server mode, no per-call credentials; arguments valid against the
// advertised schema. Nothing reaches Okta before they pass.
func (c *call) run(ctx context.Context, next func(context.Context, *call, map[string]any, []byte) *mcp.CallToolResult) *mcp.CallToolResult {
	if why, off := c.d.disabled[c.tool]; off {
		c.outcome = "disabled"
		return errorResult(fmt.Sprintf("%s is disabled: %s. Nothing was sent to Okta.", c.tool, why))
	}
	if who := c.caller; who != nil && c.write && !who.Manage {
		// The HTTP layer answers such calls with 403 insufficient_scope
		// (step-up) before they get here; this is the backstop.
		c.outcome = "insufficient_scope"
		return errorResult(fmt.Sprintf("%s changes Okta, and the access token of %s does not grant the %s scope. Nothing was sent to Okta. Ask the user to sign in again granting %s, or use the read-only tools.", c.tool, who, mcpauth.ScopeManage, mcpauth.ScopeManage))
	}
	raw, err := rawArguments(c.req)
	if err != nil {
		c.outcome = "invalid_arguments"
		return errorResult(fmt.Sprintf("%s: invalid arguments: %v. Nothing was sent to Okta.", c.tool, err))
	}
	decoded, err := schema.DecodeArguments(raw)
	if err != nil {
		c.outcome = "invalid_arguments"
		return errorResult(fmt.Sprintf("%s: invalid arguments: %v. Nothing was sent to Okta.", c.tool, err))
	}
	args, _ := decoded.(map[string]any)
	c.target = guessTarget(args)
	if args != nil && !c.d.perCall() {
		var sent []string
		for _, k := range []string{"apiKey", "domain"} {
			if _, ok := args[k]; ok {
				sent = append(sent, k)
			}
		}
		if len(sent) > 0 {
			c.outcome = "credentials_refused"
			return errorResult(fmt.Sprintf("%s: %s not accepted: this server is configured with its own Okta credentials for %s, and tools take no credentials. Call the tool again without %s. Nothing was sent to Okta.",
				c.tool, strings.Join(sent, " and "), c.d.opts.ServerClient.OrgURL().Host, strings.Join(sent, " and ")))
		}
	}
	tv := c.d.validators[c.tool]
	lv := &tv.main
	if tv.optCreds != nil && headerCredsFrom(ctx).complete() {
		lv = tv.optCreds
	}
	v, err := lv.get()
	if err != nil {
		// A schema that does not compile is a bug (TestValidatorsCompile
		// catches it in CI); refuse the call rather than skip validation.
		c.outcome = "internal_error"
		c.d.logger.ErrorContext(ctx, "input schema does not compile", slog.String("tool", c.tool), slog.Any("error", err))
		return errorResult(fmt.Sprintf("%s: internal error: its input schema could not be compiled; the server logged the details. Nothing was sent to Okta.", c.tool))
	}
	if err := v.Validate(decoded); err != nil {
		c.outcome = "invalid_arguments"
		return errorResult(fmt.Sprintf("%s: invalid arguments: %v. Nothing was sent to Okta.", c.tool, err))
	}
	c.args = args
	// The handler binds the arguments from the JSON as received (it passed
	// validation: one object), not from a re-marshalled copy of args.
	b := bytes.TrimSpace(raw)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		b = []byte("{}")
	}
	return next(ctx, c, args, b)
}

// guessTarget names what a call is about (user, group, new login or name)
// from its raw arguments, for audit lines, including those of calls refused
// before their arguments are bound. Handlers refine it once they have read
// the user or group.
func guessTarget(args map[string]any) string {
	get := func(k string) string {
		v, _ := args[k].(string)
		return shorten(v)
	}
	switch user, group := get("userId"), get("groupId"); {
	case user != "" && group != "":
		return user + " -> group " + group
	case user != "":
		return user
	case group != "":
		return group
	}
	for _, k := range []string{"login", "email", "name"} {
		if v := get(k); v != "" {
			return v
		}
	}
	return ""
}

// rawArguments returns the call's arguments as JSON.
func rawArguments(req mcp.CallToolRequest) ([]byte, error) {
	if len(req.Params.RawArguments) > 0 {
		return req.Params.RawArguments, nil
	}
	switch a := req.Params.Arguments.(type) {
	case nil:
		return nil, nil
	case json.RawMessage:
		return a, nil
	case []byte:
		return a, nil
	default:
		return json.Marshal(a)
	}
}

// auditLine writes the call's audit record: one structured line per write.
func (c *call) auditLine(ctx context.Context) {
	outcome := c.outcome
	if outcome == "" {
		outcome = "unknown"
	}
	attrs := []slog.Attr{
		slog.String("tool", c.tool),
		slog.String("target", c.target),
		slog.String("result", outcome),
		slog.String("okta_request_id", c.reqID),
		slog.String("org", c.org),
		slog.String("credentials", c.creds),
		slog.String("confirmed_by", c.confirmedBy),
	}
	if who := c.caller; who != nil {
		// The person behind the call, from their MCP access token: Okta's
		// System Log shows the server's credentials, this line shows who.
		attrs = append(attrs,
			slog.String("caller", who.Subject),
			slog.String("caller_id", who.UserID),
			slog.String("caller_client", who.ClientID))
	}
	c.d.audit.LogAttrs(ctx, slog.LevelInfo, "okta write", attrs...)
}
