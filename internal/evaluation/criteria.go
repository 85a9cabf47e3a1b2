// Package evaluation scores units and officers, month by month or quarter by
// quarter, on the nine criteria of the periodic evaluation (2 points each, 18
// in all) and grades the total. Five criteria are measured from the dossiers,
// one from citizens' ratings; the others are entered by the unit's leader
// with a reason, and an entry may also correct a measured criterion.
package evaluation

// Criteria ids, in the order of the evaluation form.
const (
	TotalTime  = "total_time"  // total time against the legal limit
	AgencyTime = "agency_time" // time spent at each agency (step)
	Contacts   = "contacts"    // contacts the applicant needed
	Agencies   = "agencies"    // agencies the applicant had to go to
	OneStop    = "one_stop"    // handled at the one-stop counter
	Publicity  = "publicity"   // publicity of procedures
	Attitude   = "attitude"    // officers' attitude
	Feedback   = "feedback"    // handling of feedback
	Online     = "online"      // progress and quality of online services
)

// MaxPoints is what each criterion is worth.
const MaxPoints = 2.0

// Criterion describes one criterion: its names, how its rate is measured,
// and the rate that earns full points.
type Criterion struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`    // Vietnamese
	NameEN   string  `json:"name_en"` // English
	Measured bool    `json:"measured"`
	Target   float64 `json:"target,omitempty"` // rate earning MaxPoints; less earns its share
	HowVI    string  `json:"how"`
	HowEN    string  `json:"how_en"`
}

// Criteria lists the nine criteria in order.
var Criteria = []Criterion{
	{TotalTime, "Thời gian giải quyết so với quy định", "Total time against the legal limit", true, 1,
		"Hồ sơ hoàn thành đúng hạn ÷ hồ sơ hoàn thành", "dossiers finished on time ÷ dossiers finished"},
	{AgencyTime, "Thời gian giải quyết tại từng cơ quan, bước", "Time at each agency and step", true, 1,
		"Bước xử lý đúng hạn ÷ bước xử lý đã chuyển", "steps finished on time ÷ steps finished"},
	{Contacts, "Số lần phải liên hệ để hoàn thiện hồ sơ", "Contacts needed to complete a dossier", true, 1,
		"(Hồ sơ − yêu cầu bổ sung) ÷ hồ sơ", "(dossiers − supplement requests) ÷ dossiers"},
	{Agencies, "Số cơ quan phải liên hệ", "Agencies the applicant had to contact", false, 0,
		"Lãnh đạo đánh giá", "entered by the leader"},
	{OneStop, "Giải quyết tại Bộ phận Một cửa", "Handled at the one-stop counter", true, 1,
		"Kết quả trả qua Bộ phận Một cửa ÷ hồ sơ hoàn thành", "results handed back at the counter ÷ dossiers finished"},
	{Publicity, "Công khai thủ tục hành chính", "Publicity of procedures", false, 0,
		"Lãnh đạo đánh giá", "entered by the leader"},
	{Attitude, "Thái độ của cán bộ", "Officers' attitude", true, 1,
		"Đánh giá hài lòng ÷ lượt đánh giá", "satisfied ratings ÷ ratings"},
	{Feedback, "Tiếp nhận, xử lý phản ánh, kiến nghị", "Handling of feedback", false, 0,
		"Lãnh đạo đánh giá", "entered by the leader"},
	{Online, "Tiến độ, chất lượng dịch vụ công trực tuyến", "Progress and quality of online services", true, 0.5,
		"Hồ sơ trực tuyến ÷ hồ sơ (đạt 50% được đủ điểm)", "online dossiers ÷ dossiers (50% earns full points)"},
}

// ByID returns the criterion with id, and whether there is one.
func ByID(id string) (Criterion, bool) {
	for _, c := range Criteria {
		if c.ID == id {
			return c, true
		}
	}
	return Criterion{}, false
}

// Grade is one band of totals: a total of at least Min earns it.
type Grade struct {
	Min    float64 `json:"min"`
	Name   string  `json:"name"`
	NameEN string  `json:"name_en"`
}

// Grades are the bands, highest first: configuration, not code.
type Grades []Grade

// DefaultGrades are the bands in use: ≥15 Xuất sắc, 12–<15 Tốt, 9–<12 Khá,
// 6–<9 Trung bình, <6 Yếu.
var DefaultGrades = Grades{
	{15, "Xuất sắc", "Excellent"},
	{12, "Tốt", "Good"},
	{9, "Khá", "Fair"},
	{6, "Trung bình", "Average"},
	{0, "Yếu", "Weak"},
}

// Of returns the band a total falls in.
func (g Grades) Of(total float64) Grade {
	for _, b := range g {
		if total >= b.Min {
			return b
		}
	}
	return g[len(g)-1]
}
