package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Result is what one timed operation measured.
type Result struct {
	Name          string
	Count, Errors int
	Elapsed       time.Duration
	P50, P95, P99 time.Duration
	PerOp         int    // dossiers an operation writes (a batched transaction); 0 means 1
	Exhausted     bool   // the prepared dossiers ran out before the time was up
	FirstError    string // the first error, to tell what went wrong
}

// PerSec is the throughput of successful operations, in dossiers for the
// batched writes.
func (r Result) PerSec() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64((r.Count-r.Errors)*max(r.PerOp, 1)) / r.Elapsed.Seconds()
}

// errExhausted ends a client's loop when its prepared dossiers are used up.
var errExhausted = errors.New("no prepared dossier left")

// measure runs op from clients goroutines for d, then lets the requests
// in flight finish for as long again (those that do not are errors), and
// gathers the latencies. op gets the client's number and the iteration.
func measure(ctx context.Context, name string, clients int, d time.Duration, op func(ctx context.Context, client, n int) error) Result {
	stop, cancelStop := context.WithTimeout(ctx, d)
	defer cancelStop()
	reqCtx, cancelReq := context.WithTimeout(ctx, 2*d)
	defer cancelReq()
	var mu sync.Mutex
	var lat []time.Duration
	res := Result{Name: name}
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine, errs, first, exhausted := runClient(stop, reqCtx, c, op)
			mu.Lock()
			defer mu.Unlock()
			lat = append(lat, mine...)
			res.Errors += errs
			res.Exhausted = res.Exhausted || exhausted
			if res.FirstError == "" {
				res.FirstError = first
			}
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.Count = len(lat)
	res.P50, res.P95, res.P99 = percentiles(lat)
	return res
}

// runClient sends requests until stop; a request that outlives ctx counts
// as an error with the time it was given as its latency.
func runClient(stop, ctx context.Context, c int, op func(ctx context.Context, client, n int) error) (lat []time.Duration, errs int, first string, exhausted bool) {
	for n := 0; stop.Err() == nil; n++ {
		t := time.Now()
		err := op(ctx, c, n)
		if errors.Is(err, errExhausted) {
			return lat, errs, first, true
		}
		lat = append(lat, time.Since(t))
		if err != nil {
			errs++
			if ctx.Err() != nil {
				err = fmt.Errorf("no answer before the end of the run (twice the duration)")
			}
			if first == "" {
				first = err.Error()
			}
		}
	}
	return lat, errs, first, false
}

func percentiles(lat []time.Duration) (p50, p95, p99 time.Duration) {
	if len(lat) == 0 {
		return 0, 0, 0
	}
	slices.Sort(lat)
	// nearest rank: the smallest value with at least q of the values at or below it
	at := func(q float64) time.Duration { return lat[max(0, int(math.Ceil(q*float64(len(lat))))-1)] }
	return at(0.50), at(0.95), at(0.99)
}

// client talks to the server's JSON API over keep-alive connections.
type client struct {
	base string
	http *http.Client
}

func newClient(base string, conns int) *client {
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, IdleConnTimeout: time.Minute, DisableCompression: true}
	return &client{base: base, http: &http.Client{Transport: tr, Timeout: time.Minute}}
}

// do sends a request and reads the whole answer; any status other than
// want is an error. out, when not nil, receives the decoded body.
func (c *client) do(ctx context.Context, method, path, token string, body []byte, want int, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(b))
	}
	if out != nil {
		return json.NewDecoder(resp.Body).Decode(out)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// login signs an officer in and returns the session token.
func (c *client) login(ctx context.Context, username, password string) (string, error) {
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	var out struct {
		Token string `json:"token"`
	}
	if err := c.do(ctx, http.MethodPost, "/api/v1/login", "", body, http.StatusOK, &out); err != nil {
		return "", err
	}
	return out.Token, nil
}

// pool hands out prepared dossier codes, each once.
type pool struct {
	codes []string
	next  atomic.Int64
}

func (p *pool) take() (string, bool) {
	i := p.next.Add(1) - 1
	if i >= int64(len(p.codes)) {
		return "", false
	}
	return p.codes[i], true
}
