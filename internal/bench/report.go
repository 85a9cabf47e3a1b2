package bench

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// report gathers a run's numbers for the summary.
type report struct {
	engine    string
	ds        *Dataset
	http      []Result
	ceiling   []Result
	peak, rss int64
}

func printResultHead(w io.Writer) {
	fmt.Fprintf(w, "%-34s %9s %9s %9s %9s %9s %7s\n", "operation", "requests", "per s", "p50", "p95", "p99", "errors")
}

func printResult(w io.Writer, r Result) {
	fmt.Fprintf(w, "%-34s %9d %9.0f %9s %9s %9s %7d", r.Name, r.Count, r.PerSec(), ms(r.P50), ms(r.P95), ms(r.P99), r.Errors)
	if r.Exhausted {
		fmt.Fprintf(w, "  (prepared dossiers used up after %s)", r.Elapsed.Round(100*time.Millisecond))
	}
	fmt.Fprintln(w)
	if r.FirstError != "" {
		fmt.Fprintf(w, "    first error: %s\n", oneLine(r.FirstError, 200))
	}
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000)
}

func megabytes(n int64) string {
	return fmt.Sprintf("%.0f MB", float64(n)/1e6)
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}

func find(list []Result, name string) (Result, bool) {
	for _, x := range list {
		if x.Name == name {
			return x, true
		}
	}
	return Result{}, false
}

// goal is one of the product's performance goals and whether the run met
// it.
type goal struct {
	text, got string
	met       bool
}

func (r *report) goals() []goal {
	var out []goal
	if s, ok := find(r.http, "submit at the counter"); ok {
		out = append(out, goal{"submit ≥ 2,000/s, p99 ≤ 50 ms", fmt.Sprintf("%.0f/s, p99 %s", s.PerSec(), ms(s.P99)),
			s.PerSec() >= 2000 && s.P99 <= 50*time.Millisecond && clean(s)})
		if c, ok := find(r.ceiling, "1 dossier per transaction"); ok && c.PerSec() > 0 {
			share := s.PerSec() / c.PerSec()
			out = append(out, goal{"submit ≥ 50% of the one-transaction ceiling", fmt.Sprintf("%.0f%% (%.0f of %.0f/s)", 100*share, s.PerSec(), c.PerSec()), share >= 0.5})
		}
	}
	if s, ok := find(r.http, "public lookup"); ok {
		out = append(out, goal{"lookup ≥ 15,000/s, p99 ≤ 20 ms", fmt.Sprintf("%.0f/s, p99 %s", s.PerSec(), ms(s.P99)),
			s.PerSec() >= 15000 && s.P99 <= 20*time.Millisecond && clean(s)})
	}
	for _, name := range []string{"stats, province, 1 year", "stats, province, 1 year, 1 client"} {
		if s, ok := find(r.http, name); ok {
			out = append(out, goal{"province stats over a year p95 ≤ 20 ms" + strings.TrimPrefix(name, "stats, province, 1 year"),
				"p95 " + ms(s.P95), s.P95 <= 20*time.Millisecond && clean(s)})
		}
	}
	for _, name := range []string{"ranking, province, 1 year", "ranking, province, 1 year, 1 client"} {
		if s, ok := find(r.http, name); ok {
			out = append(out, goal{"communes ranked over a year p95 ≤ 50 ms" + strings.TrimPrefix(name, "ranking, province, 1 year"),
				"p95 " + ms(s.P95), s.P95 <= 50*time.Millisecond && clean(s)})
		}
	}
	return out
}

// clean: the operation ran and nothing failed.
func clean(r Result) bool { return r.Count > 0 && r.Errors == 0 }

func (r *report) printSummary(w io.Writer) {
	fmt.Fprintf(w, "\ntargets:\n")
	for _, t := range r.goals() {
		verdict := "met"
		if !t.met {
			verdict = "NOT met"
		}
		fmt.Fprintf(w, "  %-56s %-28s %s\n", t.text, t.got, verdict)
	}
}
