package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// backend is the in-memory Okta org served by this command on 127.0.0.1,
// the Okta that okta-mcp talks to in every experiment.
type backend struct {
	org    *sandbox.Org
	srv    *http.Server
	url    string // http://127.0.0.1:PORT
	token  string
	userID string // a user to get
	users  int    // users in the org
}

// startBackend serves an org on a loopback port: the demo org when users is
// 0, else a generated org of that many users; rate is the requests/minute
// limit per endpoint bucket (0: none).
func startBackend(users, rate int) (*backend, error) {
	opts := sandbox.Options{RateLimit: rate, RequestLogSize: 20000}
	if users > 0 {
		opts.Seed = sandbox.GenerateSeed(users, 0)
	}
	org, err := sandbox.New(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &backend{
		org:   org,
		srv:   &http.Server{Handler: org, ReadHeaderTimeout: 10 * time.Second},
		url:   "http://" + ln.Addr().String(),
		token: sandbox.DefaultToken,
	}
	go func() {
		if err := b.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Println("okta-mcp-load: backend:", err)
		}
	}()
	// The first user of the org is the one every get_user call fetches; the
	// request goes to a different bucket (listUsers) than getUser.
	hc := loopbackClient(1)
	req, _ := http.NewRequest(http.MethodGet, b.url+"/api/v1/users?limit=1", nil)
	req.Header.Set("Authorization", "SSWS "+b.token)
	resp, err := hc.Do(req)
	if err != nil {
		b.close()
		return nil, err
	}
	defer resp.Body.Close()
	var us []struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&us); err != nil || len(us) == 0 {
		b.close()
		return nil, fmt.Errorf("backend: listing users: %v (HTTP %d)", err, resp.StatusCode)
	}
	b.userID = us[0].ID
	b.users = org.UserCount()
	org.ResetRequests()
	return b, nil
}

func (b *backend) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = b.srv.Shutdown(ctx)
}
