package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds the motcua binary once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "motcua-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "motcua")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = err
			t.Logf("%s", out)
		}
	})
	if buildErr != nil {
		t.Fatalf("build: %v", buildErr)
	}
	return binPath
}

// startServer runs `motcua serve` with args and returns its base URL; the
// process is stopped when the test ends.
func startServer(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "MOTCUA_DEMO_PASSWORD=")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "motcua: "); ok {
				urlc <- u
			}
		}
	}()
	select {
	case u := <-urlc:
		return u
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start within 60 s")
	}
	return ""
}

type client struct {
	t    *testing.T
	base string
}

func (c client) call(token, method, path, body string, want int) map[string]any {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		c.t.Fatalf("%s %s: %d %s, want %d", method, path, res.StatusCode, raw, want)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	return m
}

func (c client) login(user string) string {
	return c.call("", "POST", "/api/v1/login", `{"username":"`+user+`","password":"demo"}`, 200)["token"].(string)
}

// TestBinaryWalkthrough starts the built binary on a fresh data directory
// with the demo, walks one dossier from online submission to rating over
// HTTP, and checks the history chain with the audit command afterwards.
func TestBinaryWalkthrough(t *testing.T) {
	data := t.TempDir()
	c := client{t: t, base: startServer(t, "--demo", "--data", data)}
	citizen, counter, specialist, leader := c.login("congdan"), c.login("canbo"), c.login("chuyenvien"), c.login("lanhdao")

	d := c.call(citizen, "POST", "/api/v1/dossiers", `{"procedure_code":"1.004873","unit_code":"00004",
		"applicant":{"name":"Hoàng Thị Lan","id_number":"001190012345","phone":"0912345678"},"components":["Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
		"Hộ chiếu, thẻ căn cước hoặc giấy tờ tùy thân có ảnh của người yêu cầu (hoặc tài khoản định danh điện tử mức 2 khi nộp trực tuyến)"]}`, 201)
	code := d["code"].(string)
	if !strings.HasPrefix(code, "00004-") || d["status"].(float64) != 1 {
		t.Fatalf("submitted: %v", d)
	}
	steps := []struct{ token, action string }{
		{counter, "receive"}, {counter, "forward"}, {specialist, "forward"}, {leader, "approve"}, {counter, "finish"}, {counter, "return_result"},
	}
	for _, s := range steps {
		d = c.call(s.token, "POST", "/api/v1/dossiers/"+code+"/actions/"+s.action, "", 200)
	}
	if d["status"].(float64) != 10 || d["outcome"] == nil {
		t.Fatalf("after return: %v", d)
	}
	c.call(citizen, "POST", "/api/v1/dossiers/"+code+"/rating", `{"rating":"very_satisfied","comment":"Nhanh, chu đáo"}`, 200)
	c.call(citizen, "POST", "/api/v1/dossiers/"+code+"/rating", `{"rating":3}`, 409)

	pub := c.call("", "GET", "/api/v1/lookup?code="+code+"&id=001190012345", "", 200)
	if pub["status"].(float64) != 10 || pub["rated"] != true || pub["applicant"] != nil {
		t.Fatalf("lookup: %v", pub)
	}
	full := c.call(counter, "GET", "/api/v1/dossiers/"+code, "", 200)
	if n := len(full["history"].([]any)); n != 8 {
		t.Fatalf("history has %d events, want 8", n)
	}
	today := time.Now().In(time.FixedZone("ICT", 7*3600)).Format("2006-01-02")
	st := c.call(leader, "GET", "/api/v1/stats?from="+today+"&to="+today, "", 200)
	totals := st["summary"].(map[string]any)["totals"].(map[string]any)
	if totals["rated_very"].(float64) < 1 || totals["returned"].(float64) < 1 {
		t.Fatalf("stats: %v", totals)
	}

	out, err := exec.Command(binary(t), "audit", "verify", "--data", data).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "all intact") {
		t.Fatalf("audit verify: %v\n%s", err, out)
	}
}

// TestCLICommands runs the administrator's commands on a data directory, and
// checks that --demo never loads demo users into a database that has users.
func TestCLICommands(t *testing.T) {
	data := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(binary(t), append(args, "--data", data)...)
		cmd.Env = append(os.Environ(), "MOTCUA_PASSWORD=secret1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("motcua %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	csv := filepath.Join(t.TempDir(), "units.csv")
	if err := os.WriteFile(csv, []byte("Mã tỉnh,Tên tỉnh,Mã xã,Tên xã,Cấp\n01,Thành phố Hà Nội,00004,Phường Ba Đình,Phường\n01,Thành phố Hà Nội,00008,Phường Ngọc Hà,Phường\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := run("units", "import", csv); !strings.Contains(out, "3 added") {
		t.Fatalf("first import: %s", out)
	}
	if out := run("units", "import", csv); !strings.Contains(out, "0 added, 0 changed, 3 unchanged") {
		t.Fatalf("second import: %s", out)
	}
	if out := run("units", "hours", "00004", "--spans", "07:30-11:30,13:30-17:00"); !strings.Contains(out, "07:30-11:30,13:30-17:00") {
		t.Fatalf("units hours: %s", out)
	}
	run("user", "add", "--username", "thuha", "--role", "counter", "--unit", "00004", "--name", "Nguyễn Thu Hà")
	if tok := strings.TrimSpace(run("token", "create", "--user", "thuha")); !strings.HasPrefix(tok, "mc_") {
		t.Fatalf("token: %q", tok)
	}
	labelled := strings.TrimSpace(run("token", "create", "--user", "thuha", "--days", "2", "--label", "Cổng dịch vụ công"))
	bad := exec.Command(binary(t), "token", "create", "--user", "thuha", "--days", "0", "--data", data)
	if out, err := bad.CombinedOutput(); err == nil || !strings.Contains(string(out), "--days") {
		t.Fatalf("token create --days 0 accepted: %s", out)
	}
	if out := run("calendar", "show", "--year", "2026"); !strings.Contains(out, "2026-02-17") || !strings.Contains(out, "2026-04-27") {
		t.Fatalf("calendar show: %s", out)
	}
	if out := run("calendar", "set", "2026-12-31", "--kind", "holiday", "--name", "Nghỉ cuối năm", "--reason", "Thử nghiệm"); !strings.Contains(out, "0 due times moved") {
		t.Fatalf("calendar set: %s", out)
	}
	if out := run("calendar", "show", "--year", "2026"); !strings.Contains(out, "Nghỉ cuối năm") {
		t.Fatalf("calendar show after set: %s", out)
	}
	// A unit's day is in its calendar only; the national one is in all.
	run("calendar", "set", "2026-12-30", "--unit", "00004", "--kind", "holiday", "--name", "Nghỉ của phường", "--reason", "Thử nghiệm")
	if out := run("calendar", "show", "--year", "2026", "--unit", "00004"); !strings.Contains(out, "Nghỉ của phường  [quản trị Phường Ba Đình]") || !strings.Contains(out, "Nghỉ cuối năm  [quản trị toàn quốc]") {
		t.Fatalf("calendar show --unit 00004: %s", out)
	}
	if out := run("calendar", "show", "--year", "2026", "--unit", "00008"); strings.Contains(out, "Nghỉ của phường") || !strings.Contains(out, "Nghỉ cuối năm") {
		t.Fatalf("calendar show --unit 00008: %s", out)
	}
	c := client{t: t, base: startServer(t, "--demo", "--data", data)}
	c.call("", "POST", "/api/v1/login", `{"username":"canbo","password":"demo"}`, 401)
	var found bool
	for _, s := range c.call(labelled, "GET", "/api/v1/sessions", "", 200)["sessions"].([]any) {
		s := s.(map[string]any)
		if s["label"] == "Cổng dịch vụ công" && s["current"] == true && s["kind"] == "api" {
			exp, _ := time.Parse(time.RFC3339, s["expires_at"].(string))
			if d := time.Until(exp); d < 47*time.Hour || d > 49*time.Hour {
				t.Fatalf("a 2-day token ends in %v", d)
			}
			found = true
		}
	}
	if !found {
		t.Fatal("the labelled token is not in its sessions")
	}
	cmd := exec.Command(binary(t), "user", "add", "--username", "x y", "--role", "counter", "--data", data)
	cmd.Env = append(os.Environ(), "MOTCUA_PASSWORD=secret1")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "Tên đăng nhập") {
		t.Fatalf("bad username accepted: %s", out)
	}
}
