package okta

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestOneLine(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"short", "  invalid_grant ", 64, "invalid_grant"},
		{"control characters", "a\nb\r\tc\x7f", 64, "a b  c "},
		{"cut", "abcdef", 3, "abc…"},
		{"never splits a character", "ééé", 3, "é…"}, // é is two bytes: 3 bytes hold one
		{"exact", "ééé", 6, "ééé"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := OneLine(tt.in, tt.n)
			assert.Equal(t, tt.want, got)
			assert.True(t, utf8.ValidString(got))
		})
	}
}
