package signin

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Interactive runs browser sign-ins on behalf of a server whose tools found
// nobody signed in: StartSignIn begins the authorization code flow (the
// loopback redirect listener runs in this process) and returns the URL for
// the human to open, for example through an MCP URL-mode elicitation. One
// sign-in runs at a time; concurrent callers share it. The tokens are saved
// to the Store, where the Authenticator finds them.
type Interactive struct {
	C       *Client
	Store   *Store
	Port    int           // loopback redirect port; 0 = DefaultLoopbackPort
	Timeout time.Duration // how long a sign-in may take; 0 = 5 minutes

	mu  sync.Mutex
	cur *flow
}

type flow struct {
	url  string
	done chan struct{}
	err  error
}

// StartSignIn starts (or joins) a sign-in and returns its authorization URL
// and a function that waits for it to finish (tokens saved) or fail.
func (i *Interactive) StartSignIn(ctx context.Context) (string, func(context.Context) error, error) {
	i.mu.Lock()
	f := i.cur
	if f == nil {
		f = &flow{done: make(chan struct{})}
		i.cur = f
		urlCh := make(chan string, 1)
		timeout := i.Timeout
		if timeout <= 0 {
			timeout = 5 * time.Minute
		}
		go func() {
			fctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			tok, err := i.C.LoginBrowser(fctx, LoginOptions{Port: i.Port, Open: func(u string) error { urlCh <- u; return nil }})
			if err == nil {
				err = i.Store.Save(tok)
			}
			i.mu.Lock()
			f.err = err
			i.cur = nil
			i.mu.Unlock()
			close(f.done)
		}()
		i.mu.Unlock()
		var u string
		select {
		case u = <-urlCh:
		case <-f.done:
			return "", nil, f.err
		case <-ctx.Done():
			return "", nil, ctx.Err()
		}
		i.mu.Lock()
		f.url = u
	}
	u := f.url
	i.mu.Unlock()
	if u == "" { // joined a flow that has not published its URL yet
		return "", nil, errors.New("signin: another sign-in is starting; try again in a moment")
	}
	wait := func(ctx context.Context) error {
		select {
		case <-f.done:
			return f.err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return u, wait, nil
}
