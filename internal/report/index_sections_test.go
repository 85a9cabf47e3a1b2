package report_test

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/vntext"
)

// TestMonthlyReportIndexAndEvaluation: the kept monthly report holds the
// unit's service index (its groups and total) and its evaluation (total
// and grade; April has too little to grade), as a reader of the PDF sees them.
func TestMonthlyReportIndexAndEvaluation(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("SKIPPED: pdftotext (poppler-utils) is not installed; the PDF is not checked as a reader sees it")
	}
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		f.Clock.Set(at(2026, 4, 15, 9))
		if _, err := f.Svc.Submit(ctx, f.Actors["congdan"], dossier.SubmitRequest{ProcedureCode: "1.000894", Components: demo.Required("1.000894"),
			UnitCode: demo.Ward, Channel: dossier.ChannelOnline, Applicant: dossier.Applicant{Name: "Hoàng Thị Lan", IDNumber: "001190012345", Phone: "0912345678"}}); err != nil {
			t.Fatal(err)
		}
		f.Clock.Set(at(2026, 5, 4, 9))
		if _, err := monthly(f.DB, f.Clock.Now).Run(ctx); err != nil {
			t.Fatal(err)
		}
		reports, err := f.DB.Reports(ctx, demo.Ward)
		if err != nil || len(reports) != 1 {
			t.Fatalf("reports: %+v %v", reports, err)
		}
		_, pdf, err := f.DB.ReportPDF(ctx, reports[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", "-", "-")
		cmd.Stdin = bytes.NewReader(pdf)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		txt := strings.Join(strings.Fields(vntext.NFC(string(out))), " ")
		for _, want := range []string{"Chỉ số phục vụ người dân, doanh nghiệp",
			// 3.1 scores 2 of 2; 3.2 none of 4: the online dossier is submitted, not yet received
			"1. Công khai, minh bạch 0 6", "3. Dịch vụ công trực tuyến 2 6", "Tổng điểm: 16,67/100",
			"Đánh giá đơn vị", "Tổng điểm (thang 18) 0", "Xếp loại Chưa đủ dữ liệu để xếp loại"} {
			if !strings.Contains(txt, want) {
				t.Errorf("report lacks %q:\n%s", want, txt)
			}
		}
	})
}
