package okta

import (
	"fmt"
	"log/slog"
)

// Secret is a string that must not be shown: a private key's PEM text, for
// example. It hides itself from fmt (every verb, including %#v), from
// log/slog and from encoding/json; read it with an explicit string(s).
type Secret string

const redacted = "[redacted]"

// String implements fmt.Stringer.
func (Secret) String() string { return redacted }

// GoString implements fmt.GoStringer.
func (Secret) GoString() string { return "okta.Secret(" + redacted + ")" }

// Format implements fmt.Formatter, so that no verb prints the value.
func (s Secret) Format(f fmt.State, verb rune) { formatRedacted(f, verb, "okta.Secret") }

// LogValue implements slog.LogValuer.
func (Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON hides the value from encoding/json.
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText hides the value from encoders that use encoding.TextMarshaler.
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// formatRedacted writes a placeholder for any verb: %#v gets a Go-syntax
// form naming the type, everything else "[redacted]".
func formatRedacted(f fmt.State, verb rune, typeName string) {
	switch {
	case verb == 'v' && f.Flag('#'):
		fmt.Fprintf(f, "%s(%q)", typeName, redacted)
	case verb == 'q':
		fmt.Fprintf(f, "%q", redacted)
	default:
		fmt.Fprint(f, redacted)
	}
}
