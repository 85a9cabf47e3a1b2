package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/store"
)

// civilRecordInput is what an officer enters of a record: its place in
// the book, who registered and declared it, its people and the kind's own
// fields. The kind is the book's; draft keeps it a draft.
type civilRecordInput struct {
	BookID       int64             `json:"book_id"`
	Page         string            `json:"page"`
	Entry        string            `json:"entry"`
	RegisteredOn string            `json:"registered_on"`
	Officer      string            `json:"officer"`
	Declarant    civil.Declarant   `json:"declarant"`
	Source       string            `json:"source"` // digitised, import or direct (default)
	Draft        bool              `json:"draft"`
	People       []civil.Person    `json:"people"`
	Fields       map[string]string `json:"fields"`
}

func (in civilRecordInput) record() civil.Record {
	r := civil.Record{BookID: in.BookID, Page: in.Page, Entry: in.Entry, RegisteredOn: in.RegisteredOn, Officer: in.Officer,
		Declarant: in.Declarant, Source: in.Source, People: in.People, Fields: in.Fields}
	if in.Draft {
		r.Status = civil.StatusDraft
	}
	return r
}

// civilRecordView is a record as the unit's officers read it: with its
// status named, its values as corrected when corrections were registered,
// and the extracts issued from it.
type civilRecordView struct {
	*civil.Record
	StatusName string           `json:"status_name"`
	KindName   string           `json:"kind_name"`
	Current    *civil.Record    `json:"current,omitempty"`
	Issuances  []civil.Issuance `json:"issuances"`
}

func (s *Server) civilRecordView(r *http.Request, rec *civil.Record) (civilRecordView, error) {
	v := civilRecordView{Record: rec, StatusName: civil.StatusName[rec.Status][0], KindName: civil.KindName[rec.Kind][0]}
	if len(rec.Corrections) > 0 {
		c := rec.Current()
		c.Events, c.Corrections = nil, nil
		v.Current = c
	}
	var err error
	v.Issuances, err = store.Civil{DB: s.DB}.Issuances(r.Context(), rec.ID)
	return v, err
}

func (s *Server) writeCivilRecord(w http.ResponseWriter, r *http.Request, status int, rec *civil.Record) {
	v, err := s.civilRecordView(r, rec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, status, v)
}

// addCivilRecord enters a record in one of the unit's books.
func (s *Server) addCivilRecord(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var in civilRecordInput
	if err == nil {
		err = decode(w, r, &in)
	}
	rec := in.record()
	if err == nil {
		err = s.Civil().Enter(r.Context(), a, &rec)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/civil/records/"+strconv.FormatInt(rec.ID, 10))
	s.writeCivilRecord(w, r, http.StatusCreated, &rec)
}

// editCivilRecord completes a draft (from a dossier) or fixes an entry
// not yet verified: the body replaces the record's content.
func (s *Server) editCivilRecord(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var id int64
	if err == nil {
		id, err = pathID(r)
	}
	var in civilRecordInput
	if err == nil {
		err = decode(w, r, &in)
	}
	var rec *civil.Record
	if err == nil {
		rec, err = s.Civil().Edit(r.Context(), a, id, in.record())
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeCivilRecord(w, r, http.StatusOK, rec)
}

// getCivilRecord reads one record: ?reason= (civil.ReadReasons) and
// ?note=, logged with the reader.
func (s *Server) getCivilRecord(w http.ResponseWriter, r *http.Request) {
	rec, err := s.readCivilRecord(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeCivilRecord(w, r, http.StatusOK, rec)
}

// readCivilRecord reads the path's record for the caller, with the
// query's reason and note, logging the read.
func (s *Server) readCivilRecord(r *http.Request) (*civil.Record, error) {
	a, err := requireUser(r)
	if err != nil {
		return nil, err
	}
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	return s.Civil().Get(r.Context(), a, id, q.Get("reason"), q.Get("note"))
}

// searchCivilRecords searches the unit's records: ?q= (name words, an ID
// number or "book/entry"), ?parent=, ?birth_date=, ?birth_year=,
// ?birth_from=, ?birth_to=, ?id_number=, ?kind=, ?book=, ?entry=,
// ?limit=, ?offset=. A search needs a criterion other than the kind; it
// answers summaries of the records, and is logged with its query and the
// records it showed.
func (s *Server) searchCivilRecords(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	q := r.URL.Query()
	cq := civil.Query{Q: q.Get("q"), Parent: q.Get("parent"), BirthDate: q.Get("birth_date"), BirthFrom: q.Get("birth_from"),
		BirthTo: q.Get("birth_to"), IDNumber: q.Get("id_number"), Kind: q.Get("kind"), Entry: q.Get("entry")}
	var book int
	if err == nil {
		err = queryInts(r, map[string]*int{"birth_year": &cq.BirthYear, "book": &book, "limit": &cq.Limit, "offset": &cq.Offset})
	}
	cq.BookID = int64(book)
	var hits []civil.Hit
	var total int
	if err == nil {
		hits, total, err = s.Civil().Search(r.Context(), a, cq)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]civil.HitSummary, len(hits))
	for i, h := range hits {
		out[i] = h.Summary()
	}
	writeJSON(w, http.StatusOK, map[string]any{"hits": out, "total": total})
}

// civilVerifyRequest is the verifier's blind entry of the key fields and,
// to resolve the differences shown, the choice for each differing field:
// "record" (keep) or "blind" (take the blind entry's value).
type civilVerifyRequest struct {
	Fields  map[string]string `json:"fields"`
	Choices map[string]string `json:"choices"`
}

// verifyCivilRecord takes a blind entry (verify) or its resolution
// (resolve): 200 with "verified" true and the record, or false with the
// differences, nothing changed.
func (s *Server) verifyCivilRecord(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var id int64
	if err == nil {
		id, err = pathID(r)
	}
	var req civilVerifyRequest
	if err == nil {
		err = decode(w, r, &req)
	}
	if err == nil && req.Fields == nil {
		err = apperr.Invalid("fields", "Thiếu dữ liệu nhập lại", "the blind entry (fields) is missing")
	}
	var rec *civil.Record
	var diffs []civil.Difference
	if err == nil {
		rec, diffs, err = s.Civil().Verify(r.Context(), a, id, req.Fields, req.Choices)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if rec == nil {
		writeJSON(w, http.StatusOK, map[string]any{"verified": false, "differences": diffs})
		return
	}
	v, err := s.civilRecordView(r, rec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"verified": true, "differences": []civil.Difference{}, "record": v})
}

// correctCivilRecord registers a change or correction of a record: a new
// record of kind change in a change book, amending it.
func (s *Server) correctCivilRecord(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var id int64
	if err == nil {
		id, err = pathID(r)
	}
	var req civil.CorrectionRequest
	if err == nil {
		err = decode(w, r, &req)
	}
	var rec *civil.Record
	if err == nil {
		rec, err = s.Civil().Correct(r.Context(), a, id, req)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/civil/records/"+strconv.FormatInt(rec.ID, 10))
	s.writeCivilRecord(w, r, http.StatusCreated, rec)
}

// uploadCivilScan takes the scanned page a record was entered from: a
// multipart "file" part, a JPEG, PNG or PDF by its name and first bytes,
// within the upload limits, stored in the blob store.
func (s *Server) uploadCivilScan(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var id int64
	if err == nil {
		id, err = pathID(r)
	}
	svc := s.Civil()
	if err == nil {
		err = svc.CheckRegistrar(r.Context(), a, id) // before the upload is read
	}
	var sha string
	if err == nil {
		sha, err = s.readCivilScan(w, r)
	}
	var rec *civil.Record
	if err == nil {
		rec, err = svc.AttachScan(r.Context(), a, id, sha)
		if err != nil {
			s.dropUnusedFiles(r.Context(), []petition.File{{SHA256: sha}})
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeCivilRecord(w, r, http.StatusOK, rec)
}

// readCivilScan stores the request's "file" part and returns its checksum.
func (s *Server) readCivilScan(w http.ResponseWriter, r *http.Request) (string, error) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return "", apperr.Invalid("file", "Gửi tệp dưới dạng multipart/form-data, trường \"file\"", "send the file as multipart/form-data, field \"file\"")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFileBytes+maxBody)
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadTime))
	mr, err := r.MultipartReader()
	if err != nil {
		return "", apperr.Invalid("file", "Không đọc được dữ liệu gửi lên", "the body could not be read")
	}
	for {
		p, err := mr.NextPart()
		var tooBig *http.MaxBytesError
		switch {
		case errors.Is(err, io.EOF):
			return "", apperr.Invalid("file", "Thiếu ảnh trang sổ (trường \"file\")", "the page image (field \"file\") is missing")
		case errors.As(err, &tooBig):
			return "", errScanTooLarge
		case err != nil:
			return "", apperr.Invalid("file", "Không đọc được dữ liệu gửi lên", "the body could not be read")
		case p.FormName() != "file":
			continue
		}
		f, err := s.putPetitionFile(r.Context(), p, cleanFileName(p.FileName()), nil)
		if errors.As(err, &tooBig) {
			err = errScanTooLarge
		}
		return f.SHA256, err
	}
}

var errScanTooLarge = apperr.New(apperr.ETOOLARGE, "Ảnh trang sổ quá lớn", "the page image is too large")

// civilScan sends the scanned page of a record: a read of the record,
// with its reason, logged.
func (s *Server) civilScan(w http.ResponseWriter, r *http.Request) {
	rec, err := s.readCivilScanRecord(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.sendCivilScan(w, r, rec, s.fail)
}

func (s *Server) readCivilScanRecord(r *http.Request) (*civil.Record, error) {
	rec, err := s.readCivilRecord(r)
	if err == nil && rec.ScanSHA256 == "" {
		err = apperr.NotFound("Bản ghi chưa có ảnh trang sổ", "the record has no scanned page")
	}
	return rec, err
}

// sendCivilScan sends a record's scan with its type told by its first
// bytes (the pages use it too).
func (s *Server) sendCivilScan(w http.ResponseWriter, r *http.Request, rec *civil.Record, fail func(http.ResponseWriter, *http.Request, error)) {
	if s.Files == nil {
		fail(w, r, errFileGone)
		return
	}
	body, err := s.Files.Open(r.Context(), rec.ScanSHA256)
	if err != nil {
		fail(w, r, errFileGone)
		return
	}
	_, typ, err := sniff(body)
	body.Close()
	if err != nil {
		fail(w, r, err)
		return
	}
	ext := map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}[typ]
	// sendFile names its owner by a dossier's code in its log line only.
	s.sendFile(w, r, &dossier.Dossier{Code: civil.ChainName(rec.ID)}, &store.Attachment{FileName: civil.ChainName(rec.ID) + ext,
		ContentType: typ, SHA256: rec.ScanSHA256, UploadedAt: rec.CreatedAt}, fail)
}
