package doc

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/vntext"
)

var office = Office{
	Name:       "UBND PHƯỜNG BA ĐÌNH",
	ParentName: "THÀNH PHỐ HÀ NỘI",
	Address:    "Số 25 phố Đội Cấn, Phường Ba Đình, Thành phố Hà Nội",
	Phone:      "024 3823 4567",
}

// at is a local time in Viet Nam.
func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, calendar.Zone)
}

var (
	receivedAt = at(2026, 4, 28, 9, 12)
	dueAt      = at(2026, 5, 4, 15, 0)
	newDueAt   = at(2026, 5, 7, 10, 30)
)

func testProcedure() *procedure.Procedure {
	return &procedure.Procedure{
		Code: "1.001612", Name: "Đăng ký thành lập hộ kinh doanh", Field: "Hộ kinh doanh",
		Limit: procedure.TimeLimit{Kind: procedure.LimitWorkingDays, Days: 3},
		Fees:  []procedure.Fee{{Name: "Lệ phí đăng ký", Amount: 150000}},
		Components: []procedure.Component{
			{Name: "Giấy đề nghị đăng ký hộ kinh doanh", Form: procedure.FormOriginal, Quantity: 1},
			{Name: "Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh", Form: procedure.FormCertifiedCopy, Quantity: 1},
		},
		Result: "Giấy chứng nhận đăng ký hộ kinh doanh",
		Agency: "Phòng Kinh tế phường Ba Đình",
		Steps:  procedure.DefaultSteps(),
	}
}

// testDossier is a dossier that went the whole way: received at the
// counter, examined, approved, finished and returned.
func testDossier() *dossier.Dossier {
	ev := func(seq int, act, actor, name, role string, t time.Time, assignee, outcome, note string) dossier.Event {
		return dossier.Event{Seq: seq, Action: act, Actor: actor, ActorName: name, ActorRole: role, At: t.UTC(),
			Assignee: assignee, Outcome: outcome, Note: note, DueAt: dueAt.UTC()}
	}
	return &dossier.Dossier{
		Code: "000.00.22.H56-260428-0007", UnitCode: "00004", ProcedureCode: "1.001612",
		ProcedureName: "Đăng ký thành lập hộ kinh doanh", Channel: dossier.ChannelCounter, Status: dossier.StatusReturned,
		Applicant: dossier.Applicant{Name: "Nguyễn Thị Hoà", IDNumber: "001190012345", Phone: "0912 345 678",
			Email: "hoa.nguyen@example.vn", Address: "Số 7 ngõ 12 phố Nguyễn Trường Tộ, Phường Ba Đình, Thành phố Hà Nội"},
		Components: []string{"Giấy đề nghị đăng ký hộ kinh doanh",
			"Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh",
			"Bản sao hợp đồng thuê mặt bằng kinh doanh (những trang có chữ ký)"},
		SubmittedAt: receivedAt.UTC(), ReceivedAt: receivedAt.UTC(), DueAt: dueAt.UTC(),
		FinishedAt: at(2026, 5, 4, 14, 5).UTC(), ReturnedAt: at(2026, 5, 4, 16, 20).UTC(), Outcome: "on_time",
		FeeAmount: 150000,
		History: []dossier.Event{
			ev(1, dossier.ActReceive, "canbo", "Trần Văn Đức", "counter", receivedAt, "", "", ""),
			ev(2, dossier.ActForward, "canbo", "Trần Văn Đức", "counter", at(2026, 4, 28, 10, 2), "chuyenvien", "early", ""),
			ev(3, dossier.ActForward, "chuyenvien", "Lê Thị Ngọc Ánh", "specialist", at(2026, 5, 4, 9, 40), "", "late",
				"Đã xác minh địa điểm kinh doanh; hồ sơ hợp lệ"),
			ev(4, dossier.ActApprove, "lanhdao", "Phạm Quốc Vượng", "leader", at(2026, 5, 4, 11, 15), "", "on_time", ""),
			ev(5, dossier.ActFinish, "canbo", "Trần Văn Đức", "counter", at(2026, 5, 4, 14, 5), "", "on_time", ""),
			ev(6, dossier.ActReturnResult, "canbo", "Trần Văn Đức", "counter", at(2026, 5, 4, 16, 20), "", "", ""),
		},
	}
}

const (
	missingItem = "Bản sao văn bản ủy quyền của các thành viên hộ gia đình có chữ ký đầy đủ"
	refusal     = "Ngành nghề đăng ký thuộc danh mục cấm kinh doanh; địa điểm đã được đăng ký cho một hộ kinh doanh khác"
	lateReason  = "Cần xác minh thêm hiện trạng địa điểm kinh doanh tại tổ dân phố số 5, những ngày nghỉ lễ kéo dài"
	stopReason  = "Người nộp hồ sơ có văn bản đề nghị rút hồ sơ để bổ sung ngành nghề, hằng tuần sẽ được thông báo"
	officer     = "Trần Văn Đức"
)

// formCase is a form with the dossier state it is printed in and what its
// text must show.
type formCase struct {
	form int
	d    *dossier.Dossier
	want []string
}

func formCases() []formCase {
	supp := testDossier()
	supp.Status, supp.Missing, supp.PausedAt = dossier.StatusSupplement, []string{missingItem, "Bản chụp giấy tờ chứng minh quyền sử dụng địa điểm"}, at(2026, 4, 29, 8, 30).UTC()
	refused := testDossier()
	refused.Status, refused.Reason = dossier.StatusRefused, refusal
	late := testDossier()
	late.DueAt = newDueAt.UTC()
	late.History = append(late.History[:3], dossier.Event{Seq: 4, Action: dossier.ActExtend, Actor: "lanhdao",
		ActorName: "Phạm Quốc Vượng", ActorRole: "leader", At: at(2026, 5, 4, 11, 0).UTC(), Note: lateReason, DueAt: newDueAt.UTC()})
	business := testDossier()
	business.Subject = &dossier.Subject{Kind: dossier.SubjectBusiness, Name: "Hộ kinh doanh Hoà Phát", IDNumber: "0109876543-001",
		Relation: "chủ hộ"}
	stopped := testDossier()
	stopped.Status, stopped.Reason, stopped.FinishedAt = dossier.StatusStopped, stopReason, at(2026, 4, 30, 9, 0).UTC()
	return []formCase{
		{FormReceipt, testDossier(), []string{"000.00.22.H56-260428-0007", "Đăng ký thành lập hộ kinh doanh (mã thủ tục: 1.001612)",
			"Số 7 ngõ 12 phố Nguyễn Trường Tộ", "001******345", "0912 345 678", "Biên bản họp thành viên hộ gia đình",
			"Bản chính", "Bản sao chứng thực", "3 ngày làm việc", "09 giờ 12 phút, ngày 28/04/2026",
			"15 giờ 00 phút, ngày 04/05/2026", "150.000 đ", "Trực tiếp", "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ",
			"những trang có chữ ký", officer, "UBND phường Ba Đình", "9. Nơi trả kết quả: Số 25 phố Đội Cấn"}},
		{FormReceipt, business, []string{"Cấp kết quả cho: Hộ kinh doanh Hoà Phát (chủ hộ), MSDN 0109876543-001"}},
		{FormSupplement, supp, []string{missingItem, "Bản chụp giấy tờ chứng minh quyền sử dụng địa điểm",
			"08 giờ 30 phút, ngày 29/04/2026", "NGƯỜI HƯỚNG DẪN", officer, "024 3823 4567"}},
		{FormRefusal, refused, []string{refusal, "không tiếp nhận, giải quyết hồ sơ này", officer}},
		{FormApology, late, []string{"Kính gửi: Ông/Bà Nguyễn Thị Hoà", lateReason, "15 giờ 00 phút, ngày 04/05/2026",
			"10 giờ 30 phút, ngày 07/05/2026", "xin lỗi Ông/Bà", "THỦ TRƯỞNG CƠ QUAN", "Nơi nhận:"}},
		{FormStop, stopped, []string{stopReason, "09 giờ 00 phút, ngày 30/04/2026", "dừng giải quyết hồ sơ"}},
		{FormControl, testDossier(), []string{"Trước hạn", "Đúng hạn", "Quá hạn", "Lê Thị Ngọc Ánh", "Phạm Quốc Vượng",
			"10:02", "Phòng Kinh tế phường Ba Đình", "Đã xác minh địa điểm kinh doanh", "Người nộp hồ sơ"}},
	}
}

// TestFormsAtReception prints forms 02 and 03 for dossiers the counter
// did not receive: no received date, no due date; form 02 again after the
// supplement arrived, from the history.
func TestFormsAtReception(t *testing.T) {
	atCounter := func(st dossier.Status, note string) *dossier.Dossier {
		d := testDossier()
		d.Status, d.ReceivedAt, d.DueAt, d.FinishedAt, d.ReturnedAt, d.Outcome = st, time.Time{}, time.Time{}, time.Time{}, time.Time{}, ""
		d.History = []dossier.Event{{Seq: 1, Action: dossier.ActSubmit, Actor: "canbo", ActorName: officer, ActorRole: "counter",
			At: receivedAt.UTC(), ToStatus: st, Note: note}}
		return d
	}
	supp := atCounter(dossier.StatusSupplement, "Cần bổ sung: "+missingItem)
	supp.Missing, supp.PausedAt = []string{missingItem}, receivedAt.UTC()
	again := atCounter(dossier.StatusSupplement, "Cần bổ sung: "+missingItem+"; Bản chụp sổ hộ khẩu — Khách hẹn mang sau")
	again.Status = dossier.StatusReceived
	refused := atCounter(dossier.StatusRefused, refusal)
	refused.Reason = refusal
	for _, c := range []formCase{
		{FormSupplement, supp, []string{missingItem, "Thời gian nộp hồ sơ", "09 giờ 12 phút, ngày 28/04/2026", "Hồ sơ chưa được tiếp nhận"}},
		{FormSupplement, again, []string{missingItem, "Bản chụp sổ hộ khẩu", "Thời gian nộp hồ sơ"}},
		{FormRefusal, refused, []string{refusal, "không tiếp nhận, giải quyết hồ sơ này"}},
	} {
		var buf bytes.Buffer
		if err := Form(&buf, c.form, formData(c.d)); err != nil {
			t.Fatal(err)
		}
		checkPDF(t, buf.Bytes())
		txt := checkText(t, buf.Bytes(), c.want)
		if strings.Contains(txt, "Khách hẹn mang sau") || strings.Contains(txt, "tạm dừng từ") {
			t.Errorf("form %02d shows a note or a paused clock:\n%s", c.form, txt)
		}
	}
}

func formData(d *dossier.Dossier) FormData {
	return FormData{Office: office, Dossier: d, Procedure: testProcedure(), Officer: officer,
		Now: receivedAt, LookupURL: "https://dichvucong.badinh.hanoi.gov.vn/tra-cuu?ma=" + d.Code}
}

func TestForms(t *testing.T) {
	for _, c := range formCases() {
		t.Run(fmt.Sprintf("form%02d", c.form), func(t *testing.T) {
			var buf bytes.Buffer
			if err := Form(&buf, c.form, formData(c.d)); err != nil {
				t.Fatal(err)
			}
			pdf := buf.Bytes()
			checkPDF(t, pdf)
			common := []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "THÀNH PHỐ HÀ NỘI",
				"UBND PHƯỜNG BA ĐÌNH", fmt.Sprintf("Mẫu số %02d", c.form), "Ba Đình, ngày 28 tháng 04 năm 2026",
				strings.ToUpper(FormTitle[c.form]), "Nguyễn Thị Hoà", "000.00.22.H56-260428-0007"}
			if txt := checkText(t, pdf, append(common, c.want...)); strings.Contains(strings.TrimRight(txt, "\f"), "\f") {
				t.Error("the form spills onto a second page")
			}
			checkImage(t, pdf)
			if c.form == FormReceipt && os.Getenv("MOTCUA_UPDATE_SCREENSHOTS") == "1" {
				saveScreenshot(t, pdf, "receipt.png")
			}
		})
	}
}

// TestFormsConcurrent renders forms at once, as a busy counter's server
// does: the embedded fonts are shared.
func TestFormsConcurrent(t *testing.T) {
	t.Parallel()
	done := make(chan error)
	for range 8 {
		go func() {
			var buf bytes.Buffer
			done <- Form(&buf, FormControl, formData(testDossier()))
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func BenchmarkReceipt(b *testing.B) {
	in := formData(testDossier())
	for b.Loop() {
		var buf bytes.Buffer
		if err := Form(&buf, FormReceipt, in); err != nil {
			b.Fatal(err)
		}
	}
}

func TestFormErrors(t *testing.T) {
	if err := Form(&bytes.Buffer{}, 9, formData(testDossier())); err == nil {
		t.Error("form 9 rendered")
	}
	if err := Form(&bytes.Buffer{}, FormReceipt, FormData{Office: office}); err == nil {
		t.Error("a receipt without a dossier rendered")
	}
}

// TestFormWithoutProcedure prints from the dossier alone, as a page that
// could not load the procedure would.
func TestFormWithoutProcedure(t *testing.T) {
	in := formData(testDossier())
	in.Procedure, in.LookupURL = nil, ""
	var buf bytes.Buffer
	if err := Form(&buf, FormReceipt, in); err != nil {
		t.Fatal(err)
	}
	checkPDF(t, buf.Bytes())
	checkText(t, buf.Bytes(), []string{"Đăng ký thành lập hộ kinh doanh (mã thủ tục: 1.001612)", "150.000 đ"})
}

// bookDossiers makes n dossiers over November, every tenth one still open.
func bookDossiers(n int) []dossier.Dossier {
	names := []string{"Nguyễn Thị Hoà", "Trần Văn Đức", "Lê Thị Ngọc Ánh", "Phạm Quốc Vượng", "Đặng Thị Hằng Nga"}
	ds := make([]dossier.Dossier, n)
	for i := range ds {
		d := testDossier()
		d.Code = dossier.FormatCode("000.00.22.H56", at(2026, 11, 1+i%28, 0, 0), i+1)
		d.Applicant.Name = names[i%len(names)]
		d.ReceivedAt = at(2026, 11, 1+i%28, 8+i%8, i%60).UTC()
		d.DueAt = d.ReceivedAt.Add(72 * time.Hour)
		if i%10 == 9 {
			d.Status, d.Outcome, d.ReturnedAt, d.History = dossier.StatusProcessing, "", time.Time{}, nil
		}
		ds[i] = *d
	}
	return ds
}

func TestTrackingBookPDF(t *testing.T) {
	ds := bookDossiers(1200)
	var buf bytes.Buffer
	start := time.Now()
	if err := TrackingBook(&buf, office, at(2026, 11, 1, 0, 0), at(2026, 12, 1, 0, 0), ds, "pdf"); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d dossiers: %d bytes in %v", len(ds), buf.Len(), time.Since(start))
	pdf := buf.Bytes()
	checkPDF(t, pdf)
	txt := checkText(t, pdf, []string{"SỔ THEO DÕI HỒ SƠ", "Từ ngày 01/11/2026 đến ngày 30/11/2026", "Mẫu số 07",
		"Đặng Thị Hằng Nga", "Phạm Quốc Vượng", ds[1199].Code, "Đúng hạn", "Đang xử lý", "Ngày chuyển xử lý"})
	checkImage(t, pdf)
	if txt == "" {
		return
	}
	pages := strings.Split(strings.TrimRight(txt, "\f"), "\f")
	if len(pages) < 10 {
		t.Fatalf("%d pages for %d dossiers", len(pages), len(ds))
	}
	for i, pg := range pages {
		if pg = strings.Join(strings.Fields(pg), " "); !strings.Contains(pg, "Ngày hẹn trả") || !strings.Contains(pg, fmt.Sprintf("Trang %d/%d", i+1, len(pages))) {
			t.Fatalf("page %d lacks the header row or its number", i+1)
		}
	}
}

func TestTrackingBookXLSX(t *testing.T) {
	ds := bookDossiers(3000)
	var buf bytes.Buffer
	if err := TrackingBook(&buf, office, at(2026, 11, 1, 0, 0), at(2026, 12, 1, 0, 0), ds, "xlsx"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(bookSheet)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rows), bookFirstRow-1+len(ds); got != want {
		t.Fatalf("%d rows, want %d", got, want)
	}
	if rows[bookFirstRow-2][1] != "Mã hồ sơ" || rows[2][0] != "SỔ THEO DÕI HỒ SƠ" {
		t.Errorf("heading rows: %q / %q", rows[2], rows[bookFirstRow-2])
	}
	first := rows[bookFirstRow-1]
	want := []string{"1", ds[0].Code, "Đăng ký thành lập hộ kinh doanh", "Nguyễn Thị Hoà", "01/11/2026 08:00"}
	for i, w := range want {
		if first[i] != w {
			t.Errorf("first row column %d = %q, want %q", i+1, first[i], w)
		}
	}
	if last := rows[len(rows)-1]; last[len(last)-1] != "Đang xử lý" || last[1] != ds[len(ds)-1].Code {
		t.Errorf("last row %q", last)
	}
}

func TestTrackingBookFormat(t *testing.T) {
	if err := TrackingBook(&bytes.Buffer{}, office, time.Time{}, time.Time{}, nil, "docx"); err == nil {
		t.Error("docx accepted")
	}
	var buf bytes.Buffer
	if err := TrackingBook(&buf, office, time.Time{}, time.Time{}, nil, "pdf"); err != nil {
		t.Fatal(err)
	}
	checkText(t, buf.Bytes(), []string{"Không có hồ sơ trong kỳ"})
}

func TestDashboardXLSX(t *testing.T) {
	s := &stats.Summary{
		Query:  stats.Query{From: "2026-01-01", To: "2026-11-30"},
		Totals: map[string]int64{stats.Received: 1870, stats.FinishedEarly: 900, stats.FinishedOnTime: 700, stats.FinishedLate: 50},
		Online: 1530,
		ByProcedure: []stats.Row{{Key: "1.001193", Counts: map[string]int64{stats.Received: 1200, stats.FinishedOnTime: 1000}},
			{Key: "1.001612", Counts: map[string]int64{stats.Received: 670, stats.FinishedLate: 50}}},
		ByMonth: []stats.Row{{Key: "2026-10", Counts: map[string]int64{stats.Received: 900}},
			{Key: "2026-11", Counts: map[string]int64{stats.Received: 970}}},
	}
	s.Finish()
	var buf bytes.Buffer
	if err := DashboardXLSX(&buf, office, "Phường Ba Đình", s); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cells := map[[2]string]string{
		{sheetTotals, "A5"}:    "Đơn vị: Phường Ba Đình",
		{sheetTotals, "A6"}:    "Từ ngày 01/01/2026 đến ngày 30/11/2026",
		{sheetTotals, "A10"}:   "Hồ sơ tiếp nhận",
		{sheetTotals, "B10"}:   "1870",
		{sheetTotals, "A24"}:   "Kết quả điện tử",
		{sheetTotals, "B28"}:   "81.8%", // one row per metric first
		{sheetProcedure, "A3"}: "1.001612",
		{sheetProcedure, "C1"}: "Hồ sơ tiếp nhận",
		{sheetProcedure, "C3"}: "670",
		{sheetMonth, "A3"}:     "11/2026",
		{sheetMonth, "C3"}:     "970",
	}
	for k, want := range cells {
		got, err := f.GetCellValue(k[0], k[1])
		if err != nil || got != want {
			t.Errorf("%s!%s = %q (%v), want %q", k[0], k[1], got, err, want)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, c := range [][2]string{
		{money(150000), "150.000 đ"},
		{money(1234567), "1.234.567 đ"},
		{money(0), "0 đ"},
		{money(-20000), "-20.000 đ"},
		{longTime(dueAt), "15 giờ 00 phút, ngày 04/05/2026"},
		{dateTime(dueAt), "15:00 04/05/2026"},
		{placeName(office), "Ba Đình"},
		{placeName(Office{Name: "UBND XÃ ĐÔNG NGẠC"}), "Đông Ngạc"},
		{placeName(Office{Name: "Trung tâm Phục vụ hành chính công"}), ""},
		{proseName("UBND PHƯỜNG BA ĐÌNH"), "UBND phường Ba Đình"},
		{proseName("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ THƯỢNG CÁT"), "Trung tâm phục vụ hành chính công xã Thượng Cát"},
		{proseName("UBND Phường Tây Tựu"), "UBND Phường Tây Tựu"},
		{placeDate("", dueAt), "Ngày 04 tháng 05 năm 2026"},
		{period(at(2026, 11, 1, 0, 0), at(2026, 12, 1, 0, 0)), "Từ ngày 01/11/2026 đến ngày 30/11/2026"},
		{limitText(procedure.TimeLimit{Kind: procedure.LimitWorkingDays, Days: 0.5}), "0,5 ngày làm việc"},
	} {
		if c[0] != c[1] {
			t.Errorf("got %q, want %q", c[0], c[1])
		}
	}
}

// checkPDF checks the bytes look like a whole PDF.
func checkPDF(t *testing.T, pdf []byte) {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf[max(0, len(pdf)-64):], []byte("%%EOF")) {
		t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 16)])
	}
	if len(pdf) < 8000 {
		t.Fatalf("PDF of only %d bytes", len(pdf))
	}
}

// havePoppler skips the calling test when the PDF tools are missing: they
// are the only way to see what a reader would see.
func havePoppler(t *testing.T, tool string) bool {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Logf("SKIPPED: %s is not installed (package poppler-utils); the PDF is not checked as a reader sees it", tool)
		return false
	}
	return true
}

// checkText extracts the PDF's text and checks every string appears with
// its diacritics; white space is collapsed, as lines may wrap anywhere.
func checkText(t *testing.T, pdf []byte, want []string) string {
	t.Helper()
	if !havePoppler(t, "pdftotext") {
		return ""
	}
	cmd := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	txt := vntext.NFC(string(out))
	flat := strings.Join(strings.Fields(txt), " ")
	for _, w := range want {
		if !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("text lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("extracted text:\n%s", txt)
	}
	return txt
}

// render draws page 1 of the PDF as a PNG at dpi. Files, not pipes: some
// poppler versions write "-" as a file name instead of to stdout.
func render(t *testing.T, pdf []byte, dpi int) []byte {
	t.Helper()
	dir := t.TempDir()
	in, root := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "page")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("pdftoppm", "-png", "-r", fmt.Sprint(dpi), "-f", "1", "-l", "1", "-singlefile", in, root)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	img, err := os.ReadFile(root + ".png")
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// checkImage renders page 1 and checks that ink was laid: a page whose font
// failed to load comes out blank or nearly so.
func checkImage(t *testing.T, pdf []byte) {
	t.Helper()
	if !havePoppler(t, "pdftoppm") {
		return
	}
	img, err := png.Decode(bytes.NewReader(render(t, pdf, 60)))
	if err != nil {
		t.Fatal(err)
	}
	dark, total := darkPixels(img)
	if dark*1000 < total*5 {
		t.Fatalf("page 1 is nearly blank: %d dark pixels of %d", dark, total)
	}
}

func darkPixels(img image.Image) (dark, total int) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if (r+g+bl)/3 < 0x8000 {
				dark++
			}
			total++
		}
	}
	return dark, total
}

// saveScreenshot keeps a picture of page 1 for the documentation.
func saveScreenshot(t *testing.T, pdf []byte, name string) {
	t.Helper()
	if !havePoppler(t, "pdftoppm") {
		t.Fatal("pdftoppm is needed to update the screenshots")
	}
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), render(t, pdf, 110), 0o644); err != nil {
		t.Fatal(err)
	}
}
