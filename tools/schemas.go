package tools

import (
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

// generatedSchemas parses schemas.json once per process.
var generatedSchemas = sync.OnceValue(func() map[string]toolSchemas {
	var m map[string]toolSchemas
	if err := json.Unmarshal(schemasJSON, &m); err != nil {
		// A test (TestGeneratedSchemas) parses it: this is a build error.
		panic(fmt.Sprintf("tools: schemas.json: %v; run %s", err, regenerate))
	}
	return m
})
