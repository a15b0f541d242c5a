package tools

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// confirmKey names the confirmation among a call's input requests.
const confirmKey = "confirm"

// defaultConfirmTimeout is how long a question stays answerable.
const defaultConfirmTimeout = 5 * time.Minute

// maxPendingConfirmations bounds the questions waiting for an answer, and
// maxPendingPerOwner those of one owner (an MCP session, or for sessionless
// requests the credentials, and the person signed in): a flood of questions
// in one session drops that session's own oldest questions, not those
// another person is reading.
const (
	maxPendingConfirmations = 1024
	maxPendingPerOwner      = 32
)

// confirmTarget is what a question describes: the ids of the objects the
// call will act on and the state of them the question shows (status, the
// addresses mail goes to, ...).
type confirmTarget struct {
	ids   []string
	state map[string]string
}

func (t confirmTarget) equal(o confirmTarget) bool {
	return slices.Equal(t.ids, o.ids) && maps.Equal(t.state, o.state)
}

func (t confirmTarget) digest(h []byte) []byte {
	var b strings.Builder
	for _, id := range t.ids {
		b.WriteString("id\x00" + id + "\x00")
	}
	for _, k := range slices.Sorted(maps.Keys(t.state)) {
		b.WriteString(k + "\x00" + t.state[k] + "\x00")
	}
	return append(h, b.String()...)
}

// confirmation is a question to the human about one call.
type confirmation struct {
	// action says what the agent wants, for the agent's messages, e.g.
	// `deactivate the user "Ada Lovelace" (00u1)`.
	action string
	// question is the text the human reads. Every value taken from Okta or
	// from arguments must go through q().
	question string
	// target is the resolved target and the state the question shows.
	target confirmTarget
	// reread reads the target again by its resolved ids (after an answer
	// given within this call); nil results when it is gone are refusals.
	reread func(context.Context) (confirmTarget, *mcp.CallToolResult)
}

// confirmer holds the server's confirmation key and pending questions.
type confirmer struct {
	key     func() []byte // drawn once, on first use
	timeout time.Duration
	now     func() time.Time

	mu      sync.Mutex
	pending map[string]pendingConfirmation // nonce -> question asked
}

type pendingConfirmation struct {
	binding [32]byte
	expires time.Time
	target  confirmTarget
	scope   [32]byte // tool, arguments, question, org, credentials, session
	owner   string   // who asked: session, or credentials, and person
	used    bool     // answered already
}

func newConfirmer(timeout time.Duration) *confirmer {
	if timeout <= 0 {
		timeout = defaultConfirmTimeout
	}
	// The key is drawn on the first question, not at start-up: the first
	// read of crypto/rand seeds its generator, which start-up need not pay
	// for a server that may never ask.
	key := sync.OnceValue(func() []byte {
		k := make([]byte, 32)
		if _, err := rand.Read(k); err != nil {
			panic("tools: no randomness for the confirmation key: " + err.Error())
		}
		return k
	})
	return &confirmer{key: key, timeout: timeout, now: time.Now, pending: map[string]pendingConfirmation{}}
}

// issue records a question of owner as pending and returns its request
// state.
func (cf *confirmer) issue(owner string, scope [32]byte, target confirmTarget) (string, error) {
	var nonce [16]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return "", err
	}
	now := cf.now()
	exp := now.Add(cf.timeout)
	cf.mu.Lock()
	defer cf.mu.Unlock()
	// When the owner has too many questions open, or the server does, drop
	// the expired ones; if that is not enough, the one closest to expiring
	// (the owner's own first): its answer will then ask anew. A flood of
	// questions cannot stop the server from asking, and one session's
	// flood does not take back another's questions.
	mine := 0
	for _, p := range cf.pending {
		if p.owner == owner {
			mine++
		}
	}
	if mine >= maxPendingPerOwner || len(cf.pending) >= maxPendingConfirmations {
		var oldest, oldestMine string
		for n, p := range cf.pending {
			if now.After(p.expires) {
				delete(cf.pending, n)
				if p.owner == owner {
					mine--
				}
				continue
			}
			if oldest == "" || p.expires.Before(cf.pending[oldest].expires) {
				oldest = n
			}
			if p.owner == owner && (oldestMine == "" || p.expires.Before(cf.pending[oldestMine].expires)) {
				oldestMine = n
			}
		}
		switch {
		case mine >= maxPendingPerOwner:
			delete(cf.pending, oldestMine)
		case len(cf.pending) >= maxPendingConfirmations:
			delete(cf.pending, oldest)
		}
	}
	payload := make([]byte, 0, 24)
	payload = append(payload, nonce[:]...)
	payload = binary.BigEndian.AppendUint64(payload, uint64(exp.Unix()))
	binding := bindingOf(scope, target)
	cf.pending[string(nonce[:])] = pendingConfirmation{binding: binding, expires: exp, target: target, scope: scope, owner: owner}
	return "okta-mcp-confirm-v2." + base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(cf.mac(payload, binding)), nil
}

func bindingOf(scope [32]byte, target confirmTarget) [32]byte {
	return sha256.Sum256(target.digest(scope[:]))
}

func (cf *confirmer) mac(payload []byte, binding [32]byte) []byte {
	m := hmac.New(sha256.New, cf.key())
	m.Write(payload)
	m.Write(binding[:])
	return m.Sum(nil)
}

// verdict is what became of an answer's request state.
type verdict int

const (
	stateUnknown   verdict = iota // never issued by this server (or forged): ask anew
	stateStale                    // issued, but used already or expired
	stateElsewhere                // issued for another call, session or question
	stateChanged                  // issued for this call, but the target changed since
	stateValid
)

// redeem consumes the pending question named by state and says whether the
// answer may be honoured for scope and the target as it is now.
func (cf *confirmer) redeem(state string, scope [32]byte, now confirmTarget) verdict {
	rest, ok := strings.CutPrefix(state, "okta-mcp-confirm-v2.")
	if !ok {
		return stateUnknown
	}
	p64, m64, ok := strings.Cut(rest, ".")
	if !ok {
		return stateUnknown
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p64)
	mac, err2 := base64.RawURLEncoding.DecodeString(m64)
	if err1 != nil || err2 != nil || len(payload) != 24 {
		return stateUnknown
	}
	cf.mu.Lock()
	p, found := cf.pending[string(payload[:16])]
	authentic := found && hmac.Equal(mac, cf.mac(payload, p.binding))
	used := p.used
	if authentic && !used {
		// An answer is taken once, whatever it says; the entry stays until
		// it expires so that a replay is recognised as one.
		p.used = true
		cf.pending[string(payload[:16])] = p
	}
	cf.mu.Unlock()
	if !found {
		// Authentic for this call and target (then it expired and was
		// dropped), or not ours at all.
		if hmac.Equal(mac, cf.mac(payload, bindingOf(scope, now))) {
			return stateStale
		}
		return stateUnknown
	}
	if !authentic {
		return stateUnknown
	}
	if used {
		return stateStale
	}
	exp := time.Unix(int64(binary.BigEndian.Uint64(payload[16:])), 0)
	if t := cf.now(); t.After(p.expires) || t.After(exp) {
		return stateStale
	}
	if !p.target.equal(now) {
		return stateChanged
	}
	if p.scope != scope {
		return stateElsewhere
	}
	return stateValid
}

// confirm asks the human behind the MCP client to confirm cf, and returns
// nil to go ahead, otherwise the result to return at once.
//
// A handler whose call is sensitive (destructive, credential-revealing, or
// redirecting where credentials go) asks the human behind the MCP client
// before acting:
//
//	u, r := c.lookupUser(ctx, in.UserID)          // resolve the target first
//	if r != nil { return r }
//	if r := c.confirm(ctx, c.userConfirmation(u, action, question)); r != nil {
//		return r                                     // asked, refused, or declined: return as is
//	}
//	... act on u.ID, never on the raw argument ...
//
// The tool's spec sets confirmWhen (for the catalog: "always", "with ...").
// userConfirmation and groupConfirmation build the confirmation for a user
// or a group; for other targets (several users, a user's factors, ...) build
// a confirmation with every id acted on, the state the question shows, and a
// reread that reads that state again by id. Quote every value put into the
// question with q.
//
// confirm returns nil only when the human accepted this very question, in
// this session, about this target in this state, and the target still is in
// that state; the handler then acts on the resolved ids of the target. In
// every other case it returns the result to return at once.
//
// What the human approves is bound to: the tool, its arguments (without
// secrets), the exact question text, the resolved target ids and the state
// the question described (confirmTarget), the org, the credentials and the
// MCP session. Over protocol 2026-07-28 the question travels as an
// input_required result whose requestState is an HMAC (server-held random
// key) over that binding, a nonce and an expiry; the server keeps the
// question as pending and accepts an answer to it once, before it expires,
// and only if the same binding holds on the retry (the handler resolves the
// target again, so a login that moved to another user, or a changed status
// or email, refuses the call). With older protocol versions the question is
// a server-initiated elicitation/create made within the call, with a
// bounded wait; after an accept the target is read again by id and compared.
//
// A client that cannot ask its human (it did not declare elicitation when it
// connected, or its transport cannot carry it) gets a refusal, unless the
// operator started the server with --allow-unconfirmed: then the call runs
// and its audit line says confirmed_by "operator_flag".
func (c *call) confirm(ctx context.Context, cf confirmation) *mcp.CallToolResult {
	mode := c.d.handshakes.elicitationMode(ctx)
	if mode == cannotAsk {
		if c.d.opts.AllowUnconfirmed {
			c.confirmedBy = "operator_flag"
			return nil
		}
		c.outcome = "confirmation_unavailable"
		return errorResult(fmt.Sprintf("%s was not run: to %s this server needs a human's confirmation, and this MCP client cannot ask for one (it did not declare MCP elicitation when it connected, or its transport cannot carry it). Nothing was changed. Tell the user: they can use an MCP client that supports elicitation, make the change in the Okta Admin Console, or ask the operator of this server about --allow-unconfirmed.", c.tool, cf.action))
	}
	if who := c.caller; who != nil {
		cf.question = askedBy(cf.question, *who)
	}
	params := mcp.ElicitationParams{
		Message: cf.question,
		RequestedSchema: map[string]any{
			"type": "object",
			"properties": map[string]any{
				"confirm": map[string]any{
					"type":        "boolean",
					"title":       "Yes, allow it",
					"description": "Tick to let the AI agent do what the question above describes.",
					"default":     false,
				},
			},
			"required": []string{"confirm"},
		},
	}
	if mode == askWithin {
		return c.confirmWithin(ctx, cf, params)
	}
	scope := c.confirmScope(ctx, cf.question)
	answer := server.ElicitationResponse(c.req.Params.InputResponses, confirmKey)
	if answer != nil || c.req.Params.RequestState != "" {
		switch c.d.confirmer.redeem(c.req.Params.RequestState, scope, cf.target) {
		case stateValid:
			if answer == nil {
				break // the question was taken back by this retry: ask anew
			}
			return c.answered(cf, answer)
		case stateStale:
			c.outcome = "confirmation_expired"
			return errorResult(fmt.Sprintf("%s was not run: the confirmation to %s was already used or has expired (questions stay open %s). Nothing was changed. Call the tool again to ask the user anew.", c.tool, cf.action, c.d.confirmer.timeout))
		case stateElsewhere:
			c.outcome = "confirmation_mismatch"
			return errorResult(fmt.Sprintf("%s was not run: the answer given was to another question (another call, arguments or session), not to %s. Nothing was changed. Call the tool again to ask the user.", c.tool, cf.action))
		case stateChanged:
			c.outcome = "target_changed"
			return errorResult(fmt.Sprintf("%s was not run: the target changed after the user was asked (another object now answers to these arguments, or its status or addresses changed), so the user's answer no longer applies. Nothing was changed. Look the target up again and ask the user again.", c.tool))
		}
		// stateUnknown: an answer to a question this server never asked
		// is not an answer; ask the question.
	}
	state, err := c.d.confirmer.issue(c.confirmOwner(ctx), scope, cf.target)
	if err != nil {
		c.outcome = "confirmation_unavailable"
		return errorResult(fmt.Sprintf("%s was not run: %v; try again in a few minutes. Nothing was changed.", c.tool, err))
	}
	c.awaitingInput = true
	return server.NewInputRequestBuilder(state).Elicit(confirmKey, params).ToolResult()
}

// confirmWithin asks through a server-initiated elicitation/create request
// (protocol versions before 2026-07-28) and waits a bounded time for it.
func (c *call) confirmWithin(ctx context.Context, cf confirmation, params mcp.ElicitationParams) *mcp.CallToolResult {
	srv := server.ServerFromContext(ctx)
	if srv == nil {
		c.outcome = "confirmation_unavailable"
		return errorResult(fmt.Sprintf("%s was not run: the confirmation to %s could not be asked. Nothing was changed.", c.tool, cf.action))
	}
	wctx, cancel := context.WithTimeout(ctx, c.d.confirmer.timeout)
	defer cancel()
	// mcp-go waits for the client's answer by request id, and some sessions
	// (in-process) ignore the context: wait here, bounded, whatever the
	// session does. A late answer then changes nothing.
	type reply struct {
		answer *mcp.ElicitationResult
		err    error
	}
	got := make(chan reply, 1)
	go func() {
		a, err := srv.RequestElicitation(wctx, mcp.ElicitationRequest{
			Request: mcp.Request{Method: string(mcp.MethodElicitationCreate)},
			Params:  params,
		})
		got <- reply{a, err}
	}()
	var answer *mcp.ElicitationResult
	var err error
	select {
	case r := <-got:
		answer, err = r.answer, r.err
	case <-wctx.Done():
		err = wctx.Err()
	}
	switch {
	case err != nil && ctx.Err() != nil:
		c.outcome = "cancelled"
		return errorResult(fmt.Sprintf("%s was not run: the call was cancelled while waiting for the user's confirmation. Nothing was changed.", c.tool))
	case err != nil && errors.Is(err, context.DeadlineExceeded):
		c.outcome = "confirmation_expired"
		return errorResult(fmt.Sprintf("%s was not run: the user did not answer the confirmation to %s within %s. Nothing was changed. Call the tool again to ask the user anew.", c.tool, cf.action, c.d.confirmer.timeout))
	case err != nil || answer == nil:
		c.outcome = "confirmation_unavailable"
		c.d.logger.WarnContext(ctx, "confirmation request failed", "tool", c.tool, "error", errString(err))
		return errorResult(fmt.Sprintf("%s was not run: the confirmation to %s could not be asked (the MCP client gave no usable answer). Nothing was changed.", c.tool, cf.action))
	}
	if r := c.answered(cf, answer); r != nil {
		return r
	}
	// The human answered about the target as it was; act only if it still is.
	if cf.reread == nil {
		return nil
	}
	now, r := cf.reread(ctx)
	if r != nil {
		c.confirmedBy = ""
		return r
	}
	if !now.equal(cf.target) {
		c.confirmedBy = ""
		c.outcome = "target_changed"
		return errorResult(fmt.Sprintf("%s was not run: the target changed while the user was being asked (its status or addresses are no longer what the question showed), so the answer no longer applies. Nothing was changed. Look the target up again and ask the user again.", c.tool))
	}
	return nil
}

func errString(err error) string {
	if err == nil {
		return "no result"
	}
	return err.Error()
}

// answered turns the human's answer into nil (go ahead) or a refusal.
func (c *call) answered(cf confirmation, answer *mcp.ElicitationResult) *mcp.CallToolResult {
	switch answer.Action {
	case mcp.ElicitationResponseActionAccept:
		if confirmed(answer.Content) {
			c.confirmedBy = "user"
			return nil
		}
		c.outcome = "not_confirmed"
		return errorResult(fmt.Sprintf("%s was not run: the user did not tick the confirmation to %s. Nothing was changed. Do not retry unless the user asks for it again.", c.tool, cf.action))
	case mcp.ElicitationResponseActionDecline:
		c.outcome = "declined"
		return errorResult(fmt.Sprintf("%s was not run: the user declined to %s. Nothing was changed. Do not retry unless the user asks for it again.", c.tool, cf.action))
	default:
		c.outcome = "cancelled_by_user"
		return errorResult(fmt.Sprintf("%s was not run: the user dismissed the request to confirm that you %s. Nothing was changed. Do not retry unless the user asks for it again.", c.tool, cf.action))
	}
}

// confirmed reports whether the answer ticked the box: the JSON boolean
// true, nothing else ("true", 1 and absent are no).
func confirmed(content any) bool {
	switch v := content.(type) {
	case map[string]any:
		b, _ := v["confirm"].(bool)
		return b
	case json.RawMessage:
		var m map[string]any
		if json.Unmarshal(v, &m) == nil {
			return confirmed(m)
		}
	}
	return false
}

// confirmScope binds a question to this call: tool, arguments without
// secrets, question text, org, credentials and MCP session.
func (c *call) confirmScope(ctx context.Context, question string) [32]byte {
	args := map[string]any{}
	for k, v := range c.args {
		if k == "apiKey" || k == "password" {
			continue
		}
		args[k] = v
	}
	b, _ := json.Marshal(args)
	h := sha256.New()
	var person string
	if who := c.caller; who != nil {
		// A confirmation given to one person does not carry over to another.
		person = who.Subject + "\x00" + who.UserID
	}
	for _, part := range []string{c.tool, string(b), question, c.org, c.credKey, sessionKey(ctx), person} {
		h.Write([]byte(strconv.Itoa(len(part)) + ":" + part))
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// confirmOwner names who a question is pending for: the MCP session, or
// for sessionless requests the credentials; and the person signed in.
func (c *call) confirmOwner(ctx context.Context) string {
	owner := sessionKey(ctx)
	if owner == "" {
		owner = "credentials:" + c.credKey
	}
	if who := c.caller; who != nil {
		owner += "\x00" + who.Subject + "\x00" + who.UserID
	}
	return owner
}

// askedBy names, in a confirmation question, the person the agent acts for.
func askedBy(question string, who Caller) string {
	const agent = "An AI agent "
	if strings.HasPrefix(question, agent) {
		return agent + "acting for " + q(who.String()) + " " + strings.TrimPrefix(question, agent)
	}
	return "For " + q(who.String()) + ": " + question
}

// sessionKey names the MCP session of the request ("" for sessionless
// requests of protocol 2026-07-28, bound by credentials instead).
func sessionKey(ctx context.Context) string {
	if s := server.ClientSessionFromContext(ctx); s != nil {
		return s.SessionID()
	}
	return ""
}

// How a client can be asked.
type askMode int

const (
	cannotAsk   askMode = iota
	askWithin           // server-initiated elicitation/create within the call
	askByResult         // input_required result (protocol 2026-07-28)
)

// handshakes remembers what each session's client declared at initialize.
// mcp-go copies the capabilities a later request claims in its _meta into
// the session (for protocol 2026-07-28), so the session cannot be asked
// what was declared at the handshake: this records it when it happens.
type handshakes struct {
	mu       sync.Mutex
	declared map[any]bool // session key -> declared elicitation at initialize
}

// maxHandshakes bounds the record (sessions of the stateless HTTP mode are
// never unregistered).
const maxHandshakes = 8192

func newHandshakes() *handshakes { return &handshakes{declared: map[any]bool{}} }

func handshakeKey(s server.ClientSession) any {
	if id := s.SessionID(); id != "" {
		return id
	}
	return s
}

func (h *handshakes) initialized(ctx context.Context, req *mcp.InitializeRequest) {
	s := server.ClientSessionFromContext(ctx)
	if s == nil || req == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.declared) >= maxHandshakes {
		for k := range h.declared {
			delete(h.declared, k)
			break
		}
	}
	h.declared[handshakeKey(s)] = req.Params.Capabilities.Elicitation != nil
}

func (h *handshakes) forget(s server.ClientSession) {
	if s == nil {
		return
	}
	h.mu.Lock()
	delete(h.declared, handshakeKey(s))
	h.mu.Unlock()
}

func (h *handshakes) lookup(s server.ClientSession) (declared, found bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	declared, found = h.declared[handshakeKey(s)]
	return declared, found
}

// elicitationMode says whether and how the client of this request can ask
// its user. What a client declared at initialize is what counts for its
// session: a later request's _meta cannot add elicitation to it. A session
// whose transport cannot carry elicitation (legacy SSE) never can. Only a
// request outside any initialized session (protocol 2026-07-28) declares
// its capabilities in its own _meta.
func (h *handshakes) elicitationMode(ctx context.Context) askMode {
	info := server.RequestProtocolInfoFromContext(ctx)
	modern := info != nil && info.Modern
	if session := server.ClientSessionFromContext(ctx); session != nil {
		if _, ok := session.(server.SessionWithElicitation); !ok {
			return cannotAsk
		}
		if declared, found := h.lookup(session); found {
			switch {
			case !declared:
				return cannotAsk
			case modern:
				return askByResult
			default:
				return askWithin
			}
		}
	}
	if modern && info.ClientCapabilities != nil && info.ClientCapabilities.Elicitation != nil {
		return askByResult
	}
	return cannotAsk
}

// maxQuoted is the most characters of one value a question shows.
const maxQuoted = 64

// q quotes a value for a question or message: in double quotes, with
// quotes, backslashes, control and format characters (newlines, bidi
// overrides, zero-width characters, ...) escaped, and cut to maxQuoted
// characters. Nothing a user's profile holds can then read as a line of the
// question, or reorder it.
func q(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	cut := false
	if utf8.RuneCountInString(s) > maxQuoted {
		r := []rune(s)
		s = string(r[:maxQuoted])
		cut = true
	}
	out := strconv.Quote(s)
	if cut {
		out += "…"
	}
	return out
}
