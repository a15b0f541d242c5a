package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuantile(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		out := make([]time.Duration, len(ns))
		for i, n := range ns {
			out[i] = time.Duration(n) * time.Millisecond
		}
		return out
	}
	tests := []struct {
		name string
		in   []time.Duration
		q    float64
		want time.Duration
	}{
		{"empty", nil, 0.5, 0},
		{"one", ms(7), 0.5, 7 * time.Millisecond},
		{"odd median, unsorted", ms(5, 1, 3), 0.5, 3 * time.Millisecond},
		{"even median is the lower middle", ms(4, 1, 3, 2), 0.5, 2 * time.Millisecond},
		{"p90 of 10", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 0.9, 9 * time.Millisecond},
		{"p100", ms(1, 2, 3), 1, 3 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, quantile(tt.in, tt.q))
		})
	}
}

func TestParseProcStatus(t *testing.T) {
	status := "Name:\tokta-mcp\nVmPeak:\t  1262000 kB\nVmHWM:\t    12044 kB\nVmRSS:\t    9876 kB\n" +
		"RssAnon:\t    4000 kB\nRssFile:\t    5876 kB\nRssShmem:\t       0 kB\nThreads:\t7\n"
	m, err := parseProcStatus([]byte(status))
	require.NoError(t, err)
	assert.Equal(t, procMem{RSS: 9876, HWM: 12044, Anon: 4000, File: 5876}, m)

	_, err = parseProcStatus([]byte("Name:\tx\nVmRSS:\t1 kB\n"))
	assert.Error(t, err, "VmHWM missing")
	_, err = parseProcStatus([]byte("VmRSS:\tlots kB\nVmHWM:\t1 kB\n"))
	assert.Error(t, err, "not a number")
}

func TestIdealDuration(t *testing.T) {
	tests := []struct {
		m, n int
		want time.Duration
	}{
		{0, 600, 0},
		{600, 600, 0},                // one window: no wait
		{601, 600, time.Minute},      // one call waits for the second window
		{1204, 600, 2 * time.Minute}, // three windows
		{1200, 600, time.Minute},
		{10, 0, 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, idealDuration(tt.m, tt.n), "m=%d n=%d", tt.m, tt.n)
	}
}

func TestRequestLine(t *testing.T) {
	var req map[string]any
	line := requestLine(7, "tools/call", callParams("okta_get_user", map[string]any{"userId": "00u1"}, "tok"))
	require.True(t, bytes.HasSuffix(line, []byte("\n")))
	require.NoError(t, json.Unmarshal(line, &req))
	assert.Equal(t, map[string]any{
		"jsonrpc": "2.0", "id": float64(7), "method": "tools/call",
		"params": map[string]any{
			"name": "okta_get_user", "arguments": map[string]any{"userId": "00u1"},
			"_meta": map[string]any{"progressToken": "tok"},
		},
	}, req)

	var note map[string]any
	require.NoError(t, json.Unmarshal(requestLine(0, "notifications/initialized", nil), &note))
	assert.Equal(t, map[string]any{"jsonrpc": "2.0", "method": "notifications/initialized"}, note)
}

func TestBaselineStdioAnswersEveryRequest(t *testing.T) {
	in := strings.NewReader(string(requestLine(1, "initialize", initializeParams())) +
		string(requestLine(0, "notifications/initialized", nil)) +
		string(requestLine(2, "ping", nil)))
	var out bytes.Buffer
	baselineStdio(in, &out)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2, "one answer per request, none for the notification")
	for i, l := range lines {
		var m rpcMessage
		require.NoError(t, json.Unmarshal([]byte(l), &m))
		assert.Equal(t, []byte{byte('1' + i)}, []byte(m.ID))
		assert.Contains(t, string(m.Result), `"protocolVersion":"`+protocolVersion+`"`)
	}
}

func TestLoopbackClientRefusesOtherHosts(t *testing.T) {
	hc := loopbackClient(1)
	_, err := hc.Get("http://192.0.2.1:9/") // TEST-NET-1: never dialled
	require.Error(t, err)
	assert.Contains(t, err.Error(), "only loopback addresses are allowed")
}
