package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// idleRSS starts bin, initializes it, lets it settle and reads its memory.
func idleRSS(bin string, args, env []string) (procMem, *stdioServer, error) {
	s, err := startStdio(bin, args, env)
	if err != nil {
		return procMem{}, nil, err
	}
	if _, err := s.call("initialize", initializeParams()); err != nil {
		s.stop(time.Second)
		return procMem{}, nil, err
	}
	if err := s.notify("notifications/initialized", nil); err != nil {
		s.stop(time.Second)
		return procMem{}, nil, err
	}
	time.Sleep(500 * time.Millisecond)
	m, err := readProcMem(s.cmd.Process.Pid)
	if err != nil {
		s.stop(time.Second)
		return procMem{}, nil, err
	}
	return m, s, nil
}

// listPage is the part of okta_list_users' structured result paging needs.
type listPage struct {
	Users []struct {
		ID string `json:"id"`
	} `json:"users"`
	Count      int     `json:"count"`
	NextCursor *string `json:"nextCursor"`
}

// memory measures the resident memory of okta-mcp at idle after initialize
// (next to a trivial Go process), then its peak growth while an agent pages
// through an org of c.users users with okta_list_users and `after`.
func memory(ctx context.Context, c *config) ([]result, error) {
	base, bs, err := idleRSS(c.baseline[0], c.baseline[1:], baseEnv())
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	bs.stop(time.Second)

	// Per-call credential mode (no credentials of the server's own): every
	// schema carries apiKey/domain and each tool has a second validator.
	perCall, ps, err := idleRSS(c.bin, nil, baseEnv())
	if err != nil {
		return nil, fmt.Errorf("okta-mcp (per-call credentials): %w", err)
	}
	ps.stop(time.Second)

	t0 := time.Now()
	b, err := startBackend(c.self, c.users, 0)
	if err != nil {
		return nil, err
	}
	defer b.close()
	c.logf("org with %d users ready in %s", c.users, time.Since(t0).Round(time.Millisecond))

	idle, s, err := idleRSS(c.bin, []string{"--allow-http"}, serverEnv(b))
	if err != nil {
		return nil, fmt.Errorf("okta-mcp: %w", err)
	}
	defer s.stop(2 * time.Second)
	c.logf("idle: okta-mcp VmRSS %s MiB (VmHWM %s MiB) with server credentials, %s MiB per-call; trivial Go process %s MiB",
		mib(idle.RSS), mib(idle.HWM), mib(perCall.RSS), mib(base.RSS))

	rs := []result{{
		Experiment: "memory",
		Metric:     "okta-mcp (per-call credentials) resident memory (VmRSS) at idle after initialize, stdio",
		Value:      float64(perCall.RSS) / 1024,
		Unit:       "MiB",
		Baseline:   "trivial Go process: " + mib(base.RSS) + " MiB",
		Target:     "< 15 MB",
		Met:        boolPtr(perCall.RSS*1024 < 15_000_000),
		Derived:    fmt.Sprintf("%s MiB private (RssAnon) + %s MiB of the binary's pages (RssFile, shared between instances)", mib(perCall.Anon), mib(perCall.File)),
		Detail: map[string]any{"vmhwm_mib": float64(perCall.HWM) / 1024, "baseline_rss_mib": float64(base.RSS) / 1024,
			"rss_anon_mib": float64(perCall.Anon) / 1024, "rss_file_mib": float64(perCall.File) / 1024},
	}, {
		Experiment: "memory",
		Metric:     "okta-mcp (server credentials) resident memory (VmRSS) at idle after initialize, stdio",
		Value:      float64(idle.RSS) / 1024,
		Unit:       "MiB",
		Baseline:   "trivial Go process: " + mib(base.RSS) + " MiB",
		Target:     "< 15 MB",
		Met:        boolPtr(idle.RSS*1024 < 15_000_000),
		Derived:    fmt.Sprintf("%s MiB private (RssAnon) + %s MiB of the binary's pages (RssFile, shared between instances)", mib(idle.Anon), mib(idle.File)),
		Detail: map[string]any{"vmhwm_mib": float64(idle.HWM) / 1024, "baseline_rss_mib": float64(base.RSS) / 1024,
			"rss_anon_mib": float64(idle.Anon) / 1024, "rss_file_mib": float64(idle.File) / 1024},
	}}

	// Page through the whole org.
	seen := make(map[string]struct{}, c.users)
	cursor := ""
	pages := 0
	maxRSS := idle.RSS
	start := time.Now()
	maxPages := c.users/200 + 10
	for {
		if err := ctx.Err(); err != nil {
			return rs, err
		}
		if pages >= maxPages {
			return rs, fmt.Errorf("still paging after %d pages: the cursor does not advance", pages)
		}
		a := map[string]any{"limit": 200}
		if cursor != "" {
			a["after"] = cursor
		}
		r, err := s.callTool("okta_list_users", a, "page-"+strconv.Itoa(pages))
		if err != nil {
			return rs, fmt.Errorf("page %d: %w", pages, err)
		}
		if r.IsError {
			return rs, fmt.Errorf("page %d: okta_list_users failed: %s", pages, truncate(r.text(), 300))
		}
		var p listPage
		if err := json.Unmarshal(r.StructuredContent, &p); err != nil {
			return rs, fmt.Errorf("page %d: %w", pages, err)
		}
		if p.Count != len(p.Users) {
			return rs, fmt.Errorf("page %d: count %d but %d users", pages, p.Count, len(p.Users))
		}
		for _, u := range p.Users {
			seen[u.ID] = struct{}{}
		}
		pages++
		if pages%25 == 0 {
			if m, err := readProcMem(s.cmd.Process.Pid); err == nil {
				maxRSS = max(maxRSS, m.RSS)
			}
		}
		if p.NextCursor == nil || *p.NextCursor == "" {
			break
		}
		cursor = *p.NextCursor
	}
	elapsed := time.Since(start)
	after, err := readProcMem(s.cmd.Process.Pid)
	if err != nil {
		return rs, err
	}
	maxRSS = max(maxRSS, after.RSS)
	if len(seen) != b.users {
		return rs, fmt.Errorf("paging returned %d distinct users, the org has %d", len(seen), b.users)
	}
	growth := after.HWM - idle.RSS
	c.logf("paged %d users in %d pages in %s: VmHWM %s MiB, growth %s MiB; VmRSS now %s MiB; progress notifications %d",
		len(seen), pages, elapsed.Round(time.Millisecond), mib(after.HWM), mib(growth), mib(after.RSS), s.notifications["notifications/progress"])
	rs = append(rs, result{
		Experiment: "memory",
		Metric:     fmt.Sprintf("okta-mcp peak growth paging %d users (okta_list_users limit=200 + after, %d pages)", len(seen), pages),
		Value:      float64(growth) / 1024,
		Unit:       "MiB",
		Baseline:   "idle VmRSS " + mib(idle.RSS) + " MiB (growth = VmHWM after paging − idle VmRSS)",
		Derived:    fmt.Sprintf("VmHWM %s MiB, VmRSS after %s MiB, %.0f pages/s", mib(after.HWM), mib(after.RSS), float64(pages)/elapsed.Seconds()),
		Target:     "< 30 MB",
		Met:        boolPtr(growth*1024 < 30_000_000),
		Detail: map[string]any{"pages": pages, "users": len(seen), "seconds": elapsed.Seconds(),
			"vmhwm_mib": float64(after.HWM) / 1024, "vmrss_after_mib": float64(after.RSS) / 1024,
			"max_sampled_vmrss_mib": float64(maxRSS) / 1024},
	})
	return rs, nil
}
