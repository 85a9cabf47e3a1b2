package news

import (
	"testing"

	"github.com/motcua/motcua/internal/auth"
)

// TestCanWriteNotGroups: a commune's leaders and administrators write and
// its leaders review, but a residential group's leader ("<commune>-NN")
// neither writes nor publishes, even in its own unit.
func TestCanWriteNotGroups(t *testing.T) {
	for _, c := range []struct {
		a             auth.Actor
		write, review bool
	}{
		{auth.Actor{UnitCode: "00004", Role: auth.RoleLeader}, true, true},
		{auth.Actor{UnitCode: "00004", Role: auth.RoleAdmin}, true, false},
		{auth.Actor{UnitCode: "00004-01", Role: auth.RoleLeader}, false, false},
		{auth.Actor{UnitCode: "00004-01", Role: auth.RoleAdmin}, false, false},
	} {
		if got := CanWrite(c.a, c.a.UnitCode); got != c.write {
			t.Errorf("CanWrite(%v) = %v", c.a, got)
		}
		if got := CanReview(c.a, c.a.UnitCode); got != c.review {
			t.Errorf("CanReview(%v) = %v", c.a, got)
		}
	}
}
