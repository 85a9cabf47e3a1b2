package calendar

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

var sinkTime time.Time

func BenchmarkDue30Days(b *testing.B) {
	c := officialCalendar(b)
	start := at(2025, 4, 1, 9, 30)
	b.ReportAllocs()
	for b.Loop() {
		sinkTime = c.Due(start, 30)
	}
}

// openDossier is the part of a dossier a recomputation reads.
type openDossier struct {
	received time.Time
	days     float64
}

// openDossiers spreads n dossiers over 2025–2026 office hours with time
// limits from 1 to 30 working days.
func openDossiers(n int) []openDossier {
	ds := make([]openDossier, n)
	base := at(2025, 1, 2, 8, 0)
	for i := range ds {
		ds[i] = openDossier{
			received: base.Add(time.Duration(i%(700*24*60)) * time.Minute),
			days:     float64(1 + i%30),
		}
	}
	return ds
}

// newHolidayCalendar is the calendar after an administrator declares an
// extra day off, the event that forces every open dossier to be recomputed.
func newHolidayCalendar(b *testing.B) *WorkCalendar {
	var days []Day
	for y := 2025; y <= 2027; y++ {
		days = append(days, Year(y)...)
	}
	days = Merge(days, []Day{{Date: "2026-06-01", Kind: Holiday, Name: "Nghỉ đột xuất"}}, nil)
	c, err := New(DefaultOfficeHours(), days)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkRecompute1M recomputes the due time of 1,000,000 open dossiers
// after a holiday is added: one op is building the new calendar and
// calling Due for every dossier.
func BenchmarkRecompute1M(b *testing.B) {
	ds := openDossiers(1_000_000)
	due := make([]time.Time, len(ds))
	b.ResetTimer()
	for b.Loop() {
		c := newHolidayCalendar(b)
		for i, d := range ds {
			due[i] = c.Due(d.received, d.days)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(ds)), "ns/dossier")
}

// BenchmarkRecompute1MParallel shares one calendar across GOMAXPROCS
// goroutines, as the calendar is safe for concurrent use.
func BenchmarkRecompute1MParallel(b *testing.B) {
	ds := openDossiers(1_000_000)
	due := make([]time.Time, len(ds))
	workers := runtime.GOMAXPROCS(0)
	b.ResetTimer()
	for b.Loop() {
		c := newHolidayCalendar(b)
		var wg sync.WaitGroup
		chunk := (len(ds) + workers - 1) / workers
		for lo := 0; lo < len(ds); lo += chunk {
			hi := min(lo+chunk, len(ds))
			wg.Go(func() {
				for i := lo; i < hi; i++ {
					due[i] = c.Due(ds[i].received, ds[i].days)
				}
			})
		}
		wg.Wait()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(ds)), "ns/dossier")
}
