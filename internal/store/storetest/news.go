package storetest

import (
	"github.com/motcua/motcua/internal/news"
	"github.com/motcua/motcua/internal/store"
)

// News is the news service over the fixture's database, on its clock.
func (f *Fixture) News() *news.Service {
	return &news.Service{Store: store.News{DB: f.DB}, Now: f.Clock.Now}
}
