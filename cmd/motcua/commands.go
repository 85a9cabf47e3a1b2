package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/unit"
	"github.com/motcua/motcua/internal/vntext"
)

// parse parses flags that may come before or after positional arguments and
// returns the positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// withDB parses the common flags plus the command's own, opens the database
// and returns the positional arguments.
func (m *Main) withDB(ctx context.Context, name string, args []string, own func(*flag.FlagSet)) ([]string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	m.commonFlags(fs)
	if own != nil {
		own(fs)
	}
	pos, err := parse(fs, args)
	if err != nil {
		return nil, err
	}
	return pos, m.open(ctx)
}

func (m *Main) unitsImport(ctx context.Context, args []string) error {
	pos, err := m.withDB(ctx, "units import", args, nil)
	if err != nil {
		return err
	}
	defer m.Close()
	if len(pos) != 1 {
		return fmt.Errorf("usage: motcua units import FILE")
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	units, err := unit.Parse(f)
	if err != nil {
		return err
	}
	res, err := m.DB.ImportUnits(ctx, units)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "units: %d added, %d changed, %d unchanged (Đã thêm %d, cập nhật %d, giữ nguyên %d)\n",
		res.Added, res.Changed, res.Unchanged, res.Added, res.Changed, res.Unchanged)
	return nil
}

func (m *Main) proceduresImport(ctx context.Context, args []string) error {
	pos, err := m.withDB(ctx, "procedures import", args, nil)
	if err != nil {
		return err
	}
	defer m.Close()
	if len(pos) != 1 {
		return fmt.Errorf("usage: motcua procedures import FILE")
	}
	b, err := os.ReadFile(pos[0])
	if err != nil {
		return err
	}
	ps, err := procedure.ParseList(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	res, err := m.DB.SaveProcedures(ctx, ps)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "procedures: %d added, %d changed, %d unchanged\n", res.Added, res.Changed, res.Unchanged)
	return nil
}

func (m *Main) proceduresExport(ctx context.Context, args []string) error {
	pos, err := m.withDB(ctx, "procedures export", args, nil)
	if err != nil {
		return err
	}
	defer m.Close()
	ps, err := store.Procedures{DB: m.DB}.List(ctx, store.ProcedureFilter{})
	if err != nil {
		return err
	}
	if ps == nil {
		ps = []procedure.Procedure{}
	}
	b, err := json.MarshalIndent(ps, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if len(pos) == 1 {
		return os.WriteFile(pos[0], b, 0o644)
	}
	_, err = m.Stdout.Write(b)
	return err
}

func (m *Main) userAdd(ctx context.Context, args []string) error {
	var u auth.User
	_, err := m.withDB(ctx, "user add", args, func(fs *flag.FlagSet) {
		fs.StringVar(&u.Username, "username", "", "username")
		fs.StringVar(&u.FullName, "name", "", "full name")
		fs.StringVar(&u.Role, "role", "", "applicant, counter, specialist, leader or admin")
		fs.StringVar(&u.UnitCode, "unit", "", "unit code")
		fs.StringVar(&u.Department, "department", "", "department code")
		fs.BoolVar(&u.CivilRegistrar, "civil", false, "the officer is a civil registrar (công chức tư pháp - hộ tịch) of the unit")
		fs.StringVar(&u.IDNumber, "id-number", "", "personal ID number (12 digits) or old identity card number (9 digits); spaces, dots and dashes are dropped")
	})
	if err != nil {
		return err
	}
	defer m.Close()
	if u.IDNumber != "" {
		if u.IDNumber, err = vntext.NormalizeIDNumber(u.IDNumber, time.Now()); err != nil {
			return err
		}
	}
	pw := os.Getenv("MOTCUA_PASSWORD")
	if pw == "" {
		fmt.Fprint(m.Stderr, "Mật khẩu / password: ")
		line, _ := bufio.NewReader(m.Stdin).ReadString('\n')
		pw = strings.TrimRight(line, "\r\n")
	}
	if err := m.DB.CreateUser(ctx, &u, pw); err != nil {
		return err
	}
	civil := ""
	if u.CivilRegistrar {
		civil = ", civil registrar"
	}
	fmt.Fprintf(m.Stdout, "user %s (%s%s) created\n", u.Username, u.Role, civil)
	return nil
}

// userIDNumber sets or clears an account's personal ID number: the number
// the sign-in through the identity provider finds the account by.
func (m *Main) userIDNumber(ctx context.Context, args []string) error {
	var name, number string
	var clear bool
	_, err := m.withDB(ctx, "user id-number", args, func(fs *flag.FlagSet) {
		fs.StringVar(&name, "user", "", "username")
		fs.StringVar(&number, "id-number", "", "personal ID number (12 digits) or old identity card number (9 digits); spaces, dots and dashes are dropped")
		fs.BoolVar(&clear, "clear", false, "remove the account's number")
	})
	if err != nil {
		return err
	}
	defer m.Close()
	if name == "" || (number == "") == !clear {
		return fmt.Errorf("usage: motcua user id-number --user NAME (--id-number N | --clear)")
	}
	if !clear {
		if number, err = vntext.NormalizeIDNumber(number, time.Now()); err != nil {
			return err
		}
	}
	if err := m.DB.SetIDNumber(ctx, "", name, number); err != nil {
		return err
	}
	if clear {
		fmt.Fprintf(m.Stdout, "user %s: ID number removed\n", name)
	} else {
		fmt.Fprintf(m.Stdout, "user %s: ID number %s\n", name, number)
	}
	return nil
}

// userUnlink removes the provider identities remembered on an account.
func (m *Main) userUnlink(ctx context.Context, args []string) error {
	var name string
	_, err := m.withDB(ctx, "user unlink", args, func(fs *flag.FlagSet) {
		fs.StringVar(&name, "user", "", "username")
	})
	if err != nil {
		return err
	}
	defer m.Close()
	if name == "" {
		return fmt.Errorf("usage: motcua user unlink --user NAME")
	}
	n, err := store.Identities{DB: m.DB}.Unlink(ctx, name)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "user %s: %d electronic identity link(s) removed\n", name, n)
	return nil
}

func (m *Main) tokenCreate(ctx context.Context, args []string) error {
	var name, label string
	var days int
	_, err := m.withDB(ctx, "token create", args, func(fs *flag.FlagSet) {
		fs.StringVar(&name, "user", "", "username")
		fs.IntVar(&days, "days", auth.TokenDays, "days the token lasts (1 to 3650)")
		fs.StringVar(&label, "label", "token create", "what the token is for, shown in the list of sessions")
	})
	if err != nil {
		return err
	}
	defer m.Close()
	if days < 1 || days > auth.MaxTokenDays {
		return fmt.Errorf("token create: --days must be from 1 to %d", auth.MaxTokenDays)
	}
	u, err := m.DB.UserByName(ctx, name)
	if err != nil {
		return err
	}
	tok, _, err := m.DB.NewToken(ctx, store.TokenSpec{UserID: u.ID, Kind: store.TokenAPI, Label: label, TTL: time.Duration(days) * 24 * time.Hour})
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, tok)
	return nil
}

func (m *Main) auditVerify(ctx context.Context, args []string) error {
	if _, err := m.withDB(ctx, "audit verify", args, nil); err != nil {
		return err
	}
	defer m.Close()
	res, err := m.DB.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if res.FirstBroken != "" {
		fmt.Fprintf(m.Stdout, "audit: %d chains checked; BROKEN: %s at event %d (and %d broken in all)\n",
			res.Checked+res.Petitions+res.Civil, res.FirstBroken, res.BrokenAt, res.Broken)
		return fmt.Errorf("audit chain broken at %s, event %d", res.FirstBroken, res.BrokenAt)
	}
	fmt.Fprintf(m.Stdout, "audit: %d chains checked, %d events, all intact\n", res.Checked, res.Events)
	if res.Petitions > 0 {
		fmt.Fprintf(m.Stdout, "audit: and %d petitions, %d events, all intact\n", res.Petitions, res.PetitionEvents)
	}
	if res.Civil > 0 {
		fmt.Fprintf(m.Stdout, "audit: and %d civil-status records, %d events, chains and contents intact\n", res.Civil, res.CivilEvents)
	}
	if res.Archived > 0 {
		fmt.Fprintf(m.Stdout, "audit: of them %d in the archive\n", res.Archived)
	}
	return nil
}

func (m *Main) calendarShow(ctx context.Context, args []string) error {
	var year int
	var unitCode string
	if _, err := m.withDB(ctx, "calendar show", args, func(fs *flag.FlagSet) {
		fs.IntVar(&year, "year", 0, "year")
		fs.StringVar(&unitCode, "unit", "", "the unit whose calendar to show (default: the national one)")
	}); err != nil {
		return err
	}
	defer m.Close()
	if year == 0 {
		year = m.DB.Now().Year()
	}
	days, err := m.Cals.Year(ctx, unitCode, year)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%d: %d ngày (days)\n", year, len(days))
	for _, d := range days {
		fmt.Fprintf(m.Stdout, "%s  %-8s  %s", d.Date, d.Kind, d.Name)
		if d.Source != "" {
			fmt.Fprintf(m.Stdout, "  [%s]", d.Source)
		}
		fmt.Fprintln(m.Stdout)
	}
	return nil
}

func (m *Main) calendarSet(ctx context.Context, args []string) error {
	return m.calendarChange(ctx, "calendar set", args, false)
}

func (m *Main) calendarUnset(ctx context.Context, args []string) error {
	return m.calendarChange(ctx, "calendar unset", args, true)
}

func (m *Main) calendarChange(ctx context.Context, name string, args []string, unset bool) error {
	ch := store.DayChange{Unset: unset}
	by, unitCode := "", ""
	pos, err := m.withDB(ctx, name, args, func(fs *flag.FlagSet) {
		fs.StringVar(&ch.Kind, "kind", "", "holiday or workday")
		fs.StringVar(&ch.Name, "name", "", "name of the day")
		fs.StringVar(&ch.Reason, "reason", "", "why (e.g. the announcing document)")
		fs.StringVar(&by, "by", envOr("USER", "admin"), "who makes the change")
		fs.StringVar(&unitCode, "unit", "", "the unit whose calendar to change (default: the national one, which every unit inherits)")
	})
	if err != nil {
		return err
	}
	defer m.Close()
	if len(pos) != 1 {
		return fmt.Errorf("usage: motcua %s DATE [flags]", name)
	}
	ch.Date = pos[0]
	ch.By = auth.Actor{Username: by, Role: auth.RoleAdmin}
	// The operator acts for the installation: no unit of their own limits
	// which calendar they change.
	res, err := m.Cals.ChangeDay(ctx, unitCode, ch)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "calendar: %s %s; %d open dossiers checked, %d due times moved; %d open petitions checked, %d moved\n",
		name[len("calendar "):], ch.Date, res.Checked, res.Moved, res.PetitionsChecked, res.PetitionsMoved)
	return nil
}

// unitsHours shows or sets a unit's office hours.
func (m *Main) unitsHours(ctx context.Context, args []string) error {
	var spans, saturday string
	var works bool
	pos, err := m.withDB(ctx, "units hours", args, func(fs *flag.FlagSet) {
		fs.StringVar(&spans, "spans", "", "working hours, e.g. 08:00-12:00,13:00-17:00")
		fs.StringVar(&saturday, "saturday", "", "Saturday receiving hours, e.g. 08:00-11:30")
		fs.BoolVar(&works, "saturday-works", false, "Saturday hours count as working time")
	})
	if err != nil {
		return err
	}
	defer m.Close()
	if len(pos) != 1 {
		return fmt.Errorf("usage: motcua units hours CODE [--spans ...]")
	}
	if spans != "" {
		h := calendar.OfficeHours{SaturdayWorks: works}
		if h.Spans, err = calendar.ParseSpans(spans); err != nil {
			return err
		}
		if h.Saturday, err = calendar.ParseSpans(saturday); err != nil {
			return err
		}
		if err := m.DB.SetOfficeHours(ctx, pos[0], h); err != nil {
			return err
		}
	}
	h, err := m.DB.OfficeHours(ctx, pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%s: %s", pos[0], formatSpans(h.Spans))
	if len(h.Saturday) > 0 {
		fmt.Fprintf(m.Stdout, "; thứ Bảy (Saturday) %s, tính vào thời hạn (counts): %v", formatSpans(h.Saturday), h.SaturdayWorks)
	}
	fmt.Fprintln(m.Stdout)
	return nil
}

func formatSpans(spans []calendar.Span) string {
	var parts []string
	for _, s := range spans {
		parts = append(parts, fmt.Sprintf("%02d:%02d-%02d:%02d", s.Start/60, s.Start%60, s.End/60, s.End%60))
	}
	return strings.Join(parts, ",")
}
