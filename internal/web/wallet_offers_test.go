package web

import (
	"testing"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
)

// TestWalletOffersOrder: for each component the papers handed in for the
// same component come first, then those of a similar name, then any other
// paper, then results; a file handed in twice is offered once, newest.
func TestWalletOffersOrder(t *testing.T) {
	papers := []dossier.Paper{ // newest first, as the wallet lists them
		{ID: 9, Kind: dossier.PaperResult, Component: "Thủ tục đăng ký khai sinh", SHA256: "r"},
		{ID: 8, Kind: dossier.PaperAttachment, Component: "Tờ khai đăng ký khai sinh", SHA256: "a"}, // a copy re-used earlier
		{ID: 7, Kind: dossier.PaperAttachment, Component: "Giấy xác nhận cư trú", SHA256: "c"},
		{ID: 6, Kind: dossier.PaperAttachment, Component: "Bản sao giấy khai sinh của con", SHA256: "b"},
		{ID: 5, Kind: dossier.PaperAttachment, Component: "Giấy khai sinh", SHA256: "d"},
		{ID: 4, Kind: dossier.PaperAttachment, Component: "Tờ khai đăng ký khai sinh", SHA256: "a"},
	}
	comps := []procedure.Component{{Name: "Giấy khai sinh"}, {Name: "Tờ khai đăng ký khai sinh"}}
	got := walletOffers(comps, papers)
	want := [][]int64{{5, 8, 6, 7, 9}, {8, 5, 7, 6, 9}} // "khai sinh" makes the birth papers alike
	for i := range want {
		var ids []int64
		for _, p := range got[i] {
			ids = append(ids, p.ID)
		}
		if len(ids) != len(want[i]) {
			t.Fatalf("%s: offers %v, want %v", comps[i].Name, ids, want[i])
		}
		for j := range ids {
			if ids[j] != want[i][j] {
				t.Fatalf("%s: offers %v, want %v", comps[i].Name, ids, want[i])
			}
		}
	}
}
