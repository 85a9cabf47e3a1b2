package bench

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/vntext"
)

// provinceCodes are the real province codes of birth registration, in
// order, so that a seeded dataset is the same every time.
var provinceCodes = slices.Sorted(maps.Keys(vntext.Provinces))

// weighted picks an index with probability proportional to its weight.
type weighted struct {
	cum []float64
}

func newWeighted(ws []float64) weighted {
	cum := make([]float64, len(ws))
	total := 0.0
	for i, w := range ws {
		total += w
		cum[i] = total
	}
	return weighted{cum: cum}
}

func (w weighted) pick(r *rand.Rand) int {
	x := r.Float64() * w.cum[len(w.cum)-1]
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if w.cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// Family names with their approximate shares among Vietnamese people, so
// that searches by name hit the skew a real register has (Nguyễn is about
// four in ten).
var (
	familyNames   = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Đào", "Mai"}
	familyWeights = newWeighted([]float64{38, 11, 9.5, 7, 4, 1, 4.5, 3, 1, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5, 0.8, 0.7, 0.6, 0.5})
	middleMen     = []string{"Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Tuấn", "Công", "Xuân", "Ngọc", "Quốc", "Bá"}
	middleWomen   = []string{"Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương", "Thùy", "Kim", "Mai", "Bích", "Diệu"}
	givenMen      = []string{"An", "Anh", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khánh", "Khoa", "Long", "Mạnh", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Thành", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh"}
	givenWomen    = []string{"An", "Anh", "Châu", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Huyền", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Tâm", "Thảo", "Thủy", "Trang", "Vân", "Yến"}
	mobilePrefix  = []string{"032", "033", "034", "035", "036", "037", "038", "039", "056", "058", "070", "076", "077", "078", "079", "081", "082", "083", "084", "085", "086", "088", "089", "090", "091", "093", "094", "096", "097", "098"}
)

// applicant makes a person: a name, a 12-digit personal ID number whose
// place code is the province's most of the time, and a mobile number.
func applicant(r *rand.Rand, placeCode string, year int) dossier.Applicant {
	female := r.IntN(2) == 1
	middle, given := middleMen, givenMen
	if female {
		middle, given = middleWomen, givenWomen
	}
	name := familyNames[familyWeights.pick(r)] + " " + middle[r.IntN(len(middle))] + " " + given[r.IntN(len(given))]
	if r.IntN(10) == 0 { // some people carry two middle names
		name = familyNames[familyWeights.pick(r)] + " " + middle[r.IntN(len(middle))] + " " + middle[r.IntN(len(middle))] + " " + given[r.IntN(len(given))]
	}
	born := year - 18 - r.IntN(62)
	place := placeCode
	if r.IntN(10) < 3 {
		place = provinceCodes[r.IntN(len(provinceCodes))]
	}
	sex := (born/100 - 19) * 2 // the century, and odd for women
	if female {
		sex++
	}
	id := fmt.Sprintf("%s%d%02d%06d", place, sex, born%100, r.IntN(1_000_000))
	phone := fmt.Sprintf("%s%07d", mobilePrefix[r.IntN(len(mobilePrefix))], r.IntN(10_000_000))
	return dossier.Applicant{Name: name, IDNumber: id, Phone: phone}
}

// procedureShare is how often each demo procedure is asked for at a commune,
// from the shape of published one-stop statistics: certifying copies
// dominates, then civil status; anything unknown gets a small share.
var procedureShare = map[string]float64{
	"2.000815": 24, // chứng thực bản sao
	"2.000884": 9,  // chứng thực chữ ký
	"1.001193": 10, // khai sinh
	"1.004873": 9,  // xác nhận tình trạng hôn nhân
	"2.000635": 7,  // bản sao trích lục hộ tịch
	"1.004194": 7,  // tạm trú
	"1.004222": 5,  // thường trú
	"1.000894": 3,  // kết hôn
	"1.000656": 3,  // khai tử
	"2.001035": 4,  // chứng thực hợp đồng
	"1.001612": 3,  // hộ kinh doanh
	"2.000986": 4,  // liên thông khai sinh, thường trú, BHYT
	"1.004859": 2,
	"1.004884": 1,
	"1.000689": 1,
	"1.001022": 0.5,
	"1.004837": 0.3,
}

var (
	refuseReasons = []string{"Hồ sơ không thuộc thẩm quyền giải quyết của UBND cấp xã", "Người yêu cầu không xuất trình được bản chính để đối chiếu",
		"Giấy tờ nộp không đúng mẫu quy định"}
	missingItems = []string{"Bản sao giấy tờ tùy thân còn hiệu lực", "Văn bản ủy quyền có chứng thực", "Giấy tờ chứng minh nơi cư trú",
		"Tờ khai ghi đầy đủ thông tin theo mẫu"}
	withdrawReasons = []string{"Người nộp xin rút hồ sơ để bổ sung sau", "Người nộp không còn nhu cầu giải quyết"}
	ratingComments  = []string{"", "", "", "Cán bộ hướng dẫn tận tình", "Giải quyết nhanh, đúng hẹn", "Phải đi lại nhiều lần"}
)
