package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/vntext"
)

// CivilSearchCap bounds the matches a search ranks and counts. A query
// that matches more (one common family name in a large commune) is
// reported with the total CivilSearchCap+1, which the pages show as "more
// than 200": counting every match exactly would cost a scan of the unit's
// posting lists on each keystroke, and a registrar looking for one record
// adds a birth year or a parent rather than page past ten pages of names.
// Past the cap, the ranked set is the exact-word matches first, then the
// most recently entered: narrow the query to see the rest. Each match
// ranked is a row read from the table (on PostgreSQL a page of the heap):
// at 1,000 the prefix searches of a large commune read a thousand pages
// (docs/benchmarks.md).
const CivilSearchCap = 200

// civilParentRecordsMax bounds the records a parent's name is first
// resolved to (parentRecords): past it the name search keeps the parent as
// a subquery, far slower, so it stays above the cap of the results.
const civilParentRecordsMax = 1000

// CivilTotalCapped tells whether a search's total stands for "more than
// CivilSearchCap".
func CivilTotalCapped(total int) bool { return total > CivilSearchCap }

// Search limits.
const (
	civilSearchDefaultLimit = 20
	civilSearchMaxLimit     = 100
	civilSearchMaxWords     = 8
	civilSearchMaxWordLen   = 40
)

// farFutureSearch bounds the dates of a search's filters: a search may ask
// for any date, only its form matters.
var farFutureSearch = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// civilSearch is a Query read into what the SQL needs.
type civilSearch struct {
	civil.Query
	words, parent []string // folded name words
	bookNumber    string   // from Q written "book/entry"
	// prefixes are, on SQLite, the unit's words that start with each
	// query word longer than the prefix index covers (prefixWords).
	prefixes map[string][]string
	// parentRecords are the records whose parent matches Parent, when
	// they are at most CivilSearchCap (nil: more, matched in the query).
	parentRecords []int64
}

// Search finds the unit's records whose people match the query (see
// docs/architecture.md, "Civil-status search and import"), ranked: a
// person whose name has every query word as a whole word before one that
// only has them as prefixes, the record's principal person before its
// parents, then the newest registration.
func (s Civil) Search(ctx context.Context, q civil.Query) ([]civil.Hit, int, error) {
	cs, err := s.readQuery(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	if len(cs.parent) > 0 {
		if cs.parentRecords, err = s.parentRecords(ctx, cs); err != nil {
			return nil, 0, err
		}
		if cs.parentRecords != nil && len(cs.parentRecords) == 0 {
			return []civil.Hit{}, 0, nil
		}
	}
	var set candidateSet
	if cs.personLevel() {
		set, err = s.personCandidates(ctx, cs)
	} else {
		set.cands, set.capped, err = s.recordCandidates(ctx, cs)
		set.total = -1
	}
	if err != nil {
		return nil, 0, err
	}
	ranked := rankCivil(set.cands, cs.words)
	if set.undated {
		if err := s.dateRanked(ctx, ranked, cs.Offset, cs.Limit); err != nil {
			return nil, 0, err
		}
	}
	total := set.total
	if total < 0 {
		total = len(ranked)
	}
	if set.capped || total > CivilSearchCap {
		total = CivilSearchCap + 1
	}
	page := ranked[min(cs.Offset, len(ranked)):min(cs.Offset+cs.Limit, len(ranked))]
	hits, err := s.loadHits(ctx, page)
	return hits, total, err
}

// readQuery is readCivilQuery with, on SQLite, the unit's words that the
// query's prefixes are searched as (prefixWords).
func (s Civil) readQuery(ctx context.Context, q civil.Query) (civilSearch, error) {
	cs, err := readCivilQuery(q)
	if err == nil {
		cs.prefixes, err = s.prefixWords(ctx, cs.Unit, cs.words, cs.parent)
	}
	return cs, err
}

// readCivilQuery checks a query and splits its name words. Q is an ID
// number when it is 9 or 12 digits, "book/entry" when it has a slash and
// no space, name words otherwise.
func readCivilQuery(q civil.Query) (civilSearch, error) {
	cs := civilSearch{Query: q}
	if q.Unit == "" {
		return cs, apperr.Invalid("unit", "Thiếu đơn vị tìm kiếm", "the unit to search is missing")
	}
	if cs.Limit <= 0 {
		cs.Limit = civilSearchDefaultLimit
	}
	if cs.Limit > civilSearchMaxLimit || cs.Offset < 0 || cs.Offset+cs.Limit > CivilSearchCap {
		return cs, apperr.Invalid("limit", fmt.Sprintf("Trang kết quả không hợp lệ (tối đa %d dòng một trang, %d kết quả)", civilSearchMaxLimit, CivilSearchCap),
			fmt.Sprintf("invalid page of results (at most %d a page and %d in all)", civilSearchMaxLimit, CivilSearchCap))
	}
	text := strings.TrimSpace(vntext.Clean(q.Q))
	digits := strings.NewReplacer(" ", "", ".", "", "-", "").Replace(text) // an ID number as people group its digits
	switch {
	case text == "":
	case isDigits(digits) && (len(digits) == 9 || len(digits) == 12):
		if cs.IDNumber != "" && cs.IDNumber != digits {
			return cs, apperr.Invalid("q", "Hai số định danh khác nhau", "two different ID numbers")
		}
		cs.IDNumber = digits
	case strings.Contains(text, "/") && !strings.Contains(text, " "):
		i := strings.LastIndexByte(text, '/')
		cs.bookNumber, cs.Entry = text[:i], text[i+1:]
		if cs.bookNumber == "" || cs.Entry == "" {
			return cs, apperr.Invalid("q", "Viết quyển số/số đăng ký, ví dụ 01/125", "write book/entry, for example 01/125")
		}
	default:
		cs.words = civilNameWords(text)
	}
	cs.parent = civilNameWords(q.Parent)
	if len(cs.words) > civilSearchMaxWords || len(cs.parent) > civilSearchMaxWords {
		return cs, apperr.Invalid("q", "Tối đa 8 từ", "at most 8 words")
	}
	return cs, checkCivilDates(&cs)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// checkCivilDates reads the birth filters in the stored form.
func checkCivilDates(cs *civilSearch) error {
	for _, f := range []struct {
		name string
		v    *string
	}{{"birth_date", &cs.BirthDate}, {"birth_from", &cs.BirthFrom}, {"birth_to", &cs.BirthTo}} {
		if *f.v == "" {
			continue
		}
		d, err := civil.ParseDate(*f.v, farFutureSearch)
		if err != nil {
			return apperr.Invalid(f.name, "Ngày không hợp lệ: "+*f.v, "invalid date: "+*f.v)
		}
		*f.v = d
	}
	if cs.BirthYear != 0 && (cs.BirthYear < 1800 || cs.BirthYear > 9999) {
		return apperr.Invalid("birth_year", "Năm sinh không hợp lệ", "invalid birth year")
	}
	if cs.BirthTo != "" {
		cs.BirthTo = periodEnd(cs.BirthTo) // "1975" as an upper bound takes every date of 1975
	}
	if cs.Kind != "" && !civil.ValidKind(cs.Kind) {
		return apperr.Invalid("kind", "Loại việc hộ tịch không hợp lệ", "invalid kind of registration")
	}
	return nil
}

// civilNameWords folds a name and splits it into words the way the index
// does: any run of characters other than letters and digits is a break.
// Repeated words count once.
func civilNameWords(s string) []string {
	words := strings.FieldsFunc(vntext.Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := words[:0]
	for _, w := range words {
		if len(w) > civilSearchMaxWordLen {
			w = w[:civilSearchMaxWordLen]
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// civilIndexWords is what civil_people.name_words holds for a name: the
// words of civilNameWords, so that the index and the query always split a
// name alike, whatever punctuation it holds (’, /, any hyphen).
func civilIndexWords(fullName string) string {
	return strings.Join(civilNameWords(fullName), " ")
}

// recordFiltered tells whether the query has a filter on the record.
func (cs civilSearch) recordFiltered() bool {
	return cs.Kind != "" || cs.BookID != 0 || cs.bookNumber != "" || cs.Entry != "" || len(cs.parent) > 0
}

// personLevel tells whether the query is about people (names, births, ID
// numbers) rather than only records (kind, book, entry, parents).
func (cs civilSearch) personLevel() bool {
	return len(cs.words) > 0 || cs.IDNumber != "" || cs.BirthDate != "" || cs.BirthYear != 0 || cs.BirthFrom != "" || cs.BirthTo != ""
}

// civilCandidate is a person (or, for a record-level query, a record)
// that matches, with what ranking needs.
type civilCandidate struct {
	person       int64
	record       int64
	role, kind   string
	nameFold     string
	registeredOn string
}

// candidateSet is what a search ranks.
type candidateSet struct {
	cands  []civilCandidate
	capped bool // the matches were more than CivilSearchCap
	// total, when not -1, is the number of matching records, counted
	// apart from cands.
	total int
	// undated: the candidates were read without their records, so
	// without their registration dates (see dateRanked).
	undated bool
}

// personCandidates finds the people that match: those with every word as
// a whole word first, then those with every word as a prefix, each set
// capped, so that exact matches are never crowded out of the ranked set.
//
// Two economies keep the result. When the whole-word matches fill the
// page, the prefix matches (scored below every whole-word match) are only
// counted. And without a filter on the record, the candidates are read
// from the name index and the people alone: the score needs only the
// person (its name, and its role, which tells the principal person), and
// only the records of the page's scores are read for their dates.
func (s Civil) personCandidates(ctx context.Context, cs civilSearch) (set candidateSet, err error) {
	set.total = -1
	if len(cs.words) == 0 {
		set.cands, set.capped, err = s.civilCandidates(ctx, cs, "", false)
		return set, err
	}
	if cs.parentRecords != nil {
		set.cands, set.capped, err = s.parentCandidates(ctx, cs)
		return set, err
	}
	set.undated = !cs.recordFiltered()
	exact, capped, err := s.civilCandidates(ctx, cs, s.personMatch(cs, false), set.undated)
	if err != nil || capped {
		set.cands, set.capped = exact, capped
		return set, err
	}
	if distinctRecords(exact) >= cs.Offset+cs.Limit {
		people, records, err := s.countPrefix(ctx, cs)
		set.cands, set.capped, set.total = exact, people > CivilSearchCap, records
		return set, err
	}
	prefix, capped, err := s.civilCandidates(ctx, cs, s.personMatch(cs, true), set.undated)
	if err != nil {
		return set, err
	}
	set.cands, set.capped = mergeCandidates(exact, prefix, capped)
	return set, nil
}

// principalRoles are the roles that are their record's principal person
// in every kind that names them (the child, the husband, the deceased,
// the ward, the subject): a role is never principal in one kind and not
// in another, so the role alone gives the score's principal point.
var principalRoles = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range civil.Kinds {
		if roles := civil.KindRoles(k); len(roles) > 0 {
			m[roles[0]] = true
		}
	}
	return m
}()

// principal tells whether the candidate is its record's principal person:
// its role alone says it, whether or not the record's kind was read.
func (c civilCandidate) principal() bool { return principalRoles[c.role] }

// dateRanked completes the order of records ranked without their dates
// (rankCivil then sorted each score by record id only): the records of
// every score the page [offset, offset+limit) reaches are read for their
// registration dates and sorted again; the other scores' records are not
// on the page, and not read.
func (s Civil) dateRanked(ctx context.Context, ranked []rankedRecord, offset, limit int) error {
	if offset >= len(ranked) {
		return nil
	}
	end := min(offset+limit, len(ranked))
	lo, hi := offset, end
	for lo > 0 && ranked[lo-1].score == ranked[offset].score {
		lo--
	}
	for hi < len(ranked) && ranked[hi].score == ranked[end-1].score {
		hi++
	}
	part := ranked[lo:hi]
	ids := make([]int64, len(part))
	for i, r := range part {
		ids[i] = r.id
	}
	cond, list := s.idIn("id", ids)
	rows, err := s.DB.query(ctx, `SELECT id, registered_on FROM civil_records WHERE `+cond, list)
	if err != nil {
		return normalize(err)
	}
	defer rows.Close()
	dates := make(map[int64]string, len(part))
	for rows.Next() {
		var id int64
		var d string
		if err := rows.Scan(&id, &d); err != nil {
			return normalize(err)
		}
		dates[id] = d
	}
	if err := rows.Err(); err != nil {
		return normalize(err)
	}
	for i := range part {
		part[i].registeredOn = dates[part[i].id] // "": removed since, loadHits leaves it out
	}
	slices.SortFunc(part, compareRanked)
	return nil
}

// mergeCandidates adds to the whole-word matches the prefix matches that
// are not among them, and tells whether the set reached the cap.
func mergeCandidates(exact, prefix []civilCandidate, capped bool) ([]civilCandidate, bool) {
	seen := make(map[int64]bool, len(exact))
	for _, c := range exact {
		seen[c.person] = true
	}
	for _, c := range prefix {
		if !seen[c.person] {
			exact = append(exact, c)
		}
	}
	return exact, capped || len(exact) > CivilSearchCap
}

// distinctRecords counts the records of candidates.
func distinctRecords(cands []civilCandidate) int {
	seen := make(map[int64]bool, len(cands))
	for _, c := range cands {
		seen[c.record] = true
	}
	return len(seen)
}

// countPrefix counts the people matching the words as prefixes (up to
// CivilSearchCap+1, the newest entered, as the prefix candidate query
// takes them) and their records: the same rows as that query, without
// the records' columns unless a record filter needs them.
func (s Civil) countPrefix(ctx context.Context, cs civilSearch) (people, records int, err error) {
	query, args := s.candidateSQL(cs, s.personMatch(cs, true), "p.record_id")
	err = s.DB.queryRow(ctx, `SELECT COUNT(*), COUNT(DISTINCT record_id) FROM (`+query+`) m`, args...).Scan(&people, &records)
	return people, records, normalize(err)
}

// parentCandidates is personCandidates when the parent's records are
// known (at most CivilSearchCap): their people are read by record and
// matched here, word by word as the name index matches them, instead of
// walking the unit's posting lists of the name words (a given name alone
// is thousands of people in a large commune) to test each against the
// records. The sets and their order are those of the index: whole-word
// matches, then prefix matches, each the newest entered first and capped.
func (s Civil) parentCandidates(ctx context.Context, cs civilSearch) ([]civilCandidate, bool, error) {
	var sb strings.Builder
	// "+": the unit is a filter, not the index to walk (SQLite would
	// otherwise take the unit's people by an index on unit_code).
	unit := "+p.unit_code"
	if s.DB.Engine == Postgres {
		unit = "p.unit_code"
	}
	cond, list := s.idIn("p.record_id", cs.parentRecords)
	sb.WriteString(`SELECT p.id, p.record_id, p.role, r.kind, p.name_fold, r.registered_on, p.name_words
		FROM civil_people p JOIN civil_records r ON r.id = p.record_id WHERE ` + cond + ` AND ` + unit + ` = ?`)
	args := []any{list, cs.Unit}
	args = s.personFilters(&sb, args, cs)
	rest := cs
	rest.parent, rest.parentRecords = nil, nil // the records are those already
	args = s.recordFilters(&sb, args, rest)
	rows, err := s.DB.query(ctx, sb.String(), args...)
	if err != nil {
		return nil, false, normalize(err)
	}
	defer rows.Close()
	var exact, prefix []civilCandidate
	for rows.Next() {
		var c civilCandidate
		var words string
		if err := rows.Scan(&c.person, &c.record, &c.role, &c.kind, &c.nameFold, &c.registeredOn, &words); err != nil {
			return nil, false, normalize(err)
		}
		have := strings.Fields(strings.ToLower(words))
		if nameHas(have, cs.words, false) {
			exact = append(exact, c)
		}
		if nameHas(have, cs.words, true) {
			prefix = append(prefix, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, normalize(err)
	}
	newest := func(a, b civilCandidate) int { return cmp.Compare(b.person, a.person) }
	slices.SortFunc(exact, newest)
	slices.SortFunc(prefix, newest)
	if len(exact) > CivilSearchCap {
		return exact[:CivilSearchCap+1], true, nil
	}
	capped := len(prefix) > CivilSearchCap
	merged, capped := mergeCandidates(exact, prefix[:min(len(prefix), CivilSearchCap+1)], capped)
	return merged, capped, nil
}

// nameHas tells whether every query word is one of the name's words
// (whole) or the start of one (prefix), as the name index's terms match.
func nameHas(have, words []string, prefix bool) bool {
	for _, w := range words {
		if !slices.ContainsFunc(have, func(h string) bool { return h == w || prefix && strings.HasPrefix(h, w) }) {
			return false
		}
	}
	return true
}

// idIn is the condition that col is one of ids, with its one argument:
// the statement's text is the same whatever the ids, so that it is
// prepared once (a list written into the text made a new statement for
// every search, parsed each time and filling the statement cache).
func (s Civil) idIn(col string, ids []int64) (string, string) {
	b := make([]byte, 0, 1+len(ids)*8)
	open, end := byte('['), byte(']')
	if s.DB.Engine == Postgres {
		open, end = '{', '}'
	}
	b = append(b, open)
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	b = append(b, end)
	if s.DB.Engine == Postgres {
		return col + " = ANY(CAST(CAST(? AS text) AS bigint[]))", string(b)
	}
	return col + " IN (SELECT value FROM json_each(?))", string(b)
}

// civilPrefixLexemes is the longest prefix, in letters, that PostgreSQL's
// name index holds as a lexeme of its own (migration 0034).
const civilPrefixLexemes = 7

// nameMatch is the engine's full-text query for the words in the unit:
// each word the start of a word of the name (prefix) or a whole word.
func (s Civil) nameMatch(unit string, words []string, prefix bool, prefixes map[string][]string) string {
	unit = strings.ToLower(unit)
	parts := make([]string, len(words))
	for i, w := range words {
		if s.DB.Engine == Postgres {
			switch {
			case !prefix:
				parts[i] = "'" + unit + "_" + w + "'"
			case utf8.RuneCountInString(w) <= civilPrefixLexemes:
				parts[i] = "'" + unit + "_" + w + "*'" // the prefix's own lexeme (migration 0034)
			default:
				parts[i] = "'" + unit + "_" + w + "':*"
			}
			continue
		}
		parts[i] = `"` + unit + "_" + w + `"`
		if prefix {
			parts[i] = ftsPrefix(unit, w, prefixes)
		}
	}
	if s.DB.Engine == Postgres {
		return strings.Join(parts, " & ")
	}
	return strings.Join(parts, " AND ")
}

// nameFilter is PostgreSQL's condition that keeps the people of table
// alias a whose names match, with its argument (on SQLite the full-text
// table drives the query instead).
func (s Civil) nameFilter(a string) string {
	return "civil_name_terms(" + a + ".unit_code, " + a + ".name_words, " + a + ".birth_date) @@ ?::tsquery"
}

// personMatch is the name query of the person searched: nameMatch of the
// words, and the birth year's term (migration 0037) when the filters allow
// one year only, so that the index, not the table, keeps the year's people.
func (s Civil) personMatch(cs civilSearch, prefix bool) string {
	m := s.nameMatch(cs.Unit, cs.words, prefix, cs.prefixes)
	y := cs.birthYear()
	if y == "" {
		return m
	}
	term := strings.ToLower(cs.Unit) + "__" + y
	if s.DB.Engine == Postgres {
		return m + " & '" + term + "'"
	}
	return m + ` AND "` + term + `"`
}

// birthYear is the one year the query's birth filters allow, "" when
// they allow any or several. Every stored date of a person the filters
// keep starts with it, the partial ones ("1985", "1985-05") included.
func (cs civilSearch) birthYear() string {
	switch {
	case cs.BirthYear != 0:
		return fmt.Sprintf("%04d", cs.BirthYear)
	case len(cs.BirthDate) >= 4:
		return cs.BirthDate[:4]
	case len(cs.BirthFrom) >= 4 && len(cs.BirthTo) >= 4 && cs.BirthFrom[:4] == cs.BirthTo[:4]:
		return cs.BirthFrom[:4]
	}
	return ""
}

// undatedCols are the columns of an undated candidate query.
const undatedCols = "p.id, p.record_id, p.role, p.name_fold"

// civilCandidates runs one candidate query: the people of the unit
// matching match (none: the person filters alone), with the filters;
// undated, the people alone, without their records.
func (s Civil) civilCandidates(ctx context.Context, cs civilSearch, match string, undated bool) ([]civilCandidate, bool, error) {
	if undated {
		query, args := s.candidateSQL(cs, match, undatedCols)
		return s.candidates(ctx, query, args, func(sc scanner, c *civilCandidate) error {
			return sc.Scan(&c.person, &c.record, &c.role, &c.nameFold)
		})
	}
	query, args := s.candidateSQL(cs, match, "")
	return s.candidates(ctx, query, args, func(sc scanner, c *civilCandidate) error {
		return sc.Scan(&c.person, &c.record, &c.role, &c.kind, &c.nameFold, &c.registeredOn)
	})
}

// candidates runs a candidate query, capped at CivilSearchCap+1 rows, and
// tells whether it reached the cap.
func (s Civil) candidates(ctx context.Context, query string, args []any, scan func(scanner, *civilCandidate) error) ([]civilCandidate, bool, error) {
	rows, err := s.DB.query(ctx, query, args...)
	if err != nil {
		return nil, false, normalize(err)
	}
	defer rows.Close()
	var out []civilCandidate
	for rows.Next() {
		var c civilCandidate
		if err := scan(rows, &c); err != nil {
			return nil, false, normalize(err)
		}
		out = append(out, c)
	}
	return out, len(out) > CivilSearchCap, normalize(rows.Err())
}

// candidateSQL is the query of civilCandidates. cols, when not empty,
// are the columns to select instead (of the person only: the record is
// then joined only when a record filter needs it).
func (s Civil) candidateSQL(cs civilSearch, match, cols string) (string, []any) {
	var sb strings.Builder
	var args []any
	join := " JOIN civil_records r ON r.id = p.record_id"
	if cols == "" {
		cols = "p.id, p.record_id, p.role, r.kind, p.name_fold, r.registered_on"
	} else if !cs.recordFiltered() {
		join = ""
	}
	if match != "" && s.DB.Engine == SQLite {
		// The full-text table drives: it yields the unit's matches
		// newest first, and the LIMIT stops it at the cap. CROSS JOIN
		// keeps it first: with a birth year the planner would otherwise
		// walk the unit's births of the year by the duplicates' index.
		sb.WriteString(`SELECT ` + cols + `
			FROM civil_names CROSS JOIN civil_people p ON p.id = civil_names.rowid` + join + `
			WHERE civil_names MATCH ? AND p.unit_code = ?`)
		args = append(args, match, cs.Unit)
	} else {
		sb.WriteString(`SELECT ` + cols + `
			FROM civil_people p` + join + ` WHERE p.unit_code = ?`)
		args = append(args, cs.Unit)
		if match != "" {
			sb.WriteString(" AND " + s.nameFilter("p"))
			args = append(args, match)
		}
	}
	args = s.personFilters(&sb, args, cs)
	args = s.recordFilters(&sb, args, cs)
	if match != "" && s.DB.Engine == SQLite {
		sb.WriteString(" ORDER BY civil_names.rowid DESC")
	}
	sb.WriteString(" LIMIT ?")
	return sb.String(), append(args, CivilSearchCap+1)
}

// ExplainSearch returns the engine's plan of the main query a search runs
// (the prefix query of its name words, or its filters), for the benchmark
// and the tests to show which indexes it uses.
func (s Civil) ExplainSearch(ctx context.Context, q civil.Query) (string, error) {
	cs, err := s.readQuery(ctx, q)
	if err != nil {
		return "", err
	}
	var query string
	var args []any
	switch {
	case len(cs.words) > 0:
		cols := ""
		if !cs.recordFiltered() {
			cols = undatedCols
		}
		query, args = s.candidateSQL(cs, s.personMatch(cs, true), cols)
	case cs.personLevel():
		query, args = s.candidateSQL(cs, "", "")
	default:
		query, args = s.recordSQL(cs)
	}
	explain := "EXPLAIN QUERY PLAN "
	if s.DB.Engine == Postgres {
		explain = "EXPLAIN "
	}
	rows, err := s.DB.query(ctx, explain+query, args...)
	if err != nil {
		return "", normalize(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", normalize(err)
		}
		lines = append(lines, fmt.Sprint(vals[len(vals)-1])) // the plan's text is the last column
	}
	return strings.Join(lines, "\n"), normalize(rows.Err())
}

// personFilters adds the filters on the matching person.
func (s Civil) personFilters(sb *strings.Builder, args []any, cs civilSearch) []any {
	add := func(cond string, v any) {
		sb.WriteString(" AND " + cond)
		args = append(args, v)
	}
	if cs.IDNumber != "" {
		// "<> ''" lets the planners use the partial index of ID numbers.
		add("p.id_number <> '' AND p.id_number = ?", cs.IDNumber)
	}
	if cs.BirthDate != "" {
		args = birthFrom(sb, args, cs.BirthDate)
		args = birthTo(sb, args, periodEnd(cs.BirthDate))
	}
	if cs.BirthYear != 0 {
		// The birth dates of the year ("1990", "1990-05", "1990-05-12"):
		// a range of the duplicates' index (unit, birth date, name).
		y := fmt.Sprintf("%04d", cs.BirthYear)
		sb.WriteString(" AND p.birth_date >= ? AND p.birth_date <= ?")
		args = append(args, y, periodEnd(y))
	}
	if cs.BirthFrom != "" {
		args = birthFrom(sb, args, cs.BirthFrom)
	}
	if cs.BirthTo != "" {
		args = birthTo(sb, args, cs.BirthTo)
	}
	return args
}

// A stored birth date may be partial ("1990", "1990-05"): it is the whole
// period, and matches a date or a range its period overlaps. As text, a
// period starts at its own value and ends just before value+"\uffff", so
// it overlaps [from, to] when it starts at or before to and ends at or
// after from: it is at or after from, or it is a prefix of from.

// birthFrom keeps the people born at or after from (a whole date or a
// period's start), the partial dates whose period holds from included.
func birthFrom(sb *strings.Builder, args []any, from string) []any {
	sb.WriteString(" AND (p.birth_date >= ? OR p.birth_date IN (?, ?))")
	return append(args, from, from[:min(4, len(from))], from[:min(7, len(from))])
}

// birthTo keeps the people born at or before to (a period's end has
// "\uffff" after it); an unknown birth date is not "before" anything.
func birthTo(sb *strings.Builder, args []any, to string) []any {
	sb.WriteString(" AND p.birth_date <> '' AND p.birth_date <= ?")
	return append(args, to)
}

// periodEnd is the upper bound of a date or period in the stored form.
func periodEnd(d string) string {
	if len(d) < 10 {
		return d + "\uffff"
	}
	return d
}

// recordFilters adds the filters on the record: kind, book, entry and a
// parent's name (a mother, father or parent of the same record).
func (s Civil) recordFilters(sb *strings.Builder, args []any, cs civilSearch) []any {
	add := func(cond string, v ...any) {
		sb.WriteString(" AND " + cond)
		args = append(args, v...)
	}
	if cs.Kind != "" {
		add("r.kind = ?", cs.Kind)
	}
	if cs.BookID != 0 {
		add("r.book_id = ?", cs.BookID)
	}
	if cs.bookNumber != "" {
		add("r.book_id IN (SELECT id FROM civil_books WHERE unit_code = ? AND number = ?)", cs.Unit, cs.bookNumber)
	}
	if cs.Entry != "" {
		add("r.entry = ?", cs.Entry)
	}
	if len(cs.parentRecords) > 0 {
		cond, list := s.idIn("r.id", cs.parentRecords)
		add(cond, list)
	} else if len(cs.parent) > 0 {
		add(`r.id IN (`+s.parentSQL()+`)`, cs.Unit, civil.RoleMother, civil.RoleFather, civil.RoleParent, s.nameMatch(cs.Unit, cs.parent, true, cs.prefixes))
	}
	return args
}

// parentSQL selects the records of the unit whose mother, father or parent
// matches a name query. On SQLite the full-text table drives, as in the
// main query: the unit's people would otherwise be walked to test each.
func (s Civil) parentSQL() string {
	if s.DB.Engine == SQLite {
		return `SELECT m.record_id FROM civil_names JOIN civil_people m ON m.id = civil_names.rowid
			WHERE m.unit_code = ? AND m.role IN (?, ?, ?) AND civil_names MATCH ?`
	}
	return `SELECT m.record_id FROM civil_people m WHERE m.unit_code = ? AND m.role IN (?, ?, ?) AND ` + s.nameFilter("m")
}

// parentRecords finds the records whose mother, father or parent has the
// Parent words, first and alone: the planners would otherwise test the
// name search's candidates against the subquery one by one. nil when
// there are more than civilParentRecordsMax (the query then keeps the
// subquery).
func (s Civil) parentRecords(ctx context.Context, cs civilSearch) ([]int64, error) {
	rows, err := s.DB.query(ctx, s.parentSQL()+` LIMIT ?`, cs.Unit, civil.RoleMother, civil.RoleFather, civil.RoleParent,
		s.nameMatch(cs.Unit, cs.parent, true, cs.prefixes), civilParentRecordsMax+1)
	if err != nil {
		return nil, normalize(err)
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, normalize(err)
		}
		ids = append(ids, id)
	}
	if len(ids) > civilParentRecordsMax {
		return nil, normalize(rows.Err())
	}
	return ids, normalize(rows.Err())
}

// recordCandidates finds the records of a query without person filters:
// the unit's records of a kind, a book, an entry, a parent, the newest
// registration first (an index gives that order).
func (s Civil) recordCandidates(ctx context.Context, cs civilSearch) ([]civilCandidate, bool, error) {
	query, args := s.recordSQL(cs)
	return s.candidates(ctx, query, args, scanRecordCandidate)
}

// scanRecordCandidate reads a record's id, kind and registration date as
// a candidate whose matched person is the principal one: the hit shows the
// principal person (its summary names the matched person), also when a
// parent's name matched.
func scanRecordCandidate(sc scanner, c *civilCandidate) error {
	if err := sc.Scan(&c.record, &c.kind, &c.registeredOn); err != nil {
		return err
	}
	if roles := civil.KindRoles(c.kind); len(roles) > 0 {
		c.role = roles[0]
	}
	return nil
}

// recordSQL is the query of recordCandidates.
func (s Civil) recordSQL(cs civilSearch) (string, []any) {
	var sb strings.Builder
	sb.WriteString(`SELECT r.id, r.kind, r.registered_on FROM civil_records r WHERE r.unit_code = ?`)
	args := s.recordFilters(&sb, []any{cs.Unit}, cs)
	sb.WriteString(" ORDER BY r.registered_on DESC, r.id DESC LIMIT ?")
	return sb.String(), append(args, CivilSearchCap+1)
}

// rankedRecord is a record with its best matching person's score.
type rankedRecord struct {
	id           int64
	score        float64
	matched      string
	registeredOn string
}

// rankCivil keeps each record once, with the score of its best person:
// 2 when every word is a whole word of the name, 1 more for the
// principal person; then sorts by score, newest registration, newest
// record.
func rankCivil(cands []civilCandidate, words []string) []rankedRecord {
	best := map[int64]int{}
	var out []rankedRecord
	for _, c := range cands {
		score := 0.0
		if len(words) > 0 && wholeWords(c.nameFold, words) {
			score += 2
		}
		if c.principal() {
			score++
		}
		if i, ok := best[c.record]; ok {
			if score > out[i].score {
				out[i].score, out[i].matched = score, c.role
			}
			continue
		}
		best[c.record] = len(out)
		out = append(out, rankedRecord{id: c.record, score: score, matched: c.role, registeredOn: c.registeredOn})
	}
	slices.SortFunc(out, compareRanked)
	return out
}

// compareRanked orders records by score, newest registration, newest
// record.
func compareRanked(a, b rankedRecord) int {
	switch {
	case a.score != b.score:
		if a.score > b.score {
			return -1
		}
		return 1
	case a.registeredOn != b.registeredOn:
		return -strings.Compare(a.registeredOn, b.registeredOn)
	}
	return cmp.Compare(b.id, a.id)
}

// wholeWords tells whether every word is a whole word of the folded name.
func wholeWords(nameFold string, words []string) bool {
	have := civilNameWords(nameFold)
	for _, w := range words {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// loadHits reads the page's records with their people.
func (s Civil) loadHits(ctx context.Context, page []rankedRecord) ([]civil.Hit, error) {
	hits := make([]civil.Hit, 0, len(page))
	if len(page) == 0 {
		return hits, nil
	}
	ids := make([]int64, len(page))
	for i, r := range page {
		ids[i] = r.id
	}
	cond, list := s.idIn("id", ids)
	rows, err := s.DB.query(ctx, `SELECT `+civilRecordCols+` FROM civil_records WHERE `+cond, list)
	if err != nil {
		return nil, normalize(err)
	}
	byID := map[int64]*civil.Record{}
	for rows.Next() {
		r, _, err := scanCivilRecord(rows)
		if err != nil {
			rows.Close()
			return nil, normalize(err)
		}
		byID[r.ID] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, normalize(err)
	}
	if err := s.loadPeopleOf(ctx, ids, byID); err != nil {
		return nil, err
	}
	for _, p := range page {
		if r := byID[p.id]; r != nil { // nil: removed since the candidates were read
			hits = append(hits, civil.Hit{Record: *r, Score: p.score, Matched: p.matched})
		}
	}
	return hits, nil
}

// loadPeopleOf reads the people of a page's records in one query: one
// query per record cost more than the search itself on PostgreSQL.
func (s Civil) loadPeopleOf(ctx context.Context, ids []int64, byID map[int64]*civil.Record) error {
	cond, list := s.idIn("record_id", ids)
	rows, err := s.DB.query(ctx, `SELECT record_id, role, full_name, sex, birth_date, birth_place, home_town, ethnicity, nationality,
		id_number, residence FROM civil_people WHERE `+cond+` ORDER BY record_id, position`, list)
	if err != nil {
		return normalize(err)
	}
	defer rows.Close()
	for _, r := range byID {
		r.People = []civil.Person{}
	}
	for rows.Next() {
		var id int64
		var p civil.Person
		if err := rows.Scan(&id, &p.Role, &p.FullName, &p.Sex, &p.BirthDate, &p.BirthPlace, &p.HomeTown, &p.Ethnicity, &p.Nationality,
			&p.IDNumber, &p.Residence); err != nil {
			return normalize(err)
		}
		if r := byID[id]; r != nil {
			r.People = append(r.People, p)
		}
	}
	return normalize(rows.Err())
}

// BookRecords lists a page of a book's records, newest registration first
// (as a search without words orders them), and counts them all. A book is
// read through page after page, so it is not capped as a search is: it
// holds one kind's registrations of one year in one unit, a few thousand
// at the most, counted and sorted through its index (book, entry).
func (s Civil) BookRecords(ctx context.Context, bookID int64, limit, offset int) ([]civil.Hit, int, error) {
	var total int
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM civil_records WHERE book_id = ?`, bookID).Scan(&total); err != nil {
		return nil, 0, normalize(err)
	}
	cands, _, err := s.candidates(ctx, `SELECT id, kind, registered_on FROM civil_records WHERE book_id = ?
		ORDER BY registered_on DESC, id DESC LIMIT ? OFFSET ?`, []any{bookID, limit, offset}, scanRecordCandidate)
	if err != nil {
		return nil, 0, err
	}
	hits, err := s.loadHits(ctx, rankCivil(cands, nil)) // one score for all: the query's order
	return hits, total, err
}
