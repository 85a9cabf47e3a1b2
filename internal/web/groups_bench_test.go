package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/web"
)

// BenchmarkPublicStats measures a unit's public statistics over HTTP on
// loopback: the page rendered (the year's and each month's figures read
// from the roll-ups: two reads per month and two for the year), and the
// same page asked again with its ETag, answered 304 after the same reads
// but without sending the body.
//
//	MOTCUA_TEST_POSTGRES=postgres://… go test -run '^$' -bench BenchmarkPublicStats -benchtime 300x ./internal/web/
func BenchmarkPublicStats(b *testing.B) {
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			f := storetest.NewFixture(b, engine)
			s := &web.Server{DB: f.DB, Dossiers: f.Svc, Procs: store.Procedures{DB: f.DB}, Calendar: f.Cals,
				Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: f.Clock.Now}
			srv := httptest.NewServer(s.Handler())
			defer srv.Close()
			get := func(tag string) (int, string) {
				req, _ := http.NewRequest("GET", srv.URL+"/thong-ke/cong-khai/00004", nil)
				if tag != "" {
					req.Header.Set("If-None-Match", tag)
				}
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				return res.StatusCode, res.Header.Get("ETag")
			}
			_, tag := get("")
			b.Run("page", func(b *testing.B) {
				for b.Loop() {
					if st, _ := get(""); st != 200 {
						b.Fatal(st)
					}
				}
			})
			b.Run("not-modified", func(b *testing.B) {
				for b.Loop() {
					if st, _ := get(tag); st != http.StatusNotModified {
						b.Fatal(st)
					}
				}
			})
		})
	}
}
