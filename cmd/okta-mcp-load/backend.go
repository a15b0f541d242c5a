package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"time"

	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// backend is the in-memory Okta org that okta-mcp talks to in every
// experiment. It runs in a process of its own (this command in backend
// mode), as Okta is a server of its own: the direct-GET baseline and
// okta-mcp's calls then cross the same kind of process boundary, and the
// org's memory is not counted anywhere it should not be.
type backend struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	url    string // http://127.0.0.1:PORT
	token  string
	userID string // a user to get
	users  int    // users in the org
}

// backendInfo is what backend mode prints on its stdout once it serves.
type backendInfo struct {
	URL    string `json:"url"`
	Token  string `json:"token"`
	UserID string `json:"userId"`
	Users  int    `json:"users"`
}

// backendStats is what GET /_load/stats answers: the org's requests by
// outcome since the backend started serving.
type backendStats struct {
	OK          int `json:"ok"`          // 2xx
	RateLimited int `json:"rateLimited"` // 429
	Other       int `json:"other"`
}

// statsPath is served by the backend next to the Okta API.
const statsPath = "/_load/stats"

// startBackend starts this command in backend mode: the demo org when users
// is 0, else a generated org of that many users; rate is the requests/minute
// limit per endpoint bucket (0: none).
func startBackend(self string, users, rate int) (*backend, error) {
	cmd := exec.Command(self, "backend", "-users", fmt.Sprint(users), "-rate", fmt.Sprint(rate))
	cmd.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + os.TempDir()} // not -env: that is for the server under test
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	b := &backend{cmd: cmd, stdin: in}
	line, err := bufio.NewReader(out).ReadBytes('\n')
	var info backendInfo
	if err == nil {
		err = json.Unmarshal(line, &info)
	}
	if err != nil {
		b.close()
		return nil, fmt.Errorf("backend did not start: %w", err)
	}
	b.url, b.token, b.userID, b.users = info.URL, info.Token, info.UserID, info.Users
	return b, nil
}

// stats reads the org's request counters.
func (b *backend) stats(ctx context.Context) (backendStats, error) {
	var s backendStats
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.url+statsPath, nil)
	if err != nil {
		return s, err
	}
	resp, err := loopbackClient(1).Do(req)
	if err != nil {
		return s, err
	}
	defer resp.Body.Close()
	return s, json.NewDecoder(resp.Body).Decode(&s)
}

// close ends backend mode (its stdin closes) and waits for it.
func (b *backend) close() {
	_ = b.stdin.Close()
	done := make(chan struct{})
	go func() { _ = b.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = b.cmd.Process.Kill()
		<-done
	}
}

// runBackend is backend mode: serve an org on a loopback port, print its
// backendInfo, and stop when stdin closes.
func runBackend(args []string) error {
	fs := flag.NewFlagSet("okta-mcp-load backend", flag.ContinueOnError)
	users := fs.Int("users", 0, "users in the generated org (0: the demo org)")
	rate := fs.Int("rate", 0, "requests per minute per endpoint bucket (0: no limit)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	opts := sandbox.Options{RateLimit: *rate}
	if *rate == 0 {
		opts.RateLimit = sandbox.NoRateLimit
	}
	if *users > 0 {
		opts.Seed = sandbox.GenerateSeed(*users, 0)
	}
	org, err := sandbox.New(opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	// The first user of the org is the one every get_user call fetches
	// (read in process, so that no bucket is spent).
	req, _ := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/api/v1/users?limit=1", nil)
	req.Header.Set("Authorization", "SSWS "+sandbox.DefaultToken)
	resp, err := (&http.Client{Transport: org.Transport()}).Do(req)
	if err != nil {
		return err
	}
	var us []struct {
		ID string `json:"id"`
	}
	err = json.NewDecoder(resp.Body).Decode(&us)
	resp.Body.Close()
	if err != nil || len(us) == 0 {
		return fmt.Errorf("listing users: %v (HTTP %d)", err, resp.StatusCode)
	}
	org.ResetRequests()

	var st backendStats
	var mu = make(chan struct{}, 1)
	mux := http.NewServeMux()
	mux.HandleFunc(statsPath, func(w http.ResponseWriter, r *http.Request) {
		mu <- struct{}{}
		s := st
		<-mu
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(s)
	})
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		org.ServeHTTP(sw, r)
		mu <- struct{}{}
		switch {
		case sw.status == http.StatusTooManyRequests:
			st.RateLimited++
		case sw.status < 300:
			st.OK++
		default:
			st.Other++
		}
		<-mu
	}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "okta-mcp-load backend:", err)
		}
	}()
	info, _ := json.Marshal(backendInfo{URL: "http://" + ln.Addr().String(), Token: sandbox.DefaultToken, UserID: us[0].ID, Users: org.UserCount()})
	if _, err := os.Stdout.Write(append(info, '\n')); err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, os.Stdin) // until the load command closes it
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return srv.Shutdown(ctx)
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}
