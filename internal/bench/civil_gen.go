package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/unit"
)

// civilPerson is a generated person the searches look for.
type civilPerson struct {
	unit, name, mother, id string
	birthYear              int
}

// civilGen generates a province's register: births (seven in ten),
// marriages and deaths registered from 1930 to 2025, more in recent years,
// in communes of different sizes, each book's entries numbered in order.
type civilGen struct {
	r        *rand.Rand
	communes []unit.Unit
	sizes    weighted
	place    string // the province's code of birth registration, for ID numbers
	entries  map[civilBookKey]int
	people   int
	sample   []civilPerson // births' children, a reservoir sample
	withID   []civilPerson // people with an ID number
	seen     [2]int
}

type civilBookKey struct {
	unit, kind string
	year       int
}

// civilSampleSize is how many people the searches pick from.
const civilSampleSize = 20000

func newCivilGen(seed uint64, province unit.Unit, communes []unit.Unit) *civilGen {
	r := rand.New(rand.NewPCG(seed, 0xc1))
	ws := make([]float64, len(communes))
	for i := range ws {
		ws[i] = 0.3 + r.Float64()*1.7 // communes differ in size up to sixfold
	}
	place := "0" + province.Code
	if _, ok := provinceSet[place]; !ok {
		place = provinceCodes[0]
	}
	return &civilGen{r: r, communes: communes, sizes: newWeighted(ws), place: place, entries: map[civilBookKey]int{}}
}

var provinceSet = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range provinceCodes {
		m[c] = true
	}
	return m
}()

// record makes the next record with its book's year and number.
func (g *civilGen) record() (civil.Record, int, string) {
	r := g.r
	u := g.communes[g.sizes.pick(r)]
	year := min(2025, 1930+int(96*math.Sqrt(r.Float64()))) // more registrations in recent years
	kind := civil.KindBirth
	switch x := r.IntN(100); {
	case x >= 85:
		kind = civil.KindDeath
	case x >= 70:
		kind = civil.KindMarriage
	}
	key := civilBookKey{u.Code, kind, year}
	g.entries[key]++
	entry := g.entries[key]
	day := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(300))
	reg := day.AddDate(0, 0, 1+r.IntN(60))
	rec := civil.Record{UnitCode: u.Code, Kind: kind, Entry: strconv.Itoa(entry), Page: strconv.Itoa(entry/4 + 1),
		RegisteredOn: reg.Format(time.DateOnly), Officer: civilName(r, r.IntN(2) == 0, ""), Status: civil.StatusEntered,
		Source: civil.SourceImport}
	switch kind {
	case civil.KindBirth:
		g.birth(&rec, u, day)
	case civil.KindMarriage:
		husband := g.person(civil.RoleHusband, false, "", year-22-r.IntN(14), u)
		wife := g.person(civil.RoleWife, true, "", year-20-r.IntN(14), u)
		rec.People = []civil.Person{husband, wife}
		rec.Declarant = civil.Declarant{Name: husband.FullName, Relation: "chồng"}
	default:
		dead := g.person(civil.RoleDeceased, r.IntN(2) == 0, "", max(1850, year-40-r.IntN(56)), u)
		rec.People = []civil.Person{dead}
		rec.Fields = map[string]string{"death_date": day.Format(time.DateOnly), "death_place": u.FullName}
		rec.Declarant = civil.Declarant{Name: civilName(r, r.IntN(2) == 0, ""), Relation: "con"}
	}
	g.people += len(rec.People)
	return rec, year, "01"
}

// birth fills a birth record: the child, born on day, takes the father's
// family name; the parents are twenty to forty years older.
func (g *civilGen) birth(rec *civil.Record, u unit.Unit, day time.Time) {
	r := g.r
	father := g.person(civil.RoleFather, false, "", day.Year()-22-r.IntN(19), u)
	mother := g.person(civil.RoleMother, true, "", day.Year()-20-r.IntN(19), u)
	family := firstWord(father.FullName)
	female := r.IntN(2) == 1
	child := civil.Person{Role: civil.RoleChild, FullName: civilName(r, female, family), Sex: sexName(female),
		BirthDate: day.Format(time.DateOnly), BirthPlace: u.FullName, Ethnicity: "Kinh", Nationality: "Việt Nam"}
	if day.Year() >= 1975 && r.IntN(10) < 6 {
		child.IDNumber = g.idNumber(day.Year(), female)
	}
	rec.People = []civil.Person{child, mother, father}
	rec.Declarant = civil.Declarant{Name: father.FullName, Relation: "cha"}
	p := civilPerson{unit: u.Code, name: child.FullName, mother: mother.FullName, id: child.IDNumber, birthYear: day.Year()}
	g.keep(&g.sample, 0, p)
	if p.id != "" {
		g.keep(&g.withID, 1, p)
	}
}

// person makes a parent, spouse or deceased born in the year (only the
// year, as old books often give it).
func (g *civilGen) person(role string, female bool, family string, year int, u unit.Unit) civil.Person {
	p := civil.Person{Role: role, FullName: civilName(g.r, female, family), Sex: sexName(female), BirthDate: strconv.Itoa(year),
		Residence: u.FullName}
	if year >= 1975 && g.r.IntN(10) < 5 {
		p.IDNumber = g.idNumber(year, female)
		g.keep(&g.withID, 1, civilPerson{unit: u.Code, name: p.FullName, id: p.IDNumber, birthYear: year})
	}
	return p
}

// idNumber makes a 12-digit personal ID number: the province's code, the
// century and sex digit, the year's two digits, six random digits.
func (g *civilGen) idNumber(year int, female bool) string {
	sex := (year/100 - 19) * 2
	if female {
		sex++
	}
	return fmt.Sprintf("%s%d%02d%06d", g.place, sex, year%100, g.r.IntN(1_000_000))
}

// keep adds p to a reservoir sample.
func (g *civilGen) keep(dst *[]civilPerson, which int, p civilPerson) {
	g.seen[which]++
	if len(*dst) < civilSampleSize {
		*dst = append(*dst, p)
		return
	}
	if j := g.r.IntN(g.seen[which]); j < civilSampleSize {
		(*dst)[j] = p
	}
}

func sexName(female bool) string {
	if female {
		return "female"
	}
	return "male"
}

func firstWord(s string) string {
	for i, c := range s {
		if c == ' ' {
			return s[:i]
		}
	}
	return s
}
