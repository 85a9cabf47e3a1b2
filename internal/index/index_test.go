package index

import (
	"testing"

	"github.com/motcua/motcua/internal/stats"
)

func TestDecision766WeighsOneHundred(t *testing.T) {
	sum := 0.0
	for _, in := range Decision766.Indicators {
		sum += in.Max
	}
	if sum != 100 {
		t.Fatalf("weights add up to %v, want 100", sum)
	}
	r := Compute(Decision766, nil)
	want := map[string]float64{"1": 18, "2": 20, "3": 22, "4": 22, "5": 18}
	for _, g := range r.Groups {
		if g.Max != want[g.ID] {
			t.Errorf("group %s max %v, want %v", g.ID, g.Max, want[g.ID])
		}
	}
}

// fixture is a commune's month, computed by hand below.
func fixture() Facts {
	return Facts{
		Totals: map[string]int64{stats.Submitted: 40, stats.Received: 40, stats.FinishedEarly: 10, stats.FinishedOnTime: 20,
			stats.FinishedLate: 5, stats.FinishedResupplied: 3, stats.ResultElectronic: 14, stats.RatedBad: 2, stats.ReceivedReused: 15},
		Online: 25, PortalSynced: 30, Procedures: 10, ProceduresOnline: 7, OnlineUsed: 5,
		Entries: map[string]Count{"1.1": {Numerator: 5, Denominator: 6}},
		Reuse:   Count{Numerator: 15, Denominator: 25},
	}
}

func TestIndicatorsMatchHandComputedFixture(t *testing.T) {
	r := Compute(Decision766, fixture().Counts())
	want := map[string]struct {
		num, den int64
		points   float64
	}{
		"1.1": {5, 6, 5},       // 6 × 5/6
		"1.4": {30, 40, 4.5},   // 6 × 0.75
		"2.1": {27, 35, 15.43}, // (10 + 20 − 3 asked twice) ÷ 35 finished × 20
		"3.1": {7, 10, 1.75},   // 2 × min(1, 0.7 ÷ 0.8)
		"3.2": {5, 7, 2.86},    // 4 × 5/7 of the online procedures received a dossier online
		"3.3": {25, 40, 6},     // 0.625 is above T = 50%: full
		"4.1": {14, 35, 2.4},   // 6 × 0.4
		"4.3": {15, 25, 1.5},   // 2 × min(1, 0.6 ÷ 0.8): received online re-using papers of earlier dossiers
		"5.4": {25, 35, 4.76},  // (35 − 8 late − 2 disliked) ÷ 35 = 0.714; 6 × 0.714 ÷ 0.9
	}
	for _, s := range r.Indicators {
		w, ok := want[s.ID]
		if !ok {
			if !s.NoData || s.Points != 0 || s.Lost != 0 {
				t.Errorf("%s: want no data, got %+v", s.ID, s)
			}
			continue
		}
		if s.NoData || s.Numerator != w.num || s.Denominator != w.den || s.Points != w.points {
			t.Errorf("%s: got %d/%d %.2f points, want %d/%d %.2f", s.ID, s.Numerator, s.Denominator, s.Points, w.num, w.den, w.points)
		}
		if s.Lost != round2(s.Max-w.points) {
			t.Errorf("%s: lost %v", s.ID, s.Lost)
		}
	}
	groups := map[string][2]float64{"1": {9.5, 12}, "2": {15.43, 20}, "3": {10.61, 12}, "4": {3.9, 8}, "5": {4.76, 6}}
	for _, g := range r.Groups {
		if g.Points != groups[g.ID][0] || g.MaxWithData != groups[g.ID][1] {
			t.Errorf("group %s: %v of %v, want %v", g.ID, g.Points, g.MaxWithData, groups[g.ID])
		}
	}
	// 44.20 points of the 58 the indicators with data weigh: 76.21 of 100.
	if r.Points != 44.20 || r.MaxWithData != 58 || r.Total != 76.21 || r.Version != "766/2022" {
		t.Fatalf("total: %v of %v = %v (%s)", r.Points, r.MaxWithData, r.Total, r.Version)
	}
}

func TestThresholdCapsAndLinearScores(t *testing.T) {
	in := Indicator{Max: 6, Threshold: 0.5}
	for _, c := range []struct {
		num, den int64
		want     float64
	}{{1, 4, 3}, {2, 4, 6}, {4, 4, 6}, {0, 4, 0}, {9, 4, 6}} {
		if _, p, _ := Points(in, Count{Numerator: c.num, Denominator: c.den}); p != c.want {
			t.Errorf("T=50%% %d/%d: %v, want %v", c.num, c.den, p, c.want)
		}
	}
	if _, p, _ := Points(Indicator{Max: 20}, Count{Numerator: 3, Denominator: 4}); p != 15 {
		t.Errorf("linear 3/4 of 20: %v", p)
	}
}

func TestNoDataIsLeftOutNotZeroNorFull(t *testing.T) {
	f := Facts{Totals: map[string]int64{stats.Received: 10}, Online: 10} // nothing finished yet
	r := Compute(Decision766, f.Counts())
	for _, s := range r.Indicators {
		if s.ID == "3.3" {
			if s.NoData || s.Points != 6 {
				t.Errorf("3.3: %+v", s)
			}
		} else if !s.NoData {
			t.Errorf("%s has data: %+v", s.ID, s)
		}
	}
	if r.Points != 6 || r.MaxWithData != 6 || r.Total != 100 {
		t.Fatalf("got %v of %v = %v", r.Points, r.MaxWithData, r.Total)
	}
	if e := Compute(Decision766, nil); e.Total != 0 || e.MaxWithData != 0 {
		t.Fatalf("empty: %+v", e)
	}
}

func TestEnteredCountReplacesComputed(t *testing.T) {
	f := fixture()
	f.Entries["3.3"] = Count{Numerator: 1, Denominator: 10, Note: "tính lại"}
	if c := f.Counts()["3.3"]; c.Numerator != 1 || c.Denominator != 10 {
		t.Fatalf("3.3: %+v", c)
	}
}

func TestPeriodSpanningAVersionChangeIsScoredByTheLaterOne(t *testing.T) {
	stricter := Version{ID: "test/2025", ValidFrom: "2025-01-01", Indicators: append([]Indicator(nil), Decision766.Indicators...)}
	for i := range stricter.Indicators {
		if stricter.Indicators[i].ID == "2.1" {
			stricter.Indicators[i].Threshold = 0.9
		}
	}
	versions := []Version{stricter, Decision766} // out of order on purpose
	before, err := At(versions, "2024-12-31")
	if err != nil || before.ID != "766/2022" {
		t.Fatalf("before: %v %v", before.ID, err)
	}
	v, err := At(versions, "2025-01-15") // the end of 2024-12-15..2025-01-15
	if err != nil || v.ID != "test/2025" {
		t.Fatalf("spanning: %v %v", v.ID, err)
	}
	// 2.1 at 27/35 = 0.771: 20 × 0.771 = 15.43 before, 20 × 0.771 ÷ 0.9 = 17.14 after.
	pts := func(v Version) float64 {
		for _, s := range Compute(v, fixture().Counts()).Indicators {
			if s.ID == "2.1" {
				return s.Points
			}
		}
		return -1
	}
	if pts(before) != 15.43 || pts(v) != 17.14 {
		t.Fatalf("2.1: %v before, %v after", pts(before), pts(v))
	}
	if _, err := At(versions, "2020-01-01"); err == nil {
		t.Fatal("a day before every version must fail")
	}
}

// TestReuseEntryCombinesWithTheOtherMonths: 4.3 is computed from the
// dossiers received online that re-used papers; an entry for some months
// is added to what the roll-ups count for the others (the facts then hold
// only those), and the score says entered. An entry for an indicator not
// combined by month (3.2) replaces the computed count, also marked entered.
func TestReuseEntryCombinesWithTheOtherMonths(t *testing.T) {
	f := Facts{Totals: map[string]int64{stats.Received: 30}, Online: 20, Reuse: Count{Numerator: 8, Denominator: 20}, ProceduresOnline: 10, OnlineUsed: 4}
	c := f.Counts()
	if c["4.3"] != (Count{Numerator: 8, Denominator: 20}) || c["3.2"] != (Count{Numerator: 4, Denominator: 10}) {
		t.Fatalf("computed: 4.3 %+v, 3.2 %+v", c["4.3"], c["3.2"])
	}
	r := Compute(Decision766, c)
	if s := find(t, r, "4.3"); s.Source != Computed || s.Numerator != 8 {
		t.Fatalf("computed 4.3: %+v", s)
	}
	f.Entries = map[string]Count{"4.3": {Numerator: 18, Denominator: 20, Note: "Kết nối kho dữ liệu tỉnh"}, "3.2": {Numerator: 9, Denominator: 10}}
	c = f.Counts()
	if got := c["4.3"]; got.Numerator != 26 || got.Denominator != 40 || got.Note == "" || !got.Entered {
		t.Fatalf("entered 4.3 for some months: %+v", got)
	}
	if got := c["3.2"]; got.Numerator != 9 || got.Denominator != 10 || !got.Entered {
		t.Fatalf("entered 3.2: %+v", got)
	}
	r = Compute(Decision766, c)
	for _, id := range []string{"4.3", "3.2"} {
		if s := find(t, r, id); s.Source != Entered {
			t.Fatalf("%s source %q", id, s.Source)
		}
	}
	if s := find(t, r, "2.1"); s.Source != Computed {
		t.Fatalf("2.1 source %q", s.Source)
	}
	if in, _ := Decision766.Find("4.3"); in.Source != Computed {
		t.Fatalf("4.3 source %q", in.Source)
	}
}

func find(t *testing.T, r Result, id string) Score {
	t.Helper()
	for _, s := range r.Indicators {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no %s", id)
	return Score{}
}
