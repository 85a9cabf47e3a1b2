// Package index computes the Decision 766/QĐ-TTg (2022) service index of a
// unit over a period: each indicator's rate and points, the five group
// scores and the total, from counts the store reads off the roll-ups, the
// catalogue and the administrators' entries. Everything here is pure.
package index

import (
	"fmt"
	"sort"
)

// Groups of indicators, in the order of the decision.
const (
	GroupPublicity    = "1" // công khai, minh bạch
	GroupProgress     = "2" // tiến độ giải quyết
	GroupOnline       = "3" // dịch vụ công trực tuyến
	GroupDigitisation = "4" // số hoá hồ sơ
	GroupSatisfaction = "5" // mức độ hài lòng
)

// GroupNames are the groups' names, Vietnamese then English.
var GroupNames = map[string][2]string{
	GroupPublicity:    {"Công khai, minh bạch", "Publicity"},
	GroupProgress:     {"Tiến độ giải quyết", "Progress"},
	GroupOnline:       {"Dịch vụ công trực tuyến", "Online service"},
	GroupDigitisation: {"Số hoá hồ sơ", "Digitisation"},
	GroupSatisfaction: {"Mức độ hài lòng", "Satisfaction"},
}

// Sources of an indicator's counts.
const (
	Computed = "computed" // from the roll-ups and the catalogue
	Entered  = "entered"  // entered by an administrator or a leader
)

// Indicator is one line of the index.
type Indicator struct {
	ID        string  `json:"id"`
	Group     string  `json:"group"`
	Max       float64 `json:"max"`       // 0: shown, not scored
	Threshold float64 `json:"threshold"` // T as a fraction; 0: points = max × rate
	Source    string  `json:"source"`
	NameVI    string  `json:"name_vi"`
	NameEN    string  `json:"name_en"`
}

// Version is a set of weights and thresholds in force from a date.
type Version struct {
	ID         string      `json:"id"`
	ValidFrom  string      `json:"valid_from"` // YYYY-MM-DD, inclusive
	Indicators []Indicator `json:"indicators"`
}

// Decision766 is the shipped version: Decision 766/QĐ-TTg of 23 June 2022.
var Decision766 = Version{ID: "766/2022", ValidFrom: "2022-06-23", Indicators: []Indicator{
	{"1.1", GroupPublicity, 6, 0, Entered, "Thủ tục công bố đúng hạn", "procedures announced on time"},
	{"1.2", GroupPublicity, 4, 0, Entered, "Thủ tục công khai đúng hạn trên CSDL quốc gia", "procedures published on time on the national database"},
	{"1.3", GroupPublicity, 2, 0, Entered, "Thủ tục công khai đủ 7 bộ phận", "procedures published with all 7 components"},
	{"1.4", GroupPublicity, 6, 0, Computed, "Hồ sơ đồng bộ lên Cổng DVC quốc gia", "dossiers synchronised to the national portal"},
	{"2.1", GroupProgress, 20, 0, Computed, "Hồ sơ đã và đang giải quyết đúng hạn", "dossiers finished or running on time"},
	{"3.1", GroupOnline, 2, 0.8, Computed, "Thủ tục cung cấp trực tuyến", "procedures offered online"},
	{"3.2", GroupOnline, 4, 0, Computed, "Dịch vụ trực tuyến có phát sinh hồ sơ", "online services that received a dossier"},
	{"3.3", GroupOnline, 6, 0.5, Computed, "Hồ sơ trực tuyến", "dossiers received online"},
	{"3.5", GroupOnline, 2, 0.8, Entered, "Thủ tục có phí thanh toán trực tuyến được", "fee-bearing procedures payable online"},
	{"3.5b", GroupOnline, 2, 0, Entered, "Thủ tục có phí có thanh toán trực tuyến", "fee-bearing procedures paid online at least once"},
	{"3.6", GroupOnline, 6, 0, Entered, "Hồ sơ thanh toán trực tuyến", "dossiers paid online"},
	{"4.1", GroupDigitisation, 6, 0, Computed, "Hồ sơ có kết quả điện tử", "dossiers with an electronic result"},
	{"4.2", GroupDigitisation, 4, 0.8, Entered, "Hồ sơ được số hoá", "dossiers digitised"},
	{"4.3", GroupDigitisation, 2, 0.8, Computed, "Hồ sơ tái sử dụng dữ liệu số hoá", "dossiers re-using digitised data"},
	{"4.4", GroupDigitisation, 10, 0, Entered, "Kết nối kho dữ liệu công dân và CSDL dân cư", "links to the citizen's data store and the population database"},
	{"5.2", GroupSatisfaction, 6, 0, Computed, "Phản ánh, kiến nghị xử lý đúng hạn", "petitions answered on time"},
	{"5.3", GroupSatisfaction, 6, 0, Computed, "Phản ánh, kiến nghị được hài lòng", "petitions without a dislike or delay"},
	{"5.4", GroupSatisfaction, 6, 0.9, Computed, "Hồ sơ không trễ hạn, không bị phàn nàn", "dossiers neither late nor disliked"},
}}

// Versions are the weights in force, oldest first. A later decision is a
// new entry with its own date; the old one keeps scoring the past.
var Versions = []Version{Decision766}

// At returns the version in force on day (YYYY-MM-DD): the latest that
// started on or before it. A period is scored whole by the version in force
// on its last day, so that one period has one set of weights.
func At(versions []Version, day string) (Version, error) {
	vs := append([]Version(nil), versions...)
	sort.Slice(vs, func(i, j int) bool { return vs[i].ValidFrom < vs[j].ValidFrom })
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i].ValidFrom <= day {
			return vs[i], nil
		}
	}
	return Version{}, fmt.Errorf("index: no weights in force on %s", day)
}

// Find returns the indicator of v with the id.
func (v Version) Find(id string) (Indicator, bool) {
	for _, in := range v.Indicators {
		if in.ID == id {
			return in, true
		}
	}
	return Indicator{}, false
}
