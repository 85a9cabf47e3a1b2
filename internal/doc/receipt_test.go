package doc

import (
	"bytes"
	"strings"
	"testing"
)

// TestReceiptMasksIDNumber: the printed receipt (form 01) shows the ID
// number's first and last 3 digits only.
func TestReceiptMasksIDNumber(t *testing.T) {
	var buf bytes.Buffer
	if err := Form(&buf, FormReceipt, formData(testDossier())); err != nil {
		t.Fatal(err)
	}
	txt := checkText(t, buf.Bytes(), []string{"Số định danh cá nhân: 001******345"})
	if strings.Contains(txt, "001190012345") || strings.Contains(txt, "190012") {
		t.Errorf("the receipt prints the whole ID number:\n%s", txt)
	}
}
