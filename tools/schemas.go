package tools

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
)

// Regenerate schemas.json after adding a tool or changing an input or
// output struct (TestGeneratedSchemas fails until then):
//
//go:generate go test -run ^TestGeneratedSchemas$ . -args -update-schemas

// schemasJSON holds every tool's JSON Schemas, generated at build time from
// the tools' Go input and output structs (schema/schemagen, by the
// go:generate line above). Reflecting them at start-up cost most of
// NewServer's time and allocations.
//
//go:embed schemas.json
var schemasJSON []byte

// regenerate is the command that rewrites schemas.json.
const regenerate = "go generate ./tools"

// toolSchemas are one tool's generated schemas.
type toolSchemas struct {
	// Input is the input schema in server credential mode.
	Input json.RawMessage `json:"input"`
	// InputPerCall has apiKey and domain first, required (per-call mode);
	// InputPerCallOptional is the same with them optional (for requests
	// carrying X-Okta-* header credentials).
	InputPerCall         json.RawMessage `json:"inputPerCall"`
	InputPerCallOptional json.RawMessage `json:"inputPerCallOptional"`
	Output               json.RawMessage `json:"output"`
}

// generatedSchemas indexes schemas.json once per process. The file is JSON
// with a fixed layout (renderSchemas writes it; TestGeneratedSchemas keeps
// it exact): a line `"tool":{` opens a tool, then one line per schema,
// `"input":{...},`. Indexing it is a scan for line starts, and every schema
// is a slice of the embedded bytes: nothing is parsed or copied at start-up
// (json.Unmarshal of the whole file took about a millisecond, a third of the
// start-up budget). Schemas are checked where it matters: mcp-go validates
// each tool's input schema when it is added, and the validators compile them.
var generatedSchemas = sync.OnceValue(func() map[string]toolSchemas {
	m := map[string]toolSchemas{}
	var name string
	var cur toolSchemas
	for line := range bytes.Lines(schemasJSON) {
		line = bytes.TrimRight(line, "\n")
		switch {
		case bytes.HasSuffix(line, []byte(`":{`)) && line[0] == '"':
			name, cur = string(line[1:len(line)-3]), toolSchemas{}
		case bytes.HasPrefix(line, []byte("}")) && name != "":
			m[name] = cur
			name = ""
		case name != "":
			key, val, ok := bytes.Cut(line, []byte(`":`))
			if !ok || len(key) < 2 {
				panic(fmt.Sprintf("tools: schemas.json: unexpected line %.60q; run %s", line, regenerate))
			}
			val = json.RawMessage(bytes.TrimSuffix(val, []byte(",")))
			switch string(key[1:]) {
			case "input":
				cur.Input = val
			case "inputPerCall":
				cur.InputPerCall = val
			case "inputPerCallOptional":
				cur.InputPerCallOptional = val
			case "output":
				cur.Output = val
			}
		}
	}
	return m
})
