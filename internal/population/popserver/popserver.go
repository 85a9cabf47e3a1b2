// Package popserver is a small stand-in for the national population
// database: it answers the look-up of package population's wire format from
// a list of people read from a JSON file, so that the product can be tried
// and tested without the real registry.
package popserver

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/motcua/motcua/internal/population"
)

// Handler answers POST population.LookupPath from People, keyed by ID
// number. Key, when set, must come in the population.KeyHeader header.
type Handler struct {
	People map[string]population.WirePerson
	Key    string
}

// Load reads a JSON array of people in the wire format (so_dinh_danh,
// ho_ten, ngay_sinh, gioi_tinh, thuong_tru) from path. Each must be valid as
// the client reads it, and no number may repeat.
func Load(path string) (map[string]population.WirePerson, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(b)
}

// Parse reads the people of Load from b.
func Parse(b []byte) (map[string]population.WirePerson, error) {
	var list []population.WirePerson
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("people: %w", err)
	}
	out := make(map[string]population.WirePerson, len(list))
	for i, w := range list {
		if _, err := w.ToPerson(); err != nil || w.IDNumber == "" {
			return nil, fmt.Errorf("people: entry %d (%q): %v", i+1, w.IDNumber, err)
		}
		if _, dup := out[w.IDNumber]; dup {
			return nil, fmt.Errorf("people: %q appears twice", w.IDNumber)
		}
		out[w.IDNumber] = w
	}
	return out, nil
}

// ServeHTTP answers one look-up.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != population.LookupPath {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if h.Key != "" && subtle.ConstantTimeCompare([]byte(r.Header.Get(population.KeyHeader)), []byte(h.Key)) != 1 {
		http.Error(w, "wrong key", http.StatusUnauthorized)
		return
	}
	var q population.WireRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, 4<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil || q.IDNumber == "" {
		http.Error(w, "body must be {\"so_dinh_danh\": \"...\"}", http.StatusBadRequest)
		return
	}
	p, ok := h.People[q.IDNumber]
	if !ok {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(p)
}
