package dossier

// SetWorkPage makes "my work" read the store n rows at a time, until the
// returned function puts the page size back.
func SetWorkPage(n int) func() {
	old := workPage
	workPage = n
	return func() { workPage = old }
}
