package store

import (
	"sync"
	"time"
)

// stampCache keeps the news' version stamps (News.Stamp) and related
// articles (News.Related) for a second: every public page asks for a stamp
// before anything else, to answer a 304, an article's page for its related
// articles, and under load most of them ask the same. An entry holds while the wall
// clock stays within a second of its reading, the store's clock in the same
// second, and no article was written through this store since; another
// server's write shows here within a second.
type stampCache struct {
	mu  sync.Mutex
	gen uint64 // writes of articles through this store
	m   map[string]stampEntry
}

type stampEntry struct {
	gen   uint64
	wall  time.Time
	clock int64 // the store clock's second
	value any
}

const stampTTL = time.Second

func (c *stampCache) get(key string, now time.Time) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || e.gen != c.gen || e.clock != now.Unix() || time.Since(e.wall) >= stampTTL {
		return nil, false
	}
	return e.value, true
}

func (c *stampCache) put(key string, now time.Time, gen uint64, value any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 10_000 {
		c.m = map[string]stampEntry{}
	}
	c.m[key] = stampEntry{gen: gen, wall: time.Now(), clock: now.Unix(), value: value}
}

// generation is the count of writes, read before a stamp is computed so
// that a write during the computation makes the entry stale.
func (c *stampCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// changed marks a write of an article.
func (c *stampCache) changed() {
	c.mu.Lock()
	c.gen++
	c.mu.Unlock()
}
