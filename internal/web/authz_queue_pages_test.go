package web

// The counter's pages: the kiosk, the ticket's page, the booking and the
// board are public; the desk view and its rating tablet are the unit's
// officers' (another unit's desk is "not found"); the statistics its
// leaders' and administrators' (and those above it).
func init() {
	configurers := []string{leader, admin, leaderX, adminX}
	for p, cases := range map[string][]authzCase{
		"GET /lay-so":      {{"/lay-so?unit=00004", "", everyone}},
		"POST /lay-so":     {{"/lay-so", "unit=00004&group=A", everyone}},
		"POST /lay-so/hen": {{"/lay-so/hen", "unit=00004&code={appointment}", everyone}},
		"GET /so-thu-tu/{token}": {
			{"/so-thu-tu/{ticket_token}", "", everyone},
			{"/so-thu-tu/sai", "", nobody},
		},
		// A rating with the ticket's token: not served yet, a conflict.
		"POST /so-thu-tu/{token}/danh-gia": {
			{"/so-thu-tu/{ticket_token}/danh-gia", "rating=3", everyone},
			{"/so-thu-tu/sai/danh-gia", "rating=3", nobody},
		},
		"GET /dat-lich":    {{"/dat-lich?unit=00004&procedure=1.001193", "", everyone}},
		"POST /dat-lich":   {{"/dat-lich", "unit=00004&procedure=1.001193&slot=2026-03-02T08:00:00Z&name=Lan&phone=0912345678", everyone}},
		"GET /bang-goi-so": {{"/bang-goi-so?unit=00004", "", everyone}},
		"GET /quay/{id}":   {{"/quay/{desk}", "", unitStaff}},
		// Recalling a ticket not called is a conflict: the caller got through.
		// The desk's ticket: its officer's, or the unit's leader's or administrator's.
		"POST /quay/{id}/{action}": {{"/quay/{desk}/recall", "ticket={ticket}", []string{counter, leader, admin}}},
		"GET /quay/{id}/danh-gia":  {{"/quay/{desk}/danh-gia", "", unitStaff}},
		"POST /quay/{id}/danh-gia": {{"/quay/{desk}/danh-gia", "ticket={ticket}&rating=3", unitStaff}},
		"GET /thong-ke/quay": {
			{"/thong-ke/quay", "", configurers},
			{"/thong-ke/quay?unit=00004", "", []string{leader, admin}},
		},
	} {
		authzMatrix[p] = cases
	}
	// The desk view names the person it serves (called by the API's case
	// before) only to the unit's officers.
	authzSecrets["/quay/{desk} "] = []authzSecret{{"Trịnh Thị Xuân", unitStaff}}
}
