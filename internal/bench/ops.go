package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
)

// session holds the signed-in officers of the clients' communes.
type session struct {
	c        *client
	units    []string // the clients' communes; client i works for units[i % len]
	counters []string // session tokens, by commune
	leaders  []string
	province string // the province leader's token
}

// signIn logs in a counter officer and a leader of each of the first n
// communes and the province leader, one after the other: a login costs a
// deliberately slow password hash, and doing them at once would only
// inflate the server's peak memory.
func signIn(ctx context.Context, c *client, ds *Dataset, n int, password string) (*session, error) {
	s := &session{c: c}
	for i := range n {
		counter, err := c.login(ctx, ds.Staff[i].Counter, password)
		if err != nil {
			return nil, err
		}
		leader, err := c.login(ctx, ds.Staff[i].Leader, password)
		if err != nil {
			return nil, err
		}
		s.units, s.counters, s.leaders = append(s.units, ds.Communes[i].Code), append(s.counters, counter), append(s.leaders, leader)
	}
	var err error
	s.province, err = c.login(ctx, ds.Leader, password)
	return s, err
}

// op is one timed operation: run performs request n of a client.
type op struct {
	name    string
	run     func(ctx context.Context, client, n int) error
	clients int // 0: all of them
}

// ops lists the operations in the order they are timed: the writes first
// (the dataset they leave is what a busy day leaves), then the reads.
func (s *session) ops(ds *Dataset, end time.Time) []op {
	out := []op{{name: "submit at the counter", run: s.submit(ds)}}
	for _, pa := range poolActions {
		out = append(out, op{name: "action " + pa.action, run: s.action(ds, pa.action)})
	}
	from := end.In(stats.Zone).AddDate(-1, 0, 1).Format("2006-01-02")
	to := end.In(stats.Zone).Format("2006-01-02")
	stats := "/api/v1/stats?from=" + from + "&to=" + to + "&unit="
	province := s.get(func(int) (string, string) { return stats + url.QueryEscape(ds.Province.Code), s.province })
	// The service index reads the same sums: a commune's, and the
	// province's ranking of all its communes (with the year before).
	period := "?from=" + from + "&to=" + to + "&unit="
	ranking := s.get(func(int) (string, string) {
		return "/api/v1/index/ranking" + period + url.QueryEscape(ds.Province.Code), s.province
	})
	return append(out,
		op{name: "public lookup", run: s.lookup(ds)},
		op{name: "officer queue (status 4)", run: s.get(func(int) (string, string) { return "/api/v1/dossiers?status=4", "" })},
		op{name: "stats, commune, 1 year", run: s.get(func(u int) (string, string) { return stats + url.QueryEscape(s.units[u]), "" })},
		op{name: "stats, province, 1 year", run: province},
		// A province's leaders are few: their dashboard alone, too.
		op{name: "stats, province, 1 year, 1 client", run: province, clients: 1},
		op{name: "index, commune, 1 year", run: s.get(func(u int) (string, string) {
			return "/api/v1/index" + period + url.QueryEscape(s.units[u]), s.leaders[u]
		})},
		op{name: "ranking, province, 1 year", run: ranking},
		op{name: "ranking, province, 1 year, 1 client", run: ranking, clients: 1},
		// The ranking page adds each commune's total over the last twelve
		// months (IndexMonths) to the ranking, for its chart.
		op{name: "ranking page + 12-month chart, 1 client", run: s.get(func(int) (string, string) {
			return "/chi-so/xep-hang" + period + url.QueryEscape(ds.Province.Code), s.province
		}), clients: 1},
	)
}

func (s *session) submit(ds *Dataset) func(ctx context.Context, client, n int) error {
	return func(ctx context.Context, client, n int) error {
		body := ds.submitBodies[(client*7919+n)%len(ds.submitBodies)]
		return s.c.do(ctx, http.MethodPost, "/api/v1/dossiers", s.counters[client%len(s.units)], body, http.StatusCreated, nil)
	}
}

// action performs a lifecycle action on the prepared dossiers of the
// client's commune: by its leader for an approval, else by its counter.
func (s *session) action(ds *Dataset, action string) func(ctx context.Context, client, n int) error {
	pools := make([]*pool, len(s.units))
	for i := range pools {
		pools[i] = &pool{}
		if lists := ds.Pools[action]; i < len(lists) {
			pools[i].codes = lists[i]
		}
	}
	tokens := s.counters
	if action == dossier.ActApprove {
		tokens = s.leaders
	}
	return func(ctx context.Context, client, n int) error {
		u := client % len(s.units)
		code, ok := pools[u].take()
		if !ok {
			return errExhausted
		}
		return s.c.do(ctx, http.MethodPost, "/api/v1/dossiers/"+code+"/actions/"+action, tokens[u], nil, http.StatusOK, nil)
	}
}

func (s *session) lookup(ds *Dataset) func(ctx context.Context, client, n int) error {
	paths := make([]string, len(ds.Samples))
	for i, x := range ds.Samples {
		paths[i] = "/api/v1/lookup?code=" + url.QueryEscape(x.Code) + "&id=" + url.QueryEscape(x.IDNumber)
	}
	return func(ctx context.Context, client, n int) error {
		if len(paths) == 0 {
			return fmt.Errorf("no dossiers to look up")
		}
		return s.c.do(ctx, http.MethodGet, paths[(client*7919+n*104729)%len(paths)], "", nil, http.StatusOK, nil)
	}
}

// get reads the path that route gives for the client's commune, with the
// token it gives or else as the commune's counter officer.
func (s *session) get(route func(unit int) (path, token string)) func(ctx context.Context, client, n int) error {
	return func(ctx context.Context, client, n int) error {
		u := client % len(s.units)
		path, token := route(u)
		if token == "" {
			token = s.counters[u]
		}
		return s.c.do(ctx, http.MethodGet, path, token, nil, http.StatusOK, nil)
	}
}
