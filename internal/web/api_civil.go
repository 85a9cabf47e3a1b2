package web

import (
	"net/http"
	"strconv"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/store"
)

// Civil is the civil-status registry's service over the server's database:
// the pages and the API call the same rules.
func (s *Server) Civil() *civil.Service {
	return &civil.Service{Store: store.Civil{DB: s.DB}, Units: s.DB, Now: s.now}
}

// queryInts reads integer query parameters into their targets.
func queryInts(r *http.Request, params map[string]*int) error {
	q := r.URL.Query()
	for name, dst := range params {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return apperr.Invalid(name, name+" phải là số nguyên", name+" must be an integer")
			}
			*dst = n
		}
	}
	return nil
}

// listCivilBooks lists the caller's unit's books: ?kind=, ?year=.
func (s *Server) listCivilBooks(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var year int
	if err == nil {
		err = queryInts(r, map[string]*int{"year": &year})
	}
	var books []civil.Book
	if err == nil {
		books, err = s.Civil().Books(r.Context(), a, r.URL.Query().Get("kind"), year)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"books": books})
}

// civilBookRequest opens a book.
type civilBookRequest struct {
	Kind   string `json:"kind"`
	Year   int    `json:"year"`
	Number string `json:"number"`
	Origin string `json:"origin"`
	Note   string `json:"note"`
}

func (s *Server) addCivilBook(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var req civilBookRequest
	if err == nil {
		err = decode(w, r, &req)
	}
	b := &civil.Book{Kind: req.Kind, Year: req.Year, Number: req.Number, Origin: req.Origin, Note: req.Note}
	if err == nil {
		err = s.Civil().CreateBook(r.Context(), a, b)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/civil/books/"+strconv.FormatInt(b.ID, 10))
	writeJSON(w, http.StatusCreated, b)
}

// getCivilBook is a book with its progress: records entered and verified.
func (s *Server) getCivilBook(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var id int64
	if err == nil {
		id, err = pathID(r)
	}
	var b *civil.Book
	if err == nil {
		b, err = s.Civil().Book(r.Context(), a, id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

// civilProgress is digitisation's progress of a unit and the units under
// it: ?unit= (default the caller's). Counts only, never names.
func (s *Server) civilProgress(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var p civil.Progress
	if err == nil {
		p, err = s.Civil().Progress(r.Context(), a, r.URL.Query().Get("unit"))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// listCivilReads is the unit's read log, for its leaders: ?limit=, ?offset=.
func (s *Server) listCivilReads(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var limit, offset, total int
	if err == nil {
		err = queryInts(r, map[string]*int{"limit": &limit, "offset": &offset})
	}
	var reads []civil.Read
	if err == nil {
		reads, total, err = s.Civil().Reads(r.Context(), a, limit, offset)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"reads": reads, "total": total})
}

// listCivilDuplicates lists the unit's flagged pairs: ?status=open|dismissed|merged|obsolete
// (closed because one of its records was merged by another pair).
func (s *Server) listCivilDuplicates(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var limit, offset, total int
	if err == nil {
		err = queryInts(r, map[string]*int{"limit": &limit, "offset": &offset})
	}
	var dups []civil.Duplicate
	if err == nil {
		dups, total, err = s.Civil().Duplicates(r.Context(), a, r.URL.Query().Get("status"), limit, offset)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"duplicates": dups, "total": total})
}

// civilMergeRequest names the record a merge keeps.
type civilMergeRequest struct {
	Keep int64 `json:"keep"`
}

// mergeCivilDuplicate merges a flagged pair: {"keep": <record id>}.
func (s *Server) mergeCivilDuplicate(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var id int64
	if err == nil {
		id, err = pathID(r)
	}
	var req civilMergeRequest
	if err == nil {
		err = decode(w, r, &req)
	}
	var d *civil.Duplicate
	if err == nil {
		d, err = s.Civil().Merge(r.Context(), a, id, req.Keep)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) dismissCivilDuplicate(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var id int64
	if err == nil {
		id, err = pathID(r)
	}
	var d *civil.Duplicate
	if err == nil {
		d, err = s.Civil().Dismiss(r.Context(), a, id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}
