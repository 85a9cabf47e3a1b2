package web

// The citizen's profile and wallet: each applicant reads their own
// dossiers and papers only; officers have no wallet and are refused (403),
// anonymous visitors sent to sign in. The owner's papers (the file of
// {own}, the result returned with {done}) and dossiers never show to the
// other applicant.
func init() {
	for p, cases := range map[string][]authzCase{
		"GET /api/v1/me/dossiers":  {{"/api/v1/me/dossiers", "", applicants}},
		"GET /api/v1/me/documents": {{"/api/v1/me/documents", "", applicants}},
		"GET /ca-nhan":             {{"/ca-nhan", "", applicants}},
	} {
		authzMatrix[p] = cases
	}
	authzSecrets["/api/v1/me/dossiers "] = []authzSecret{{"{own}", []string{owner}}, {"{done}", []string{owner}}, {"{other}", nobody}}
	// The owner's papers: the file of {own}, and the result returned with
	// {done} (kind result, by its id {result}).
	authzSecrets["/api/v1/me/documents "] = []authzSecret{{"to-khai.pdf", []string{owner}}, {"/ho-so/{own}/tep/{file}", []string{owner}},
		{`"id":{result},"kind":"result"`, []string{owner}}, {"/ho-so/{done}/ket-qua", []string{owner}}}
	authzSecrets["/ca-nhan "] = []authzSecret{{"{own}", []string{owner}}, {"to-khai.pdf", []string{owner}}, {"/ho-so/{done}/ket-qua", []string{owner}}, {ownPhone, nobody}}
}
