// Package announce holds the residential groups' side of a commune: the
// announcements its leaders send to one, several or all of its groups
// (tổ dân phố, thôn), and the residents who follow a group by e-mail, SMS or
// Zalo without an account. An announcement is shown on its groups' public
// pages and, once its publication time has come, sent once to each
// confirmed subscriber of each group it targets, through the outbox.
package announce

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/unit"
	"github.com/motcua/motcua/internal/vntext"
)

// Limits of an announcement, in characters.
const (
	MaxTitle = 200
	MaxBody  = 5000
	// MaxTargets bounds the groups one announcement lists (a district's
	// 181 groups fit; "all groups" lists none).
	MaxTargets = 500
)

// Announcement is a commune's notice to its residential groups. Body is
// plain text: paragraphs separated by blank lines, shown as written.
type Announcement struct {
	ID         int64     `json:"id"`
	UnitCode   string    `json:"unit"` // the commune, ward or special zone
	Title      string    `json:"title"`
	Body       string    `json:"body"`
	AllGroups  bool      `json:"all_groups"`
	Groups     []string  `json:"groups,omitempty"` // the targeted groups' codes when not all
	PublishAt  time.Time `json:"publish_at"`
	ExpiresAt  time.Time `json:"expires_at,omitzero"` // zero: shown for good
	Author     string    `json:"-"`
	AuthorName string    `json:"author"`
	CreatedAt  time.Time `json:"created_at"`
	SentAt     time.Time `json:"sent_at,omitzero"` // when its messages were enqueued
}

// Normalize cleans the announcement and checks it: a title, a body, at
// least one target of the commune's own, an expiry after the publication.
func (a *Announcement) Normalize() error {
	a.Title = vntext.Clean(a.Title)
	a.Body = cleanBody(a.Body)
	switch {
	case a.Title == "" || utf8.RuneCountInString(a.Title) > MaxTitle:
		return apperr.Invalid("title", "Tiêu đề không được để trống và không quá 200 ký tự", "the title is required and at most 200 characters")
	case a.Body == "" || utf8.RuneCountInString(a.Body) > MaxBody:
		return apperr.Invalid("body", "Nội dung không được để trống và không quá 5.000 ký tự", "the text is required and at most 5,000 characters")
	case a.PublishAt.IsZero():
		return apperr.Invalid("publish_at", "Thiếu thời điểm đăng", "the publication time is missing")
	case !a.ExpiresAt.IsZero() && !a.ExpiresAt.After(a.PublishAt):
		return apperr.Invalid("expires_at", "Thời điểm hết hạn phải sau thời điểm đăng", "the expiry must come after the publication")
	}
	return a.normalizeTargets()
}

func (a *Announcement) normalizeTargets() error {
	if a.AllGroups {
		a.Groups = nil
		return nil
	}
	if len(a.Groups) == 0 {
		return apperr.Invalid("groups", "Chọn ít nhất một tổ dân phố, thôn hoặc “tất cả”", "choose at least one group, or all groups")
	}
	if len(a.Groups) > MaxTargets {
		return apperr.Invalid("groups", "Chọn tối đa 500 tổ dân phố, thôn", "at most 500 groups")
	}
	for i, g := range a.Groups {
		g = strings.TrimSpace(g)
		if unit.GroupCommune(g) != a.UnitCode {
			return apperr.Invalid("groups", "Tổ dân phố, thôn "+g+" không thuộc đơn vị "+a.UnitCode, "group "+g+" is not one of unit "+a.UnitCode+"'s")
		}
		a.Groups[i] = g
	}
	slices.Sort(a.Groups)
	a.Groups = slices.Compact(a.Groups)
	return nil
}

// cleanBody keeps the lines of a text as written, each cleaned, with at
// most one blank line between paragraphs.
func cleanBody(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var out []string
	for _, l := range lines {
		l = vntext.Clean(l)
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// Targets tells whether the announcement is for group.
func (a *Announcement) Targets(group string) bool {
	return (a.AllGroups && unit.GroupCommune(group) == a.UnitCode) || slices.Contains(a.Groups, group)
}

// Shown tells whether the announcement is on its groups' pages at t.
func (a *Announcement) Shown(t time.Time) bool {
	return !a.PublishAt.After(t) && (a.ExpiresAt.IsZero() || t.Before(a.ExpiresAt))
}

// Paragraphs splits the body at its blank lines, for the pages.
func (a *Announcement) Paragraphs() []string {
	return strings.Split(a.Body, "\n\n")
}

// Group is a residential group as the public and the commune see it: the
// unit, the public name of its leader (the full name of the active leader
// account whose unit it is; "" when none) and whether it is still in force.
type Group struct {
	unit.Unit
	Leader string `json:"leader,omitempty"`
}
