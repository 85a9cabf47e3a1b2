package web

import (
	"context"
	"net/http/httptest"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/population"
	"github.com/motcua/motcua/internal/population/popserver"
	"github.com/motcua/motcua/internal/store"
)

// The national population database: the officers of a unit look people up
// for the dossiers they can see (another ward's officers find no such
// dossier, applicants are refused); the leaders and administrators of each
// unit read their own unit's log of look-ups, never another's.
const populationReason = "Đối chiếu hồ sơ mẫu"

var populationReaders = []string{leader, admin, leaderX, adminX}

func init() {
	verify := `{"id_number":"001190012345","reason":"Kiểm tra","dossier_code":"{own}"}`
	for p, cases := range map[string][]authzCase{
		"POST /api/v1/population/verify":      {{"/api/v1/population/verify", verify, unitStaff}},
		"GET /api/v1/population/lookups":      {{"/api/v1/population/lookups", "", populationReaders}},
		"POST /ho-so/{code}/doi-chieu-dan-cu": {{"/ho-so/{own}/doi-chieu-dan-cu", "id_number=001190012345&reason=Ki%E1%BB%83m+tra", unitStaff}},
		"GET /quan-tri/tra-cuu-dan-cu":        {{"/quan-tri/tra-cuu-dan-cu", "", populationReaders}},
	} {
		authzMatrix[p] = cases
	}
	// Only a look-up seals a check into the history: the actions endpoint
	// refuses population_check to every caller, the officers who may look up
	// included.
	p := "POST /api/v1/dossiers/{code}/actions/{action}"
	authzMatrix[p] = append(authzMatrix[p], authzCase{"/api/v1/dossiers/{own}/actions/population_check", `{"note":"khớp (người nộp)"}`, nobody})
	authzSecrets["/api/v1/population/lookups "] = []authzSecret{{populationReason, []string{leader, admin}}}
	authzSecrets["/quan-tri/tra-cuu-dan-cu "] = []authzSecret{{populationReason, []string{leader, admin}}}
}

// populationObjects gives the server the demo's population database on a
// loopback port and the ward's log a look-up that only its leaders and
// administrators may read.
func (m *authzEnv) populationObjects(s *Server) {
	people, err := popserver.Parse(demo.PopulationPeople())
	if err != nil {
		m.t.Fatal(err)
	}
	reg := httptest.NewServer(&popserver.Handler{People: people, Key: "khoa"})
	m.t.Cleanup(reg.Close)
	s.PopulationRegistry = population.NewHTTPRegistry(reg.URL, "khoa")
	e := population.Entry{At: m.f.Clock.Now(), Username: counter, ActorRole: "counter", UnitCode: demo.Ward, IDNumber: "001190012345",
		Reason: populationReason, Outcome: population.Match}
	if err := (store.Population{DB: m.f.DB}).AddLookup(context.Background(), &e); err != nil {
		m.t.Fatal(err)
	}
}
