package store_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/store/storetest"
)

var benchSubjects = []string{"Đèn đường hỏng", "Rác thải không được thu gom", "Ổ gà trên đường", "Lấn chiếm vỉa hè", "Tiếng ồn ban đêm",
	"Cây xanh đổ", "Nước thải tràn", "Xây dựng không phép", "Cống thoát nước tắc", "Biển báo giao thông mất"}

// BenchmarkPetitionSubmit measures an anonymous petition sent: validation,
// the calendar's three due times, the code's counter, the row, its first
// event and the roll-up, in one transaction.
//
//	go test -run '^$' -bench PetitionSubmit -benchtime 2000x ./internal/store/
func BenchmarkPetitionSubmit(b *testing.B) {
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			f := storetest.NewFixture(b, engine)
			svc, ctx := f.Petitions(), context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := svc.Submit(ctx, auth.Actor{}, petition.SubmitRequest{Unit: demo.Ward, Field: "traffic", Subject: benchSubjects[i%10],
					Text: "Nội dung phản ánh số " + strconv.Itoa(i), Phone: "0912345678"}, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPetitionPublicSearch measures the public search of published
// answers without accents: $MOTCUA_BENCH_PETITIONS published (default
// 3,000), ten subjects; one op is a two-word query matching a tenth of them
// (first page of 20 and the count), or a word matching none.
//
//	MOTCUA_BENCH_PETITIONS=3000 go test -run '^$' -bench PetitionPublicSearch ./internal/store/
func BenchmarkPetitionPublicSearch(b *testing.B) {
	n := 3000
	if v, err := strconv.Atoi(os.Getenv("MOTCUA_BENCH_PETITIONS")); err == nil && v > 0 {
		n = v
	}
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			f := storetest.NewFixture(b, engine)
			svc, ctx := f.Petitions(), context.Background()
			leader := f.Actors["lanhdao"]
			for i := range n {
				p, err := svc.Submit(ctx, auth.Actor{}, petition.SubmitRequest{Unit: demo.Ward, Field: "urban", Subject: benchSubjects[i%10],
					Text: fmt.Sprintf("Phản ánh số %d tại tổ dân phố %d", i, i%40), Phone: "0912345678"}, nil)
				if err != nil {
					b.Fatal(err)
				}
				for _, req := range []petition.ActionRequest{{Action: petition.ActAnswer, Text: "Đã xử lý xong."}, {Action: petition.ActPublish, Text: "Đã xử lý chưa?"}} {
					if _, err := svc.Act(ctx, leader, p.Code, req); err != nil {
						b.Fatal(err)
					}
				}
			}
			for _, c := range []struct {
				name, q string
				want    int
			}{{"tenth", "cong thoat", n / 10}, {"none", "hoa sen", 0}} {
				b.Run(c.name, func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						ps, total, err := svc.Public(ctx, c.q, 20, 0)
						if err != nil || total != c.want || len(ps) != min(20, c.want) {
							b.Fatalf("%q: %d of %d, %v", c.q, len(ps), total, err)
						}
					}
				})
			}
		})
	}
}
