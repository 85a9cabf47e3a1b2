package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
)

// Clock is a settable clock for deadline tests.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Fixture is a database with the demo's units, procedures and users (no
// dossiers), the dossier service on a test clock, and the users as actors.
type Fixture struct {
	DSN    string // the database's address, for tests that reach under the store
	DB     *store.DB
	Svc    *dossier.Service
	Cals   *store.Calendars
	Clock  *Clock
	Actors map[string]auth.Actor // by username
	Users  map[string]auth.User
}

// Start is the fixture clock's default start: Monday 2026-03-02 09:00 in Hà Nội.
var Start = time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Zone)

// NewFixture builds a fixture on engine.
func NewFixture(t testing.TB, engine string) *Fixture {
	t.Helper()
	dsn := DSN(t, engine)
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { db.Close() })
	clock := NewClock(Start)
	db.Now = clock.Now
	users, err := demo.Seed(context.Background(), db)
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	f := &Fixture{DSN: dsn, DB: db, Clock: clock, Cals: &store.Calendars{DB: db}, Actors: map[string]auth.Actor{}, Users: map[string]auth.User{}}
	for _, u := range users {
		f.Actors[u.Username] = u.Actor()
		f.Users[u.Username] = u
	}
	f.Svc = &dossier.Service{Store: store.Dossiers{DB: db}, Procedures: store.Procedures{DB: db}, Calendars: f.Cals,
		Units: db, Officers: db, Now: clock.Now}
	return f
}
