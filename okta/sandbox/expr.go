package sandbox

import (
	"fmt"
	"strconv"
	"strings"
)

// This file parses Okta's expression language, shared by the search and
// filter parameters of listUsers and listGroups (reference §7):
//
//	expr    = and { "or" and }
//	and     = primary { "and" primary }
//	primary = "(" expr ")" | attribute "pr" | attribute op value
//	op      = eq | ne | gt | ge | lt | le | sw | co | ew
//	value   = "quoted string" | number | true | false | null
//
// Operators and keywords are case-insensitive, attribute names are
// case-sensitive; "and" binds tighter than "or". Strings escape " and \
// with a backslash. Which attributes and operators a parameter accepts is
// decided when the expression is compiled (query.go).

// maxExprLength and maxExprDepth bound what the parser accepts (Okta also
// refuses "long or complex" queries).
const (
	maxExprLength = 4096
	maxExprDepth  = 32
)

// Expr is a parsed search or filter expression. String returns it in a
// canonical form that parses back to the same expression.
type Expr interface {
	String() string
	isExpr()
}

// Logical is "L and R" or "L or R".
type Logical struct {
	Op          string // "and" or "or"
	Left, Right Expr
}

// Compare is "attribute op value".
type Compare struct {
	Attr  string
	Op    string // lower case: eq, ne, gt, ge, lt, le, sw, co, ew
	Value Value
}

// Present is "attribute pr".
type Present struct {
	Attr string
}

// ValueKind is the type of a literal.
type ValueKind int

// Literal kinds.
const (
	StringValue ValueKind = iota
	NumberValue
	BoolValue
	NullValue
)

// Value is a literal: a string, a number (kept as written), a boolean or
// null.
type Value struct {
	Kind ValueKind
	Str  string  // StringValue: the unescaped text; NumberValue: as written
	Num  float64 // NumberValue
	Bool bool    // BoolValue
}

func (Logical) isExpr() {}
func (Compare) isExpr() {}
func (Present) isExpr() {}

func (l Logical) String() string {
	return "(" + l.Left.String() + " " + l.Op + " " + l.Right.String() + ")"
}
func (c Compare) String() string { return c.Attr + " " + c.Op + " " + c.Value.String() }
func (p Present) String() string { return p.Attr + " pr" }

func (v Value) String() string {
	switch v.Kind {
	case NumberValue:
		return v.Str
	case BoolValue:
		return strconv.FormatBool(v.Bool)
	case NullValue:
		return "null"
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(v.Str); i++ {
		if c := v.Str[i]; c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(v.Str[i])
	}
	b.WriteByte('"')
	return b.String()
}

// SyntaxError is a malformed expression.
type SyntaxError struct {
	Pos int // byte offset in the expression
	Msg string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("at offset %d: %s", e.Pos, e.Msg) }

type tokenKind int

const (
	tEOF tokenKind = iota
	tWord
	tString
	tNumber
	tLParen
	tRParen
)

type token struct {
	kind tokenKind
	text string // tWord, tNumber: as written; tString: unescaped
	pos  int
}

func tokenize(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, token{tLParen, "(", i})
			i++
		case c == ')':
			toks = append(toks, token{tRParen, ")", i})
			i++
		case c == '"':
			start := i
			var b strings.Builder
			i++
			closed := false
			for i < len(s) {
				ch := s[i]
				if ch == '\\' {
					if i+1 >= len(s) || (s[i+1] != '"' && s[i+1] != '\\') {
						return nil, &SyntaxError{i, `invalid escape in string (only \" and \\ are allowed)`}
					}
					b.WriteByte(s[i+1])
					i += 2
					continue
				}
				if ch == '"' {
					closed = true
					i++
					break
				}
				b.WriteByte(ch)
				i++
			}
			if !closed {
				return nil, &SyntaxError{start, "unterminated string"}
			}
			toks = append(toks, token{tString, b.String(), start})
		case c == '-' || c >= '0' && c <= '9':
			start := i
			j := scanNumber(s, i)
			if j == i {
				return nil, &SyntaxError{i, "invalid number"}
			}
			if j < len(s) && isWordByte(s[j]) {
				return nil, &SyntaxError{i, "invalid number"}
			}
			toks = append(toks, token{tNumber, s[start:j], start})
			i = j
		case isWordStart(c):
			start := i
			for i < len(s) && isWordByte(s[i]) {
				i++
			}
			toks = append(toks, token{tWord, s[start:i], start})
		default:
			return nil, &SyntaxError{i, fmt.Sprintf("unexpected character %q", c)}
		}
	}
	return append(toks, token{tEOF, "", len(s)}), nil
}

// scanNumber returns the end of a JSON-style number starting at i (i when
// there is none).
func scanNumber(s string, i int) int {
	j := i
	if j < len(s) && s[j] == '-' {
		j++
	}
	digits := func() bool {
		k := j
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		return j > k
	}
	if !digits() {
		return i
	}
	if j < len(s) && s[j] == '.' {
		j++
		if !digits() {
			return i
		}
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		j++
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if !digits() {
			return i
		}
	}
	return j
}

func isWordStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$'
}

func isWordByte(c byte) bool {
	return isWordStart(c) || c >= '0' && c <= '9' || c == '.' || c == '-' || c == ':'
}

var operators = map[string]bool{"eq": true, "ne": true, "gt": true, "ge": true, "lt": true, "le": true, "sw": true, "co": true, "ew": true}

type parser struct {
	toks []token
	i    int
}

// ParseExpression parses an Okta search or filter expression.
func ParseExpression(s string) (Expr, error) {
	if len(s) > maxExprLength {
		return nil, &SyntaxError{maxExprLength, "expression too long"}
	}
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	e, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, &SyntaxError{t.pos, fmt.Sprintf("unexpected %q", t.text)}
	}
	return e, nil
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

func (p *parser) keyword(kw string) bool {
	t := p.peek()
	if t.kind == tWord && strings.EqualFold(t.text, kw) {
		p.i++
		return true
	}
	return false
}

func (p *parser) or(depth int) (Expr, error) {
	left, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	for p.keyword("or") {
		right, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		left = Logical{Op: "or", Left: left, Right: right}
	}
	return left, nil
}

func (p *parser) and(depth int) (Expr, error) {
	left, err := p.primary(depth)
	if err != nil {
		return nil, err
	}
	for p.keyword("and") {
		right, err := p.primary(depth)
		if err != nil {
			return nil, err
		}
		left = Logical{Op: "and", Left: left, Right: right}
	}
	return left, nil
}

func (p *parser) primary(depth int) (Expr, error) {
	t := p.next()
	switch t.kind {
	case tLParen:
		if depth >= maxExprDepth {
			return nil, &SyntaxError{t.pos, "expression nested too deeply"}
		}
		e, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if r := p.next(); r.kind != tRParen {
			return nil, &SyntaxError{r.pos, "missing )"}
		}
		return e, nil
	case tWord:
	case tEOF:
		return nil, &SyntaxError{t.pos, "unexpected end of expression"}
	default:
		return nil, &SyntaxError{t.pos, fmt.Sprintf("expected an attribute name, got %q", t.text)}
	}
	attr := t.text
	if strings.HasSuffix(attr, ".") || strings.HasPrefix(attr, "-") || strings.Contains(attr, "..") {
		return nil, &SyntaxError{t.pos, fmt.Sprintf("invalid attribute name %q", attr)}
	}
	opTok := p.next()
	if opTok.kind != tWord {
		return nil, &SyntaxError{opTok.pos, fmt.Sprintf("expected an operator after %s", attr)}
	}
	op := strings.ToLower(opTok.text)
	if op == "pr" {
		return Present{Attr: attr}, nil
	}
	if !operators[op] {
		return nil, &SyntaxError{opTok.pos, fmt.Sprintf("unknown operator %q", opTok.text)}
	}
	v := p.next()
	switch v.kind {
	case tString:
		return Compare{Attr: attr, Op: op, Value: Value{Kind: StringValue, Str: v.text}}, nil
	case tNumber:
		f, err := strconv.ParseFloat(v.text, 64)
		if err != nil {
			return nil, &SyntaxError{v.pos, "invalid number"}
		}
		return Compare{Attr: attr, Op: op, Value: Value{Kind: NumberValue, Str: v.text, Num: f}}, nil
	case tWord:
		switch strings.ToLower(v.text) {
		case "true", "false":
			return Compare{Attr: attr, Op: op, Value: Value{Kind: BoolValue, Bool: strings.EqualFold(v.text, "true")}}, nil
		case "null":
			return Compare{Attr: attr, Op: op, Value: Value{Kind: NullValue}}, nil
		}
	}
	return nil, &SyntaxError{v.pos, fmt.Sprintf("expected a value after %s %s", attr, op)}
}
