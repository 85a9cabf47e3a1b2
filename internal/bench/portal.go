package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/demo"
)

// PortalOptions are the settings of "motcua bench portal".
type PortalOptions struct {
	Out      io.Writer
	Exe      string        // the motcua binary, run as the server
	DataDir  string        // fresh SQLite data directory ("" a temporary one)
	DB       string        // postgres://… database to serve from instead (empty, migrated by the server)
	Clients  int           // concurrent HTTP clients
	Duration time.Duration // time per operation
	Articles int           // articles published before the run
}

// Portal measures the public news pages against a static file of about
// the same size served by the same server in the same run: the demo
// installation gets a category and Articles published articles through
// the API, then each page is read by Clients clients for Duration, once
// without and once with If-None-Match (the 304 of the cached page).
func Portal(ctx context.Context, o PortalOptions) error {
	args := []string{"serve", "--addr", "127.0.0.1:0", "--demo", "--limit-public", "off"}
	switch {
	case o.DB != "":
		args = append(args, "--db", o.DB)
	case o.DataDir != "":
		args = append(args, "--data", o.DataDir)
	default:
		dir, err := os.MkdirTemp("", "motcua-portal-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		args = append(args, "--data", dir)
	}
	srv, err := StartServer(ctx, o.Exe, args...)
	if err != nil {
		return err
	}
	defer srv.Stop()
	c := newClient(srv.URL, o.Clients)
	slug, err := publishArticles(ctx, c, o.Articles)
	if err != nil {
		return fmt.Errorf("publish: %w\n%s", err, srv.Logs())
	}
	article := "/tin-tuc/" + slug + "?unit=" + demo.Ward
	pages := []struct{ name, path string }{{"article page", article}, {"news list", "/tin-tuc?unit=" + demo.Ward}}
	static, err := closestStatic(ctx, c, article)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Out, "server: %s; %d articles; %d clients for %s per operation\n", srv.URL, o.Articles, o.Clients, o.Duration)
	for _, p := range append([]struct{ name, path string }{{"static " + static.name, static.path}}, pages...) {
		size, etag, err := c.page(ctx, p.path, "")
		if err != nil {
			return err
		}
		fmt.Fprintf(o.Out, "  %-22s %s: %d bytes, ETag %s\n", p.name, p.path, size, etag)
	}
	fmt.Fprintln(o.Out)
	printResultHead(o.Out)
	for _, p := range append([]struct{ name, path string }{{"static file", static.path}}, pages...) {
		_, etag, err := c.page(ctx, p.path, "")
		if err != nil {
			return err
		}
		for _, inm := range []string{"", etag} {
			name := p.name + " 200"
			want := http.StatusOK
			if inm != "" {
				name, want = p.name+" 304 (If-None-Match)", http.StatusNotModified
			}
			r := measure(ctx, name, o.Clients, o.Duration, func(ctx context.Context, _, _ int) error {
				return c.get(ctx, p.path, inm, want)
			})
			printResult(o.Out, r)
			select {
			case <-time.After(time.Second):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	return srv.Stop()
}

// publishArticles gives the demo ward a category and n published articles
// (the administrator writes, the leader approves) and returns the slug of
// the last, whose page has related articles.
func publishArticles(ctx context.Context, c *client, n int) (string, error) {
	admin, err := c.login(ctx, "quantri", demo.Password())
	if err != nil {
		return "", err
	}
	leader, err := c.login(ctx, "lanhdao", demo.Password())
	if err != nil {
		return "", err
	}
	if err := c.do(ctx, "POST", "/api/v1/news/categories", admin, []byte(`{"name":"Thông báo"}`), http.StatusCreated, nil); err != nil {
		return "", err
	}
	body := strings.Repeat("Ủy ban nhân dân phường thông báo lịch tiếp công dân định kỳ của lãnh đạo phường. ", 20)
	var slug string
	for i := range max(n, 1) {
		var a struct {
			ID   int64  `json:"id"`
			Slug string `json:"slug"`
		}
		in := fmt.Sprintf(`{"title":"Thông báo lịch tiếp công dân số %d","summary":"Lãnh đạo phường tiếp công dân","body":"%s\n\n**Thứ Năm** hằng tuần.","category":"thong-bao","submit":true}`, i+1, body)
		if err := c.do(ctx, "POST", "/api/v1/news", admin, []byte(in), http.StatusCreated, &a); err != nil {
			return "", err
		}
		if err := c.do(ctx, "POST", fmt.Sprintf("/api/v1/news/%d/review", a.ID), leader, []byte(`{"action":"approve"}`), http.StatusOK, nil); err != nil {
			return "", err
		}
		slug = a.Slug
	}
	return slug, nil
}

type staticFile struct{ name, path string }

// closestStatic is the product's static file nearest in size to the page.
func closestStatic(ctx context.Context, c *client, page string) (staticFile, error) {
	want, _, err := c.page(ctx, page, "")
	if err != nil {
		return staticFile{}, err
	}
	var best staticFile
	bestDiff := -1
	for _, name := range []string{"queue.js", "news.js", "app.css", "petition.js"} {
		size, _, err := c.page(ctx, "/static/"+name, "")
		if err != nil {
			return staticFile{}, err
		}
		if d := abs(size - want); bestDiff < 0 || d < bestDiff {
			best, bestDiff = staticFile{name, "/static/" + name}, d
		}
	}
	return best, nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// page reads a page anonymously and returns its size and ETag.
func (c *client) page(ctx context.Context, path, inm string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	if err != nil {
		return 0, "", err
	}
	if inm != "" {
		req.Header.Set("If-None-Match", inm)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotModified {
		return 0, "", fmt.Errorf("GET %s: %d", path, resp.StatusCode)
	}
	return int(n), resp.Header.Get("ETag"), err
}

// get reads a page as an anonymous browser would, expecting want.
func (c *client) get(ctx context.Context, path, inm string, want int) error {
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	if err != nil {
		return err
	}
	if inm != "" {
		req.Header.Set("If-None-Match", inm)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
	}
	return nil
}
