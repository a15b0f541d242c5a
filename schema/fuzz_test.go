package schema

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzValidateArguments feeds arbitrary bytes through argument decoding,
// validation and binding. It must never panic, every failure must be an
// *Error with at least one message, and arguments that pass validation must
// bind to the input struct within the schema's bounds.
func FuzzValidateArguments(f *testing.F) {
	for _, seed := range []string{
		`{}`, `null`, ``, `[]`, `"x"`, `1e999`,
		`{"apiKey":"k","domain":"d","userId":"u"}`,
		`{"apiKey":"k","domain":"d","userId":"u","limit":200}`,
		`{"apiKey":"k","domain":"d","userId":"u","limit":1e400}`,
		`{"apiKey":"k","domain":"d","userId":"u","limit":-0.0000000000000000001}`,
		`{"apiKey":"k","domain":"d","userId":"u","email":"\u0000@\ud800"}`,
		`{"apiKey":"k","domain":"d","userId":"u","userId":""}`,
		`{"apiKey":{"a":[{"b":null}]},"domain":"d","userId":"u"}`,
		`{"apiKey":"k","domain":"d","userId":"u","limit":199.99999999999999999999}`,
	} {
		f.Add([]byte(seed))
	}
	v := newTestValidator(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var in testInput
		err := v.Bind(data, &in)
		if err != nil {
			var ve *Error
			if !errors.As(err, &ve) || len(ve.Violations) == 0 || err.Error() == "" {
				t.Fatalf("unexpected error shape %T %v", err, err)
			}
			return
		}
		if in.UserID == "" {
			t.Fatalf("valid arguments with an empty userId: %q", data)
		}
		if in.Limit != nil && (*in.Limit < 1 || *in.Limit > 200 || *in.Limit != float64(int(*in.Limit))) {
			t.Fatalf("limit %v passed validation: %q", *in.Limit, data)
		}
		if _, err := json.Marshal(in); err != nil {
			t.Fatal(err)
		}
	})
}
