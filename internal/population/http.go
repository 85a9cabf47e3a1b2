package population

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// The wire format of the registry's look-up, as HTTPRegistry speaks it and
// popserver answers it:
//
//	POST {base}/v1/cong-dan/tra-cuu
//	X-API-Key: {key}
//	Content-Type: application/json
//	{"so_dinh_danh": "001090012345"}
//
// answered 200 with
//
//	{"so_dinh_danh": "001090012345", "ho_ten": "Nguyễn Văn An",
//	 "ngay_sinh": "1990-05-02", "gioi_tinh": "nam", "thuong_tru": "..."}
//
// (ngay_sinh YYYY-MM-DD, YYYY-MM or YYYY; gioi_tinh "nam" or "nu"), 404 when
// the number is unknown, 401 for a wrong key. Any other answer, or an
// answer of another number, counts as the registry being unavailable.
const LookupPath = "/v1/cong-dan/tra-cuu"

// KeyHeader carries the API key.
const KeyHeader = "X-API-Key"

// WireRequest is the body of a look-up.
type WireRequest struct {
	IDNumber string `json:"so_dinh_danh"`
}

// WirePerson is the body of a found person.
type WirePerson struct {
	IDNumber  string `json:"so_dinh_danh"`
	FullName  string `json:"ho_ten"`
	BirthDate string `json:"ngay_sinh"`
	Sex       string `json:"gioi_tinh"`
	Residence string `json:"thuong_tru"`
}

// The wire's words for the sexes.
const (
	wireMale   = "nam"
	wireFemale = "nu"
)

// ToPerson reads a wire person, checking its shape.
func (w WirePerson) ToPerson() (Person, error) {
	p := Person{IDNumber: w.IDNumber, FullName: strings.TrimSpace(w.FullName), BirthDate: w.BirthDate, PermanentResidence: strings.TrimSpace(w.Residence)}
	switch w.Sex {
	case wireMale:
		p.Sex = "male"
	case wireFemale:
		p.Sex = "female"
	default:
		return p, fmt.Errorf("gioi_tinh %q is neither %q nor %q", w.Sex, wireMale, wireFemale)
	}
	if p.FullName == "" || len(p.FullName) > 200 || len(p.PermanentResidence) > 500 {
		return p, errors.New("ho_ten empty or too long, or thuong_tru too long")
	}
	if !validDate(p.BirthDate) {
		return p, fmt.Errorf("ngay_sinh %q is not YYYY-MM-DD, YYYY-MM or YYYY", p.BirthDate)
	}
	return p, nil
}

// FromPerson writes a person on the wire.
func FromPerson(p Person) WirePerson {
	sex := wireMale
	if p.Sex == "female" {
		sex = wireFemale
	}
	return WirePerson{IDNumber: p.IDNumber, FullName: p.FullName, BirthDate: p.BirthDate, Sex: sex, Residence: p.PermanentResidence}
}

func validDate(s string) bool {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if len(s) == len(layout) {
			_, err := time.Parse(layout, s)
			return err == nil
		}
	}
	return false
}

// HTTPRegistry looks people up over HTTP in the wire format above.
type HTTPRegistry struct {
	BaseURL string // e.g. https://csdldc.example.gov.vn/api: https, unless the registry is on the local machine
	Key     string
	Client  *http.Client // nil: one with Timeout; redirects are never followed either way
	Timeout time.Duration
}

// Bounds of a look-up.
const (
	DefaultTimeout = 10 * time.Second
	maxAnswer      = 64 << 10
)

// NewHTTPRegistry is a registry at baseURL with key and the default timeout.
func NewHTTPRegistry(baseURL, key string) *HTTPRegistry {
	return &HTTPRegistry{BaseURL: strings.TrimRight(baseURL, "/"), Key: key, Timeout: DefaultTimeout}
}

// Lookup asks the registry for idNumber.
func (h *HTTPRegistry) Lookup(ctx context.Context, idNumber string) (Person, error) {
	timeout := h.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	body, _ := json.Marshal(WireRequest{IDNumber: idNumber})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(h.BaseURL, "/")+LookupPath, bytes.NewReader(body))
	if err != nil {
		return Person{}, unavailable(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set(KeyHeader, h.Key)
	c := http.Client{Timeout: timeout}
	if h.Client != nil {
		c = *h.Client
	}
	// The key goes to the configured host only: a redirect is an answer of
	// its own (and so the registry being unavailable), never followed.
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		return Person{}, unavailable(err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return Person{}, ErrNotFound
	default:
		return Person{}, unavailable(fmt.Errorf("answered %s", resp.Status))
	}
	p, err := DecodeAnswer(resp.Body, idNumber)
	if err != nil {
		return Person{}, unavailable(err)
	}
	return p, nil
}

// DecodeAnswer reads the registry's answer about idNumber: one JSON object
// of the wire format, 64 KiB at most, no unknown field, about that number,
// with a name, a sex and a date the client reads.
func DecodeAnswer(r io.Reader, idNumber string) (Person, error) {
	var w WirePerson
	dec := json.NewDecoder(io.LimitReader(r, maxAnswer))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Person{}, fmt.Errorf("answer: %w", err)
	}
	if dec.More() {
		return Person{}, errors.New("answer: more than one JSON value")
	}
	if w.IDNumber != idNumber {
		return Person{}, errors.New("answered for another number")
	}
	p, err := w.ToPerson()
	if err != nil {
		return Person{}, fmt.Errorf("answer: %w", err)
	}
	return p, nil
}

// unavailable wraps the cause in ErrUnavailable's code and messages, so the
// server's log tells why while the caller is told only that the registry
// did not answer.
func unavailable(cause error) error {
	return &unavailableError{cause: cause}
}

type unavailableError struct{ cause error }

func (e *unavailableError) Error() string {
	return "population database unavailable: " + e.cause.Error()
}
func (e *unavailableError) Unwrap() []error {
	return []error{ErrUnavailable, e.cause}
}
