package store

import (
	"context"
	"sync"
	"time"
)

// viewBuffer counts articles' readings in memory and writes them in one
// transaction at most once a second (or every viewFlushCount readings),
// through the grouped writer on SQLite: a popular page read a thousand
// times a second costs one small write a second, not a thousand on the
// single writer. Readings not yet written are added to what the store
// returns, so the count shown is exact on this server; a crash loses at
// most a second of them.
type viewBuffer struct {
	mu      sync.Mutex
	counts  map[int64]int64
	n       int64
	last    time.Time
	writing bool
}

const (
	viewFlushEvery = time.Second
	viewFlushCount = 1000
)

// pending is the readings of id not yet written.
func (b *viewBuffer) pending(id int64) int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.counts[id]
}

// add counts one reading and tells whether the buffer is due to be
// written (and no write is under way).
func (b *viewBuffer) add(id int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.counts == nil {
		b.counts, b.last = map[int64]int64{}, time.Now()
	}
	b.counts[id]++
	b.n++
	return !b.writing && (b.n >= viewFlushCount || time.Since(b.last) >= viewFlushEvery)
}

// take empties the buffer for writing.
func (b *viewBuffer) take() map[int64]int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.counts
	b.counts, b.n, b.last, b.writing = map[int64]int64{}, 0, time.Now(), true
	return out
}

// done ends a write; counts it failed to write come back into the buffer.
func (b *viewBuffer) done(failed map[int64]int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.writing = false
	for id, n := range failed {
		b.counts[id] += n
		b.n += n
	}
}

// CountView counts one reading of the article; the buffer is written when
// due, by the reader who finds it so.
func (s News) CountView(ctx context.Context, id int64) error {
	if !s.DB.newsViews.add(id) {
		return nil
	}
	return s.FlushViews(ctx)
}

// FlushViews writes the readings counted so far.
func (s News) FlushViews(ctx context.Context) error {
	counts := s.DB.newsViews.take()
	if len(counts) == 0 {
		s.DB.newsViews.done(nil)
		return nil
	}
	err := s.DB.inGroupTx(context.WithoutCancel(ctx), func(ctx context.Context, tx *Tx) error {
		for id, n := range counts {
			if _, err := tx.exec(ctx, `UPDATE news_articles SET views = views + ? WHERE id = ?`, n, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.DB.newsViews.done(counts)
		return err
	}
	s.DB.newsViews.done(nil)
	return nil
}
