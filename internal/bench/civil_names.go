package bench

import (
	"math/rand/v2"
	"strings"
)

// Names for the civil-status benchmark. A register's searches meet the
// skew of real names: four people in ten are Nguyễn, most women carry
// "Thị", a few hundred given names cover nearly everyone. The shares below
// follow published surveys of Vietnamese family names (Nguyễn ~38%, Trần
// ~11%, Lê ~9.5%, Phạm ~7%, Hoàng/Huỳnh ~5%...) and a long tail of rarer
// ones; the given names are the common ones, weighted roughly by how often
// they occur, so that searches hit long posting lists as well as short ones.
var (
	civilFamily = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
		"Dương", "Lý", "Đinh", "Trịnh", "Đào", "Mai", "Trương", "Lâm", "Phùng", "Tạ", "Cao", "Hà", "Lưu", "Kiều", "Tô", "Lương",
		"Chu", "Vương", "Quách", "Thái", "Tăng", "Văn", "Nông", "Lò", "Hứa", "Khúc", "Triệu", "Mạc", "Âu", "Lã", "Diệp", "Doãn",
		"Giáp", "Khổng", "Thân", "Ông", "Đoàn", "Châu", "Tôn", "Nghiêm", "Từ", "La", "Bạch", "Cù", "Mẫn", "Vi"}
	civilFamilyW = newWeighted([]float64{38, 11, 9.5, 7, 3.5, 1.5, 4.5, 2, 1.9, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5, 0.8, 0.7, 0.6, 0.5, 0.4,
		0.4, 0.3, 0.3, 0.3, 0.3, 0.3, 0.2, 0.2, 0.3, 0.2, 0.2, 0.2, 0.2, 0.1, 0.1, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05,
		0.05, 0.05, 0.1, 0.05, 0.4, 0.2, 0.1, 0.05, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05})

	civilMiddleMen    = []string{"Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Ngọc", "Quốc", "Xuân", "Hoàng", "Công", "Đình", "Trung", "Tuấn", "Bá", "Mạnh", "Duy", "Anh", "Gia", "Tiến"}
	civilMiddleMenW   = newWeighted([]float64{30, 6, 7, 8, 5, 5, 4, 4, 3, 3, 4, 4, 2, 2, 2, 1.5, 2, 2, 2, 1.5})
	civilMiddleWomen  = []string{"Thị", "Ngọc", "Thanh", "Minh", "Thu", "Kim", "Hồng", "Phương", "Thùy", "Bích", "Mai", "Diệu", "Xuân", "Hoài", "Quỳnh", "Khánh", "Bảo", "Mỹ", "Hải", "Tuyết"}
	civilMiddleWomenW = newWeighted([]float64{45, 6, 5, 4, 4, 3, 3, 3, 3, 2, 2, 1.5, 2, 1.5, 1.5, 1.5, 1.5, 1.5, 1, 1})

	// Given names: the first part is men's, the second women's; each
	// name's weight is its rank's (a Zipf-like share).
	civilGivenMen = strings.Fields(`Anh Hùng Dũng Tuấn Minh Nam Hải Long Sơn Thắng Quân Đức Huy Cường Thành Trung Tùng Hiếu Khánh Phong
		Hoàng Việt Bình Hưng Phúc Tài Toàn Vinh Lâm Khoa Đạt Nghĩa Mạnh Quang Tiến Hòa Hiệp Lợi Tâm Thịnh Trí Tú Vũ Duy Hậu Kiên
		Lực Lộc Phát Quý Sang Tân Thái Thiện Thông Tín Trọng Tường Uy Vương Bảo Chiến Chung Công Danh Điền Định Đông Giang Hà Hào
		Hiển Học Kha Khải Khôi Kỳ Linh Luân Nhân Ninh Phương Quyết Sáng Tâm Thanh Thạch Thuận Trường Vĩnh Xuân Yên An Ân Bắc Bằng`)
	civilGivenWomen = strings.Fields(`Hương Lan Linh Trang Hoa Hà Thảo Ngọc Mai Phương Anh Hằng Huyền Nga Nhung Thủy Hạnh Dung Yến Vân
		Loan Hiền Thu Quỳnh Hồng Oanh Liên Tâm Trâm Chi Giang Hậu Lệ Ly My Ngân Nhi Như Phượng Quyên Sương Thơ Thúy Tiên Trinh Tuyết
		Uyên Vy Xuân Ánh Bích Cúc Diệp Diệu Đào Gấm Hải Hòa Khánh Kim Lài Lụa Mơ Mận Nguyệt Nhàn Nhạn Nương Phấn Sen Tâm Thắm Thoa
		Thư Thương Tình Trúc Tú Tươi Vui Yên Hạ Hân Kiều Lam Lành Liễu Minh Na Nga Nhiên Thanh Thùy Châu Duyên`)
	civilGivenMenW   = zipf(len(civilGivenMen))
	civilGivenWomenW = zipf(len(civilGivenWomen))
)

// zipf weighs n names by rank: the k-th is 1/(k+5) of the whole, flatter
// at the head than a pure Zipf so that the commonest name is not half.
func zipf(n int) weighted {
	ws := make([]float64, n)
	for k := range ws {
		ws[k] = 1 / float64(k+5)
	}
	return newWeighted(ws)
}

// civilName makes a full name: family, middle (by sex, sometimes two) and
// given name.
func civilName(r *rand.Rand, female bool, family string) string {
	middle, middleW, given, givenW := civilMiddleMen, civilMiddleMenW, civilGivenMen, civilGivenMenW
	if female {
		middle, middleW, given, givenW = civilMiddleWomen, civilMiddleWomenW, civilGivenWomen, civilGivenWomenW
	}
	if family == "" {
		family = civilFamily[civilFamilyW.pick(r)]
	}
	name := family + " " + middle[middleW.pick(r)]
	if r.IntN(8) == 0 {
		name += " " + middle[middleW.pick(r)]
	}
	return name + " " + given[givenW.pick(r)]
}
