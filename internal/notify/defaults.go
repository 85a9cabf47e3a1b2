package notify

import "github.com/motcua/motcua/internal/vntext"

// phrase is what happened, per kind, in each language.
var phrase = map[string][2]string{
	KindReceived:   {"đã được tiếp nhận", "has been received"},
	KindSupplement: {"cần bổ sung giấy tờ", "needs more documents"},
	KindRefused:    {"không được tiếp nhận", "was not accepted"},
	KindPayment:    {"cần nộp phí, lệ phí", "awaits payment of the fees"},
	KindReady:      {"đã có kết quả, mời ông/bà đến nhận", "has its result ready to collect"},
	KindReturned:   {"đã trả kết quả", "has been returned with its result"},
	KindExtended:   {"được gia hạn; chúng tôi xin lỗi vì sự chậm trễ", "was extended; we apologise for the delay"},
	KindStopped:    {"đã dừng xử lý", "is no longer being handled"},
}

// detail is the line a kind adds to an e-mail, in each language.
var detail = map[string][2]string{
	KindReceived:   {"Hẹn trả kết quả: {{.Due}}\n", "Result due: {{.Due}}\n"},
	KindSupplement: {"Cần bổ sung: {{.Missing}}\n", "To supplement: {{.Missing}}\n"},
	KindPayment:    {"Số tiền: {{.Fee}} đồng\n", "Amount: {{.Fee}} VND\n"},
	KindExtended:   {"Hẹn trả kết quả mới: {{.Due}}\n", "New due date: {{.Due}}\n"},
}

// Default is the template shipped for a kind, language and channel. SMS
// texts are without diacritics: an SMS with them costs two to three times
// as much and some phones show them badly.
func Default(kind, lang, channel string) Template {
	i := 0
	if lang == "en" {
		i = 1
	}
	t := Template{Kind: kind, Lang: lang, Channel: channel, Default: true}
	what := phrase[kind][i]
	if channel == ChannelSMS {
		if i == 0 {
			t.Body = vntext.Unaccent("Hồ sơ {{.Code}} " + what + ". Tra cứu: {{.Link}} . Ngừng nhận tin: {{.Unsubscribe}}")
		} else {
			t.Body = "Dossier {{.Code}} " + what + ". Look-up: {{.Link}} . Stop messages: {{.Unsubscribe}}"
		}
		return t
	}
	if i == 0 {
		t.Subject = "Hồ sơ {{.Code}} " + what
		t.Body = "Hồ sơ {{.Code}} ({{.Procedure}}) " + what + ".\nTrạng thái: {{.Status}}\n" + detail[kind][0] +
			"Tra cứu hồ sơ: {{.Link}}\n\nKhông muốn nhận thư thông báo nữa: {{.Unsubscribe}}"
	} else {
		t.Subject = "Dossier {{.Code}} " + what
		t.Body = "Dossier {{.Code}} ({{.Procedure}}) " + what + ".\nStatus: {{.Status}}\n" + detail[kind][1] +
			"Look up the dossier: {{.Link}}\n\nTo stop these e-mails: {{.Unsubscribe}}"
	}
	return t
}
