package doc

import (
	"bytes"
	"strings"
	"testing"
)

// TestReceiptMasksIDNumber: the forms handed to the citizen (01 receipt,
// 02 supplement request, 03 refusal) show the ID number's first and last 3
// digits only.
func TestReceiptMasksIDNumber(t *testing.T) {
	for _, form := range []int{FormReceipt, FormSupplement, FormRefusal} {
		d := testDossier()
		d.Missing, d.Reason = []string{"Giấy chứng sinh"}, "Không thuộc thẩm quyền"
		var buf bytes.Buffer
		if err := Form(&buf, form, formData(d)); err != nil {
			t.Fatal(err)
		}
		txt := checkText(t, buf.Bytes(), []string{"Số định danh cá nhân: 001******345"})
		if strings.Contains(txt, "001190012345") || strings.Contains(txt, "190012") {
			t.Errorf("form %d prints the whole ID number:\n%s", form, txt)
		}
	}
}
