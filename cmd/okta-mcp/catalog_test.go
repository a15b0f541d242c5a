package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFirstSentence(t *testing.T) {
	tests := []struct{ in, want string }{
		{"One. Two.", "One."},
		{"Suspend a user, e.g. during an incident. More.", "Suspend a user, e.g. during an incident."},
		{"Ids like 00u... are accepted. More.", "Ids like 00u... are accepted."},
		{"No period", "No period"},
		{"Line one\nLine two", "Line one"},
		{"Ends with a period.", "Ends with a period."},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, firstSentence(tt.in), tt.in)
	}
}
