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

// HasCriteria tells whether the query names someone or an entry: name
// words, a parent, a birth date, year or range, an ID number, or a book
// with an entry number. The kind or a book alone would list the register.
func (q Query) HasCriteria() bool {
	return q.Q != "" || q.Parent != "" || q.BirthDate != "" || q.BirthYear != 0 || q.BirthFrom != "" || q.BirthTo != "" ||
		q.IDNumber != "" || (q.BookID != 0 && q.Entry != "")
}

// HitSummary is what a search answers of a record: enough to tell which
// registration it is and open it with a reason, not its people's details.
type HitSummary struct {
	RecordID         int64   `json:"record_id"`
	Kind             string  `json:"kind"`
	BookID           int64   `json:"book_id"`
	Page             string  `json:"page,omitempty"`
	Entry            string  `json:"entry,omitempty"`
	RegisteredOn     string  `json:"registered_on,omitempty"`
	Status           Status  `json:"status"`
	Matched          string  `json:"matched,omitempty"` // the matched person's role
	MatchedName      string  `json:"matched_name,omitempty"`
	MatchedBirthDate string  `json:"matched_birth_date,omitempty"`
	PrincipalName    string  `json:"principal_name,omitempty"`
	Score            float64 `json:"score"`
}

// Summary is the hit as a search answers it.
func (h Hit) Summary() HitSummary {
	r := &h.Record
	s := HitSummary{RecordID: r.ID, Kind: r.Kind, BookID: r.BookID, Page: r.Page, Entry: r.Entry, RegisteredOn: r.RegisteredOn,
		Status: r.Status, Matched: h.Matched, Score: h.Score}
	if p := r.PersonOf(h.Matched); p != nil {
		s.MatchedName, s.MatchedBirthDate = p.FullName, p.BirthDate
	}
	if p := r.Principal(); p != nil {
		s.PrincipalName = p.FullName
	}
	return s
}

// trim keeps of a hit's record only what its summary shows, so that no
// caller of a search holds the people's details.
func (h *Hit) trim() {
	s := h.Summary()
	var people []Person
	if p := h.Record.Principal(); p != nil {
		people = append(people, Person{Role: p.Role, FullName: p.FullName})
	}
	if h.Matched != "" && (len(people) == 0 || people[0].Role != h.Matched) {
		people = append(people, Person{Role: h.Matched, FullName: s.MatchedName, BirthDate: s.MatchedBirthDate})
	} else if len(people) > 0 {
		people[0].BirthDate = s.MatchedBirthDate
	}
	h.Record = Record{ID: s.RecordID, UnitCode: h.Record.UnitCode, BookID: s.BookID, Kind: s.Kind, Page: s.Page, Entry: s.Entry,
		RegisteredOn: s.RegisteredOn, Status: s.Status, People: people}
}
