package okta

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// minScrubLen is the shortest secret scrubbed from answers: shorter values
// (a 1-character password) would blank out unrelated text.
const minScrubLen = 6

// scrubbed replaces a secret found in an answer.
const scrubbed = "[redacted]"

// requestSecrets lists the secrets a request carried: its Authorization
// header (whole, and the credential after the scheme: an API token, an
// OAuth access token) and the secret values of its body.
func requestSecrets(req *http.Request, body []string) []string {
	var out []string
	for _, h := range []string{"Authorization", "DPoP"} {
		v := req.Header.Get(h)
		if v == "" {
			continue
		}
		out = append(out, v)
		if _, cred, ok := strings.Cut(v, " "); ok {
			out = append(out, strings.TrimSpace(cred))
		}
	}
	return append(out, body...)
}

// bodySecrets lists the secret values of a request body.
func bodySecrets(body any) []string {
	var cr *CreateUserRequest
	switch b := body.(type) {
	case CreateUserRequest:
		cr = &b
	case *CreateUserRequest:
		cr = b
	}
	if cr != nil && cr.Credentials != nil && cr.Credentials.Password != nil {
		return []string{cr.Credentials.Password.Value}
	}
	return nil
}

// scrubSecrets removes every secret from data, as sent and as a JSON
// string would carry it.
func scrubSecrets(data []byte, secrets []string) []byte {
	for _, s := range secrets {
		if len(s) < minScrubLen {
			continue
		}
		forms := []string{s}
		if j, err := json.Marshal(s); err == nil {
			if e := string(j[1 : len(j)-1]); e != s {
				forms = append(forms, e)
			}
		}
		for _, f := range forms {
			if bytes.Contains(data, []byte(f)) {
				data = bytes.ReplaceAll(data, []byte(f), []byte(scrubbed))
			}
		}
	}
	return data
}
