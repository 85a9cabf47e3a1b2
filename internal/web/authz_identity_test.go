package web

// The officer's personal ID number, which the identity provider's sign-in
// finds the account by: set by the unit's administrator only, on the
// officers of that unit.
func init() {
	const p = "POST /quan-tri/nguoi-dung/{username}/{change}"
	authzMatrix[p] = append(authzMatrix[p], authzCase{"/quan-tri/nguoi-dung/canbo/so-dinh-danh", "id_number=abc", []string{admin}})
}
