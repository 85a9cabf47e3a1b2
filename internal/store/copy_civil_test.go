package store_test

import (
	"context"

	"github.com/motcua/motcua/internal/civil"
)

// civilExtras gives the copy's dataset a birth book with two records of
// the same child (flagged as likely duplicates), a read and a search in
// the log, and an extract issued.
func (g *dataset) civilExtras(ctx context.Context) error {
	svc, reg := g.f.Civil(), g.f.Actors["hotich"]
	book := &civil.Book{Kind: civil.KindBirth, Year: 1980, Number: "03"}
	if err := svc.CreateBook(ctx, reg, book); err != nil {
		return err
	}
	var ids []int64
	for i, name := range []string{"Đặng Văn Hùng", "Dang Van Hung"} {
		r := birthRecord(book.ID, name, "1980-07-15", "Ngô Thị Hạnh", string(rune('1'+i)))
		if err := svc.Enter(ctx, reg, r); err != nil {
			return err
		}
		ids = append(ids, r.ID)
	}
	if _, err := svc.Get(ctx, reg, ids[0], civil.ReasonIssueExtract, ""); err != nil {
		return err
	}
	if _, _, err := svc.Search(ctx, reg, civil.Query{Q: "hung"}); err != nil {
		return err
	}
	return svc.Issue(ctx, reg, &civil.Issuance{RecordID: ids[0], Copies: 2})
}
