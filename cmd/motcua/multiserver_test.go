package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestSeveralServersOneDatabase runs two `motcua serve` processes on one
// PostgreSQL database, as behind a load balancer, and checks what must hold
// across them: a session made on one works on the other, dossier codes stay
// unique and gap-free under concurrent submissions, and of two officers
// acting on the same version of a dossier at once, on different servers,
// exactly one wins.
func TestSeveralServersOneDatabase(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	bin, url, servers := twoServers(t)
	first, second := servers[0], servers[1]

	counter := first.login(ctx, t, "canbo")
	citizen := second.login(ctx, t, "congdan")
	if _, status := second.do(ctx, counter, "GET", "/api/v1/me", ""); status != http.StatusOK {
		t.Fatalf("a session made on the first server is refused by the second: %d", status)
	}

	atCounter := submitAll(ctx, t, servers, counter, 8, 6, `{"procedure_code":"1.001612","channel":1,"components":["Giấy đề nghị đăng ký hộ kinh doanh"],
		"applicant":{"name":"Nguyễn Văn A","id_number":"001090012345"}}`)
	online := submitAll(ctx, t, servers, citizen, 3, 4, `{"procedure_code":"1.001612","unit_code":"00004","channel":2,"components":["Giấy đề nghị đăng ký hộ kinh doanh"],
		"applicant":{"name":"Hoàng Thị Lan","id_number":"001190012345","phone":"0912345678"}}`)
	checkCodes(ctx, t, first, counter, slices.Concat(atCounter, online))

	raceAction(ctx, t, servers, counter, "forward", atCounter[:16])
	raceAction(ctx, t, servers, counter, "receive", online)
	t.Logf("%d dossiers submitted through two servers; %d actions raced", len(atCounter)+len(online), 16+len(online))

	for _, s := range servers {
		s.stop(t)
	}
	out, err := exec.CommandContext(ctx, bin, "audit", "verify", "--db", url).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "all intact") {
		t.Fatalf("audit verify after the run: %v\n%s", err, out)
	}
}

// twoServers starts two `motcua serve` on one fresh PostgreSQL database, the
// first loading the demo; it skips without a PostgreSQL server or in -short.
func twoServers(t *testing.T) (bin, url string, servers []*msServer) {
	t.Helper()
	url = storetest.DSN(t, store.Postgres)
	if testing.Short() {
		t.Skip("starts two servers")
	}
	bin = buildMotcua(t)
	return bin, url, []*msServer{startMotcua(t, bin, "--demo", "--db", url), startMotcua(t, bin, "--db", url)}
}

// buildMotcua builds the binary into the test's temporary directory.
func buildMotcua(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "motcua")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// msServer is one running `motcua serve`.
type msServer struct {
	base   string
	cmd    *exec.Cmd
	logs   *syncBuffer
	once   sync.Once
	waited error
	client *http.Client
}

// syncBuffer collects a process's log for the test's failure message.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startMotcua starts the server and waits until it says where it listens.
func startMotcua(t *testing.T, bin string, args ...string) *msServer {
	t.Helper()
	s := &msServer{logs: &syncBuffer{}, client: &http.Client{Timeout: 30 * time.Second}}
	s.cmd = exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	s.cmd.Env = append(os.Environ(), "MOTCUA_DEMO_PASSWORD=demo", "MOTCUA_DB=", "MOTCUA_DATA="+t.TempDir())
	s.cmd.Stderr = s.logs
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.stop(t)
		if t.Failed() {
			t.Logf("log of the server at %s:\n%s", s.base, s.logs.String())
		}
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "motcua: "); ok {
				addr <- u
			}
		}
		// Keep reading until the process ends so that it never blocks on
		// a full pipe.
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case s.base = <-addr:
		return s
	case <-time.After(60 * time.Second):
		t.Fatalf("the server did not start within 60 s:\n%s", s.logs.String())
	}
	return nil
}

// stop interrupts the server, as a service manager would, and waits for it
// to shut down cleanly; it kills the process if it hangs.
func (s *msServer) stop(t *testing.T) {
	s.once.Do(func() {
		_ = s.cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- s.cmd.Wait() }()
		select {
		case s.waited = <-done:
		case <-time.After(15 * time.Second):
			_ = s.cmd.Process.Kill()
			s.waited = fmt.Errorf("did not stop within 15 s")
			<-done
		}
		if s.waited != nil {
			t.Errorf("server %s: %v", s.base, s.waited)
		}
	})
}

// do sends one request and returns the decoded answer and the status (0 when
// the request failed).
func (s *msServer) do(ctx context.Context, token, method, path, body string) (map[string]any, int) {
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, strings.NewReader(body))
	if err != nil {
		return nil, 0
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := s.client.Do(req)
	if err != nil {
		return map[string]any{"transport": err.Error()}, 0
	}
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	return m, res.StatusCode
}

func (s *msServer) login(ctx context.Context, t *testing.T, user string) string {
	t.Helper()
	m, status := s.do(ctx, "", "POST", "/api/v1/login", `{"username":"`+user+`","password":"demo"}`)
	tok, _ := m["token"].(string)
	if status != http.StatusOK || tok == "" {
		t.Fatalf("login %s: %d %v", user, status, m)
	}
	return tok
}

// submitAll submits from workers goroutines per server, each n dossiers, and
// returns the codes given.
func submitAll(ctx context.Context, t *testing.T, servers []*msServer, token string, workers, n int, body string) []string {
	t.Helper()
	var mu sync.Mutex
	var codes, fails []string
	var wg sync.WaitGroup
	for _, s := range servers {
		for range workers {
			wg.Go(func() {
				for range n {
					m, status := s.do(ctx, token, "POST", "/api/v1/dossiers", body)
					code, _ := m["code"].(string)
					mu.Lock()
					if status == http.StatusCreated && code != "" {
						codes = append(codes, code)
					} else {
						fails = append(fails, fmt.Sprintf("%s: %d %v", s.base, status, m))
					}
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	if len(fails) > 0 {
		t.Fatalf("%d of %d submissions failed, e.g. %s", len(fails), len(servers)*workers*n, fails[0])
	}
	return codes
}

// checkCodes wants the submitted codes unique, and every day's codes of the
// agency numbered 1 to N without a hole, the demo's dossiers included.
func checkCodes(ctx context.Context, t *testing.T, s *msServer, token string, submitted []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range submitted {
		if seen[c] {
			t.Fatalf("code %s was given twice", c)
		}
		seen[c] = true
	}
	m, status := s.do(ctx, token, "GET", "/api/v1/dossiers?limit=500", "")
	list, _ := m["dossiers"].([]any)
	if status != http.StatusOK || len(list) == 0 {
		t.Fatalf("list: %d %v", status, m)
	}
	var listed []string
	for _, d := range list {
		code := d.(map[string]any)["code"].(string)
		listed = append(listed, code)
		delete(seen, code)
	}
	if len(seen) > 0 {
		t.Fatalf("%d submitted dossiers are not listed", len(seen))
	}
	if err := gapFree(listed); err != nil {
		t.Fatal(err)
	}
}

// gapFree wants every agency-day's codes numbered 1 to N without a hole or
// a repeat.
func gapFree(codes []string) error {
	days := map[string][]int{} // agency-day → numbers
	for _, code := range codes {
		i := strings.LastIndexByte(code, '-')
		n, err := strconv.Atoi(code[i+1:])
		if err != nil {
			return fmt.Errorf("code %s: %v", code, err)
		}
		days[code[:i]] = append(days[code[:i]], n)
	}
	for day, ns := range days {
		slices.Sort(ns)
		for i, n := range ns {
			if n != i+1 {
				return fmt.Errorf("%s: codes %v are not 1..%d without a hole", day, ns, len(ns))
			}
		}
	}
	return nil
}

// raceAction sends the same action at version 1 of each dossier from two
// clients on each server at once, and wants one 200 and only 409s besides,
// and the dossier changed once.
func raceAction(ctx context.Context, t *testing.T, servers []*msServer, token, action string, codes []string) {
	t.Helper()
	const perServer = 2
	for _, code := range codes {
		statuses := make(chan int, len(servers)*perServer)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for _, s := range servers {
			for range perServer {
				wg.Go(func() {
					<-start
					_, status := s.do(ctx, token, "POST", "/api/v1/dossiers/"+code+"/actions/"+action, `{"version":1}`)
					statuses <- status
				})
			}
		}
		close(start)
		wg.Wait()
		close(statuses)
		count := map[int]int{}
		for st := range statuses {
			count[st]++
		}
		if count[http.StatusOK] != 1 || count[http.StatusConflict] != len(servers)*perServer-1 {
			t.Fatalf("%s %s from both servers at once: statuses %v, want one 200 and the rest 409", action, code, count)
		}
		d, _ := servers[1].do(ctx, token, "GET", "/api/v1/dossiers/"+code, "")
		if history, _ := d["history"].([]any); d["version"] != 2.0 || len(history) != 2 {
			t.Fatalf("%s after the race: version %v with %d events, want version 2 with 2", code, d["version"], len(history))
		}
	}
}
