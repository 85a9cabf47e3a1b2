package store

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/vntext"
)

// ImportCivil writes the records fn adds (an import of old books, a
// benchmark's register) in one transaction: all or nothing, fn's error
// rolls everything back. Each record gets its people, its first sealed
// event (its content digest and the note add gives, the file and row it
// came from) and goes in the book of its unit, kind and the year and
// number given, created when missing; the books' counters move once at the
// end. The search index follows from the people's rows (triggers on
// SQLite, the expression index on PostgreSQL).
//
// The rows go through the bulk loader's writers: on SQLite its own
// connection steps one prepared INSERT per row through the C API, on
// PostgreSQL COPY. Other writers wait for the import's transaction on
// SQLite (it holds the write lock). A record whose entry number its book
// already had is refused (a row error, see newEntry).
func (s Civil) ImportCivil(ctx context.Context, fn func(add func(r *civil.Record, bookYear int, bookNumber, note string) error) error) error {
	imp := &civilImport{db: s.DB, at: s.DB.Now().UTC().Truncate(time.Microsecond), books: map[civilBookKey]*civilImportBook{}}
	if err := imp.loadBooks(ctx); err != nil {
		return err
	}
	run := func(tx bulkTx, ids civilIDs) error {
		imp.ctx, imp.tx, imp.ids = ctx, tx, ids
		imp.startWriter()
		err := fn(imp.add)
		if err == nil {
			err = imp.send()
		}
		if err = errors.Join(err, imp.stopWriter()); err != nil {
			return err
		}
		return imp.writeBooks(ctx)
	}
	if s.DB.Engine == Postgres {
		err := s.DB.pgInTx(ctx, func(tx bulkTx) error {
			rebuild, err := imp.dropIndexes(ctx, tx)
			if err != nil {
				return err
			}
			if len(rebuild) == 0 {
				// The name index takes the load in its pending list,
				// sorted into the index once at the end: far cheaper than
				// entry by entry, and merged before the commit (see
				// migration 0028).
				rebuild = []string{`SELECT gin_clean_pending_list('civil_people_names')`, `ALTER INDEX civil_people_names SET (fastupdate = off)`}
				if err := tx.exec(ctx, `ALTER INDEX civil_people_names SET (fastupdate = on)`); err != nil {
					return err
				}
			}
			if err := run(tx, &pgIDs{db: s.DB}); err != nil {
				return err
			}
			if err := execAll(ctx, tx, rebuild); err != nil {
				return err
			}
			return imp.flagDuplicates(ctx, tx)
		})
		if err == nil && imp.count >= civilAnalyzeAfter {
			// As autovacuum soon would: searches that follow need the
			// planner to know the tables grew.
			_, err = s.DB.write.ExecContext(ctx, `ANALYZE civil_people, civil_records, civil_books`)
		}
		return err
	}
	file, err := s.DB.sqliteFile(ctx)
	if err != nil {
		return err
	}
	c, err := openLite(file)
	if err != nil {
		return err
	}
	defer c.close()
	err = c.inTx(func(tx bulkTx) error {
		ids, err := newLiteIDs(c)
		if err != nil {
			return err
		}
		restore, err := c.withoutTriggers("civil_people")
		if err != nil {
			return err
		}
		rebuild, err := imp.dropIndexes(ctx, tx)
		if err != nil {
			return err
		}
		imp.lite, imp.words = c, map[[2]string]bool{}
		// Each batch's terms are a segment of the name index. FTS5 would
		// merge them as they pile up, rewriting the same terms level after
		// level; the import merges them once at its end instead (optimize).
		// But an index holds at most 2,000 segments, over all its levels
		// (past them FTS5 fails the write as "database or disk is full":
		// an import of 4,000,000 records did), so the segments of a level
		// are merged into one every 1,000: a million records make about
		// 500, so no import of that size merges before its end.
		if err := c.exec(`INSERT INTO civil_names (civil_names, rank) VALUES ('automerge', 0);
			INSERT INTO civil_names (civil_names, rank) VALUES ('crisismerge', 1000)`); err != nil {
			return err
		}
		if err := run(tx, ids); err != nil {
			return err
		}
		// The indexes are built with the sorter's helper threads: the
		// rows' preparation no longer needs the other CPUs by then.
		if err := c.exec(fmt.Sprintf(`PRAGMA threads = %d`, min(runtime.NumCPU(), 4))); err != nil {
			return err
		}
		if err := execAll(ctx, tx, rebuild); err != nil {
			return err
		}
		if err := imp.flagDuplicates(ctx, tx); err != nil {
			return err
		}
		// FTS5's defaults again; then one segment instead of the
		// batches': a search then seeks each term once, not once per
		// segment. A small import leaves its few segments to the merges of
		// later writes.
		if err := c.exec(`INSERT INTO civil_names (civil_names, rank) VALUES ('automerge', 4);
			INSERT INTO civil_names (civil_names, rank) VALUES ('crisismerge', 16)`); err != nil {
			return err
		}
		if imp.count >= civilAnalyzeAfter {
			if err := c.exec(`INSERT INTO civil_names (civil_names) VALUES ('optimize')`); err != nil {
				return err
			}
		}
		return restore()
	})
	if err != nil || imp.count < civilAnalyzeAfter {
		return err
	}
	// The import's pages are all in the write-ahead log (the import turns
	// its checkpoints off): searches would read each from the log, by a
	// system call, until a later write moved them (at 5,000,000 records the
	// searches right after an import took twice as long). They are moved
	// now, and the log emptied.
	return c.exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
}

// dropIndexes drops, inside the import's transaction, the secondary
// indexes of the register's tables when they are empty (the first import
// of a unit's old books, a benchmark) and returns the statements that
// build them again before the commit: building an index from the loaded
// rows costs a fraction of keeping it up to date row by row. Into a
// register that has records the indexes stay.
func (imp *civilImport) dropIndexes(ctx context.Context, tx bulkTx) ([]string, error) {
	var n int
	if err := imp.db.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM civil_records LIMIT 1) r`).Scan(&n); err != nil || n > 0 {
		return nil, err
	}
	var rebuild []string
	for _, t := range []string{"civil_records", "civil_people"} {
		names, defs, err := imp.db.secondaryIndexes(ctx, t)
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			if err := tx.exec(ctx, `DROP INDEX `+name); err != nil {
				return nil, err
			}
		}
		rebuild = append(rebuild, defs...)
	}
	if imp.db.Engine != Postgres {
		return rebuild, nil // the import's SQLite connection does not check foreign keys
	}
	// PostgreSQL checks each row's foreign keys with a query of its own;
	// added back at the end, each is checked by one join over the tables.
	fks, err := imp.foreignKeys(ctx)
	if err != nil {
		return nil, err
	}
	for _, fk := range fks {
		if err := tx.exec(ctx, `ALTER TABLE `+fk[0]+` DROP CONSTRAINT `+fk[1]); err != nil {
			return nil, err
		}
		rebuild = append(rebuild, `ALTER TABLE `+fk[0]+` ADD CONSTRAINT `+fk[1]+` `+fk[2])
	}
	return rebuild, nil
}

// foreignKeys lists the register's foreign keys on PostgreSQL: table,
// name and definition.
func (imp *civilImport) foreignKeys(ctx context.Context) ([][3]string, error) {
	rows, err := imp.db.write.QueryContext(ctx, `SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
		WHERE contype = 'f' AND conrelid IN ('civil_records'::regclass, 'civil_people'::regclass, 'civil_events'::regclass) ORDER BY conname`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][3]string
	for rows.Next() {
		var fk [3]string
		if err := rows.Scan(&fk[0], &fk[1], &fk[2]); err != nil {
			return nil, err
		}
		out = append(out, fk)
	}
	return out, rows.Err()
}

func execAll(ctx context.Context, tx bulkTx, stmts []string) error {
	for _, q := range stmts {
		if err := tx.exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// withoutTriggers drops the table's triggers inside the import's
// transaction and returns what creates them again, before the commit:
// other connections never see the table without them. The name index's
// triggers would write one row at a time, and FTS5 writes its pending
// terms to disk at every statement, so a row a statement made an index
// segment per person; the import writes each batch's terms in one
// statement instead (see civilImport.writeTerms).
func (c *liteConn) withoutTriggers(table string) (restore func() error, err error) {
	names, err := c.queryText(`SELECT COALESCE(group_concat(name, ','), '') FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '` + table + `'`)
	if err != nil || names == "" {
		return func() error { return nil }, err
	}
	defs, err := c.queryText(`SELECT group_concat(sql, ';' || char(10)) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '` + table + `'`)
	if err != nil {
		return nil, err
	}
	for _, n := range strings.Split(names, ",") {
		if err := c.exec(`DROP TRIGGER "` + n + `"`); err != nil {
			return nil, err
		}
	}
	return func() error { return c.exec(defs) }, nil
}

// civilImportBatch is how many records go to the database at a time.
const civilImportBatch = 2000

// civilBatch is a batch of prepared rows on its way to the writer.
type civilBatch struct {
	books, records, people, events rowBuf
	words                          rowBuf // SQLite: the units' name words new to the import (civil_name_words)
	// firstPerson and lastPerson bound the ids of the batch's people, whose
	// names go to SQLite's name index (see writeTerms).
	firstPerson, lastPerson int64
}

// civilAnalyzeAfter is the size of an import after which PostgreSQL's
// statistics are refreshed and SQLite's name index merged into one segment
// at once.
const civilAnalyzeAfter = 10000

type civilBookKey struct {
	unit, kind string
	year       int
	number     string
}

type civilImportBook struct {
	civil.Book
	added   int64 // records the import put in it
	isNew   bool
	entries map[string]bool // the entry numbers the book had before the import, read at its first record
}

// civilImport is one import's state.
type civilImport struct {
	ctx   context.Context // the import's, for the batches add writes
	db    *DB
	tx    bulkTx
	ids   civilIDs
	at    time.Time
	books map[civilBookKey]*civilImportBook

	// The caller's goroutine validates and prepares the rows of a batch
	// (cur) while the writer writes the one before: on two CPUs the
	// preparation costs the import no time. Only the writer uses tx until
	// it stops.
	cur        *civilBatch
	work, free chan *civilBatch
	done       chan error
	failed     atomic.Pointer[error]

	pending, count int

	firstID int64 // the import's first record: its records are those from it on

	lite  *liteConn          // SQLite: the name index's terms and words are written by the import
	words map[[2]string]bool // SQLite: the (unit, word) pairs of the name words already sent
}

var (
	civilRecordsTable = bulkTable{name: "civil_records", cols: `id, unit_code, book_id, kind, page, entry, registered_on, officer,
		declarant_name, declarant_relation, status, source, dossier_code, scan_sha256, entered_by, entered_at, verified_by, verified_at,
		amends, merged_into, data, created_at, version, event_count, last_hash`}
	civilPeopleTable = bulkTable{name: "civil_people", cols: `id, record_id, unit_code, position, role, full_name, name_fold, name_words,
		sex, birth_date, birth_year, birth_place, home_town, ethnicity, nationality, id_number, residence`}
	civilEventsTable = bulkTable{name: "civil_events", cols: `record_id, seq, action, actor, actor_name, actor_role, actor_unit, at,
		from_status, to_status, note, prev_hash, hash`}
	civilWordsTable = bulkTable{name: "civil_name_words", cols: "unit_code, word", suffix: " ON CONFLICT DO NOTHING"}
	// civilBooksTable adds the import's records to the counters of the
	// books that were there.
	civilBooksTable = bulkTable{name: "civil_books", cols: "id, unit_code, kind, year, number, origin, note, entered, verified, created_at",
		suffix: " ON CONFLICT (id) DO UPDATE SET entered = civil_books.entered + excluded.entered"}
)

// loadBooks reads the books there are, to find each record's.
func (imp *civilImport) loadBooks(ctx context.Context) error {
	rows, err := imp.db.query(ctx, `SELECT id, unit_code, kind, year, number, origin, note, created_at FROM civil_books`)
	if err != nil {
		return normalize(err)
	}
	defer rows.Close()
	for rows.Next() {
		var b civilImportBook
		var created int64
		if err := rows.Scan(&b.ID, &b.UnitCode, &b.Kind, &b.Year, &b.Number, &b.Origin, &b.Note, &created); err != nil {
			return normalize(err)
		}
		b.Created = fromMicros(created)
		imp.books[civilBookKey{b.UnitCode, b.Kind, b.Year, vntext.Fold(b.Number)}] = &b
	}
	return normalize(rows.Err())
}

// add prepares a valid record's rows; every civilImportBatch records they
// are written.
func (imp *civilImport) add(r *civil.Record, bookYear int, bookNumber, note string) error {
	b, err := imp.book(r, bookYear, bookNumber)
	if err != nil {
		return err
	}
	if err := imp.newEntry(b, r.Entry); err != nil {
		return err
	}
	if r.ID, err = imp.ids.next(imp.ctx, "civil_records"); err != nil {
		return err
	}
	if imp.firstID == 0 {
		imp.firstID = r.ID
	}
	r.BookID, r.Source, r.Version = b.ID, civil.SourceImport, 1
	if r.CreatedAt.IsZero() {
		r.CreatedAt = imp.at
	}
	if r.EnteredAt.IsZero() {
		r.EnteredAt = imp.at
	}
	ev := civil.Event{Seq: 1, Action: "import", Actor: "import", ActorName: "Nhập từ tệp", ActorRole: "system", ActorUnit: r.UnitCode,
		At: imp.at, ToStatus: statusOf(r.Status), Note: civil.DigestNote(r.Digest(), note)}
	ev.Seal(civil.ChainName(r.ID), "")
	imp.recordRow(r, ev.Hash)
	for i, p := range r.People {
		id, err := imp.ids.next(imp.ctx, "civil_people")
		if err != nil {
			return err
		}
		words := civilNameWords(p.FullName)
		imp.personRow(id, r, i, p, strings.Join(words, " "))
		if imp.lite != nil {
			imp.nameWords(r.UnitCode, words)
		}
		if imp.cur.firstPerson == 0 {
			imp.cur.firstPerson = id
		}
		imp.cur.lastPerson = id
	}
	imp.eventRow(r.ID, ev)
	enteredDelta, _ := statusCounts(r.Status)
	b.added += int64(enteredDelta)
	imp.count++
	if imp.pending++; imp.pending >= civilImportBatch {
		return imp.send()
	}
	return nil
}

// book finds the record's book, or makes it (paper: an import digitises
// old books).
// newEntry refuses a record whose entry number its book already had
// before the import (the file's own repeats are refused as it is read):
// importing a file twice, or a book already entered by hand, would
// otherwise register every record twice.
func (imp *civilImport) newEntry(b *civilImportBook, entry string) error {
	if b.isNew || entry == "" {
		return nil
	}
	if b.entries == nil {
		entries, err := column[string](imp.db.query(imp.ctx, `SELECT entry FROM civil_records WHERE book_id = ?`, b.ID))
		if err != nil {
			return err
		}
		b.entries = make(map[string]bool, len(entries))
		for _, e := range entries {
			b.entries[e] = true
		}
	}
	if b.entries[entry] {
		return apperr.Invalid("entry", fmt.Sprintf("Số %s đã có trong quyển %s năm %d", entry, b.Number, b.Year),
			fmt.Sprintf("entry %s is already in book %s of %d", entry, b.Number, b.Year))
	}
	return nil
}

func (imp *civilImport) book(r *civil.Record, year int, number string) (*civilImportBook, error) {
	number = vntext.Clean(number)
	key := civilBookKey{r.UnitCode, r.Kind, year, vntext.Fold(number)}
	if b := imp.books[key]; b != nil {
		return b, nil
	}
	b := &civilImportBook{Book: civil.Book{UnitCode: r.UnitCode, Kind: r.Kind, Year: year, Number: number, Origin: civil.OriginPaper,
		Created: imp.at}, isNew: true, entries: map[string]bool{}}
	if err := b.Validate(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		return nil, err
	}
	var err error
	if b.ID, err = imp.ids.next(imp.ctx, "civil_books"); err != nil {
		return nil, err
	}
	imp.books[key] = b
	civilBookRow(&imp.cur.books, b, 0) // written before the batch's records; its count at the end (writeBooks)
	return b, nil
}

func (imp *civilImport) recordRow(r *civil.Record, hash string) {
	w := &imp.cur.records
	w.row()
	w.int(r.ID)
	w.text(r.UnitCode)
	w.int(r.BookID)
	for _, v := range []string{r.Kind, r.Page, r.Entry, r.RegisteredOn, r.Officer, r.Declarant.Name, r.Declarant.Relation} {
		w.text(v)
	}
	w.int(int64(r.Status))
	for _, v := range []string{r.Source, r.DossierCode, r.ScanSHA256, r.EnteredBy} {
		w.text(v)
	}
	w.int(micros(r.EnteredAt))
	w.text(r.VerifiedBy)
	w.int(micros(r.VerifiedAt))
	w.int(r.Amends)
	w.int(r.MergedInto)
	w.text(civilDataOf(r))
	w.int(micros(r.CreatedAt))
	w.int(int64(r.Version))
	w.int(1)
	w.text(hash)
}

// personRow adds a person's row; words is civilIndexWords of the name.
func (imp *civilImport) personRow(id int64, r *civil.Record, pos int, p civil.Person, words string) {
	w := &imp.cur.people
	w.row()
	w.int(id)
	w.int(r.ID)
	w.text(r.UnitCode)
	w.int(int64(pos))
	for _, v := range []string{p.Role, p.FullName, vntext.Fold(p.FullName), words, p.Sex, p.BirthDate} {
		w.text(v)
	}
	w.int(int64(p.BirthYear()))
	for _, v := range []string{p.BirthPlace, p.HomeTown, p.Ethnicity, p.Nationality, p.IDNumber, p.Residence} {
		w.text(v)
	}
}

// nameWords adds the words of a name (civilNameWords) that the import has
// not met yet in the unit to the batch's rows of civil_name_words (the
// triggers that keep it are dropped during the import, see withoutTriggers).
func (imp *civilImport) nameWords(unit string, words []string) {
	for _, w := range words {
		if k := [2]string{unit, w}; !imp.words[k] {
			imp.words[k] = true
			imp.cur.words.row()
			imp.cur.words.text(unit)
			imp.cur.words.text(w)
		}
	}
}

func (imp *civilImport) eventRow(record int64, ev civil.Event) {
	w := &imp.cur.events
	w.row()
	w.int(record)
	w.int(int64(ev.Seq))
	for _, v := range []string{ev.Action, ev.Actor, ev.ActorName, ev.ActorRole, ev.ActorUnit} {
		w.text(v)
	}
	w.int(micros(ev.At))
	w.int(int64(ev.FromStatus))
	w.int(int64(ev.ToStatus))
	for _, v := range []string{ev.Note, ev.PrevHash, ev.Hash} {
		w.text(v)
	}
}

// startWriter starts the goroutine that writes the batches, in order.
func (imp *civilImport) startWriter() {
	imp.cur = &civilBatch{}
	imp.work, imp.free, imp.done = make(chan *civilBatch, 1), make(chan *civilBatch, 2), make(chan error, 1)
	go imp.writer()
}

// send hands the current batch to the writer and takes an empty one. It
// returns the writer's error, if it failed: the import then stops.
func (imp *civilImport) send() error {
	if err := imp.failed.Load(); err != nil {
		return *err
	}
	if imp.pending == 0 {
		return nil
	}
	select {
	case imp.work <- imp.cur:
	case <-imp.ctx.Done():
		return imp.ctx.Err()
	}
	select {
	case imp.cur = <-imp.free:
	default:
		imp.cur = &civilBatch{}
	}
	imp.pending = 0
	return nil
}

// stopWriter waits for the writer to write what it was sent and returns
// its error. The transaction is the caller's again afterwards.
func (imp *civilImport) stopWriter() error {
	close(imp.work)
	return <-imp.done
}

// writer writes the batches it is sent. After a failure it keeps draining
// the channel, so that send never blocks, and send reports the error.
func (imp *civilImport) writer() {
	var err error
	for batch := range imp.work {
		if err == nil {
			if err = imp.write(batch); err != nil {
				imp.failed.Store(&err)
			}
		}
		*batch = civilBatch{books: batch.books.reset(), records: batch.records.reset(), people: batch.people.reset(), events: batch.events.reset(),
			words: batch.words.reset()}
		select {
		case imp.free <- batch:
		default:
		}
	}
	imp.done <- err
}

// write writes a batch's rows: the new books first (a record refers to its
// book), then records, people and events, then the people's names to
// SQLite's name index.
func (imp *civilImport) write(batch *civilBatch) error {
	for _, t := range []struct {
		t    bulkTable
		rows *rowBuf
	}{{bulkTable{name: "civil_books", cols: civilBooksTable.cols}, &batch.books}, {civilRecordsTable, &batch.records},
		{civilPeopleTable, &batch.people}, {civilEventsTable, &batch.events}, {civilWordsTable, &batch.words}} {
		if t.rows.rows == 0 {
			continue
		}
		if err := imp.tx.insert(imp.ctx, t.t, t.rows); err != nil {
			return fmt.Errorf("%s: %w", t.t.name, civilImportConflict(err))
		}
	}
	return imp.writeTerms(batch)
}

// civilTermsSQL is a person's terms in SQLite's name index, as its
// triggers write them (migration 0037): each word of the folded name
// prefixed with the unit's code, and the birth year after two underscores.
const civilTermsSQL = `unit_code || '_' || replace(name_words, ' ', ' ' || unit_code || '_')
	|| CASE WHEN birth_date <> '' THEN ' ' || unit_code || '__' || substr(birth_date, 1, 4) ELSE '' END`

// writeTerms adds the batch's people to the SQLite name index in one
// statement (see withoutTriggers), from their rows just written: the terms
// the name index's trigger would have written (civilTermsSQL).
func (imp *civilImport) writeTerms(batch *civilBatch) error {
	if imp.lite == nil || batch.firstPerson == 0 {
		return nil
	}
	return imp.lite.exec(fmt.Sprintf(`INSERT INTO civil_names (rowid, terms)
		SELECT id, `+civilTermsSQL+` FROM civil_people WHERE id BETWEEN %d AND %d`,
		batch.firstPerson, batch.lastPerson))
}

// writeBooks adds the import's records to their books' counters.
func (imp *civilImport) writeBooks(ctx context.Context) error {
	var rows rowBuf
	for _, b := range imp.books {
		if b.added > 0 {
			civilBookRow(&rows, b, b.added)
		}
	}
	if rows.rows == 0 {
		return nil
	}
	return imp.tx.insert(ctx, civilBooksTable, &rows)
}

func civilBookRow(w *rowBuf, b *civilImportBook, entered int64) {
	w.row()
	w.int(b.ID)
	w.text(b.UnitCode)
	w.text(b.Kind)
	w.int(int64(b.Year))
	w.text(b.Number)
	w.text(b.Origin)
	w.text(b.Note)
	w.int(entered)
	w.int(0)
	w.int(micros(b.Created))
}

// civilImportConflict says what a conflict during an import means: a book
// created or a record written by someone else meanwhile.
func civilImportConflict(err error) error {
	if err == nil || apperr.Code(normalize(err)) != apperr.ECONFLICT {
		return err
	}
	return apperr.Conflict("Sổ hoặc bản ghi vừa được người khác tạo trong lúc nhập: hãy nhập lại",
		"a book or record was created by someone else during the import: import again")
}

// civilIDs hands out the ids of new rows.
type civilIDs interface {
	next(ctx context.Context, table string) (int64, error)
}

// liteIDs counts on from the largest ids: the import holds SQLite's write
// lock, so nobody else takes one meanwhile.
type liteIDs map[string]int64

func newLiteIDs(c *liteConn) (liteIDs, error) {
	ids := liteIDs{}
	for _, t := range []string{"civil_records", "civil_people", "civil_books"} {
		s, err := c.queryText(`SELECT COALESCE(MAX(id), 0) FROM ` + t)
		if err != nil {
			return nil, err
		}
		if ids[t], err = strconv.ParseInt(s, 10, 64); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

func (ids liteIDs) next(_ context.Context, table string) (int64, error) {
	ids[table]++
	return ids[table], nil
}

// pgIDs takes ids from the tables' identity sequences, a block at a time,
// so that writers running beside the import never collide with it. It
// reads them through the pool, not the import's transaction, which the
// writer is using meanwhile: a sequence is not transactional anyway.
type pgIDs struct {
	db   *DB
	free map[string][]int64
}

const pgIDBlock = 10000

func (ids *pgIDs) next(ctx context.Context, table string) (int64, error) {
	if ids.free == nil {
		ids.free = map[string][]int64{}
	}
	if len(ids.free[table]) == 0 {
		block, err := column[int64](ids.db.query(ctx, `SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)`, table, pgIDBlock))
		if err != nil {
			return 0, normalize(err)
		}
		if len(block) == 0 {
			return 0, errors.New("civil import: no ids from the sequence of " + table)
		}
		ids.free[table] = block
	}
	id := ids.free[table][0]
	ids.free[table] = ids.free[table][1:]
	return id, nil
}

// flagDuplicates flags, in one statement after the load, the imported
// records likely the same as a record registered before or earlier in the
// import, by civil.Likely's rules on the principal person (the first of
// the record): the same folded name and full birth date, with a parent of
// the same folded name (same_parent) or not (name_date). The near-name
// rule (one edit apart) needs an edit distance the engines do not share;
// the review of a unit's duplicates is left to find those.
func (imp *civilImport) flagDuplicates(ctx context.Context, tx bulkTx) error {
	if imp.firstID == 0 {
		return nil
	}
	parents := fmt.Sprintf("('%s', '%s', '%s')", civil.RoleMother, civil.RoleFather, civil.RoleParent)
	sameParent := `EXISTS (SELECT 1 FROM civil_people np JOIN civil_people op ON op.record_id = o.record_id AND op.name_fold = np.name_fold
		WHERE np.record_id = n.record_id AND np.name_fold <> '' AND np.role IN ` + parents + ` AND op.role IN ` + parents + `)`
	return tx.exec(ctx, fmt.Sprintf(`INSERT INTO civil_duplicates (unit_code, a, b, reason, score, created_at)
		SELECT n.unit_code, o.record_id, n.record_id, CASE WHEN %[1]s THEN '%[2]s' ELSE '%[3]s' END, CASE WHEN %[1]s THEN 1 ELSE 0.8 END, %[4]d
		FROM civil_people n JOIN civil_records nr ON nr.id = n.record_id
		JOIN civil_people o ON o.unit_code = n.unit_code AND o.birth_date = n.birth_date AND o.name_fold = n.name_fold
			AND o.role = n.role AND o.position = 0 AND o.record_id < n.record_id
		JOIN civil_records orr ON orr.id = o.record_id AND orr.kind = nr.kind AND orr.status <> %[5]d
		WHERE n.record_id >= %[6]d AND n.position = 0 AND length(n.birth_date) = 10 AND nr.kind <> '%[7]s'
		ON CONFLICT (a, b) DO NOTHING`,
		sameParent, civil.DupSameParent, civil.DupNameDate, micros(imp.at), civil.StatusMerged, imp.firstID, civil.KindChange))
}
