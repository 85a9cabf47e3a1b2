package store_test

import (
	"context"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/target"
)

// targetExtras gives the copy's dataset a target with an actual (and so two
// lines of its change log) and a kept report whose bytes are not text.
func (g *dataset) targetExtras(ctx context.Context) error {
	t, err := g.f.DB.AddTarget(ctx, target.Target{UnitCode: demo.Ward, Year: 2026, Name: "Thu ngân sách", Kind: target.KindBudget, Plan: 1000}, g.f.Actors["lanhdao"])
	if err != nil {
		return err
	}
	if _, err := g.f.DB.SetActual(ctx, t.ID, "2026-02", 512.5, g.f.Actors["lanhdao"]); err != nil {
		return err
	}
	_, err = g.f.DB.SaveReport(ctx, demo.Ward, "2026-02", "monthly", []byte("%PDF-1.4\n\x00\xff\xfe binary\n%%EOF\n"))
	return err
}
