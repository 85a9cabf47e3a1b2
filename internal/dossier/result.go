package dossier

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/vntext"
)

// ResultDoc is the document that processing produced (the result), as
// recorded when the dossier is finished: its number, the day it was signed,
// who signed it, and either the signed file or a note that it is on paper.
type ResultDoc struct {
	Number      string      `json:"number"`
	SignedOn    string      `json:"signed_on"` // YYYY-MM-DD, local date
	Signer      string      `json:"signer"`
	SignerTitle string      `json:"signer_title,omitempty"`
	OnPaper     bool        `json:"on_paper"`
	File        *ResultFile `json:"file,omitempty"` // the signed file: an electronic result
}

// ResultFile is the signed result file, kept among the dossier's
// attachments.
type ResultFile struct {
	ID     int64  `json:"id"`
	SHA256 string `json:"sha256"`
	Name   string `json:"name,omitempty"`
	Size   int64  `json:"size,omitempty"`
}

// ResultRequest is the result document given with finish. File names a
// pending upload of the caller's as "id:sha256" (the reference the upload
// answered with).
type ResultRequest struct {
	Number      string `json:"number"`
	SignedOn    string `json:"signed_on"`
	Signer      string `json:"signer"`
	SignerTitle string `json:"signer_title,omitempty"`
	OnPaper     bool   `json:"on_paper,omitempty"`
	File        string `json:"file,omitempty"`
}

// Electronic tells whether the result was recorded with its signed file.
func (r *ResultDoc) Electronic() bool { return r != nil && r.File != nil }

// Summary is the result document in one line, for the history.
func (r *ResultDoc) Summary() string {
	day := r.SignedOn
	if t, err := time.Parse(time.DateOnly, r.SignedOn); err == nil {
		day = t.Format("02/01/2006")
	}
	s := "Văn bản kết quả số " + r.Number + " ký ngày " + day + ", người ký: " + r.Signer
	if r.SignerTitle != "" {
		s += " (" + r.SignerTitle + ")"
	}
	if r.File != nil {
		return s + "; bản điện tử đã ký"
	}
	return s + "; bản giấy"
}

// check validates the result document of a finish on d and returns it as
// the dossier keeps it.
func (q *ResultRequest) check(d *Dossier, env Env) (*ResultDoc, error) {
	r := &ResultDoc{Number: vntext.Clean(q.Number), SignedOn: strings.TrimSpace(q.SignedOn), Signer: vntext.Clean(q.Signer),
		SignerTitle: vntext.Clean(q.SignerTitle), OnPaper: q.OnPaper}
	switch {
	case r.Number == "":
		return nil, apperr.Invalid("result.number", "Nhập số văn bản kết quả", "enter the result document's number")
	case utf8.RuneCountInString(r.Number) > 100:
		return nil, apperr.Invalid("result.number", "Số văn bản quá dài (tối đa 100 ký tự)", "the document number is too long (100 characters at most)")
	}
	if r.SignedOn == "" { // signed the day it is finished, as most results are
		r.SignedOn = stats.Day(env.Now)
	}
	signed, err := time.ParseInLocation(time.DateOnly, r.SignedOn, stats.Zone)
	if err != nil {
		return nil, apperr.Invalid("result.signed_on", "Ngày ký phải là một ngày hợp lệ, dạng YYYY-MM-DD", "the signing date must be a valid date, YYYY-MM-DD")
	}
	if r.SignedOn > stats.Day(env.Now) {
		return nil, apperr.Invalid("result.signed_on", "Ngày ký không được sau ngày hôm nay", "the signing date must not be in the future")
	}
	if !d.ReceivedAt.IsZero() && r.SignedOn < stats.Day(d.ReceivedAt) {
		return nil, apperr.Invalid("result.signed_on", "Ngày ký không được trước ngày tiếp nhận hồ sơ ("+d.ReceivedAt.In(stats.Zone).Format("02/01/2006")+")",
			"the signing date must not be before the dossier was received ("+stats.Day(d.ReceivedAt)+")")
	}
	r.SignedOn = signed.Format(time.DateOnly)
	switch {
	case r.Signer == "":
		return nil, apperr.Invalid("result.signer", "Nhập họ tên người ký văn bản kết quả", "enter the name of the person who signed the result")
	case utf8.RuneCountInString(r.Signer) > 200 || utf8.RuneCountInString(r.SignerTitle) > 200:
		return nil, apperr.Invalid("result.signer", "Họ tên hoặc chức vụ người ký quá dài (tối đa 200 ký tự)", "the signer's name or title is too long (200 characters at most)")
	}
	ref := strings.TrimSpace(q.File)
	switch {
	case ref == "" && !r.OnPaper:
		return nil, apperr.Invalid("result.file", "Tải lên tệp PDF kết quả đã ký, hoặc ghi nhận kết quả là bản giấy",
			"upload the signed result as a PDF file, or record that the result is on paper")
	case ref != "" && r.OnPaper:
		return nil, apperr.Invalid("result.file", "Chỉ chọn một: tệp kết quả đã ký hoặc kết quả bản giấy",
			"choose one: the signed result file or a result on paper")
	case ref != "":
		f, ok := parseFileRef(ref)
		if !ok {
			return nil, apperr.Invalid("result.file", "Tệp kết quả không hợp lệ; vui lòng tải lên lại", "the result file reference is not valid; upload it again")
		}
		r.File = f
	}
	return r, nil
}

// parseFileRef reads "id:sha256".
func parseFileRef(s string) (*ResultFile, bool) {
	id, sum, _ := strings.Cut(s, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 || len(sum) != 64 {
		return nil, false
	}
	for _, c := range sum {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return nil, false
		}
	}
	return &ResultFile{ID: n, SHA256: sum}, true
}

// resultFileOf is the upload a finish binds to the dossier as its result.
func resultFileOf(action string, d *Dossier) *ResultFile {
	if action != ActFinish || d.Result == nil {
		return nil
	}
	return d.Result.File
}
