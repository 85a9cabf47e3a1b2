package civil

// Query is a search of a unit's records. Q holds name words (any order,
// each a prefix of a word of the folded name), or an ID number, or
// "book/entry"; the other fields narrow it.
type Query struct {
	Unit               string // scope: the caller's unit (required)
	Q                  string // name words, an ID number, or "book/entry"
	Parent             string // a parent's name words
	BirthDate          string // YYYY-MM-DD exact
	BirthYear          int
	BirthFrom, BirthTo string
	IDNumber           string
	Kind               string
	BookID             int64
	Entry              string
	Limit, Offset      int
}

// Hit is a record found by a search, with its rank and which person (by
// role) matched.
type Hit struct {
	Record  Record  `json:"record"`
	Score   float64 `json:"score"`
	Matched string  `json:"matched"`
}
