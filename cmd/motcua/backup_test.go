package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/backup"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/store"
)

// TestRestoreUnderLoad runs a server on SQLite and keeps it busy with
// dossiers taken to their end with a signed result file, uploaded through
// the API, while `motcua backup` runs as its own process. The backup is then
// restored into a fresh folder with `motcua restore`, and checked apart from
// what restore checks itself: every table holds the rows the backup's
// manifest counted, every history chain verifies, every file an attachment
// names is there with its SHA-256, the backup holds dossiers submitted while
// it ran, and a server started on the restored folder serves a result file
// byte for byte.
func TestRestoreUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("runs servers")
	}
	bin := binary(t)
	data := t.TempDir()
	srv := startMotcua(t, bin, "--demo", "--data", data)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	l := &load{s: srv, t: t, tokens: map[string]string{}}
	for _, u := range []string{"congdan", "canbo", "chuyenvien", "lanhdao"} {
		l.tokens[u] = srv.login(ctx, t, u)
	}
	facts, err := store.ReadFacts(ctx, filepath.Join(data, "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	l.demo = facts.Counts["dossiers"]
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { l.run(ctx, stop) })
	}
	l.waitFor(3) // the backup starts on a busy server
	before := l.done.Load()
	dest := filepath.Join(t.TempDir(), "backups", "motcua.tar")
	out, err := exec.CommandContext(ctx, bin, "backup", "--data", data, dest).CombinedOutput()
	l.waitFor(before + 3) // and the load goes on after it
	close(stop)
	wg.Wait()
	if err != nil || !strings.Contains(string(out), "checked") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if l.failed.Load() != nil {
		t.Fatalf("the load failed: %v", l.failed.Load())
	}
	if st, err := os.Stat(dest); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, %v; want mode 0600", st.Mode(), err)
	}

	restored := filepath.Join(t.TempDir(), "restored")
	out, err = exec.CommandContext(ctx, bin, "restore", dest, "--data", restored).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "every file and count matches") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	man, err := backup.ReadManifest(dest)
	if err != nil {
		t.Fatal(err)
	}
	checkRestored(t, filepath.Join(restored, "motcua.db"), filepath.Join(restored, "files"), man)
	if n := man.Counts["dossiers"]; n < l.demo+before {
		t.Errorf("the backup holds %d dossiers; %d were there before it started", n, l.demo+before)
	}
	t.Logf("%d dossiers taken to their end during the run; the backup holds %d dossiers, %d files", l.done.Load(), man.Counts["dossiers"], len(man.Files))

	// A server on the restored folder serves a result file made under load.
	l.mu.Lock()
	code, content := l.first.code, l.first.content
	l.mu.Unlock()
	again := startMotcua(t, bin, "--data", restored)
	tok := again.login(ctx, t, "canbo")
	if got := again.download(ctx, t, tok, "/api/v1/dossiers/"+code+"/result-file"); !bytes.Equal(got, content) {
		t.Fatalf("the restored server gives %d bytes for %s's result file, want its %d", len(got), code, len(content))
	}
	if out, err := exec.CommandContext(ctx, bin, "restore", dest, "--data", restored).CombinedOutput(); err == nil || !strings.Contains(string(out), "not empty") {
		t.Fatalf("restore into the restored folder: %v\n%s", err, out)
	}
}

// checkRestored checks a restored installation with its own reads: the
// counts against the manifest, the chains, and every file's SHA-256.
func checkRestored(t *testing.T, dsn, filesDir string, man *backup.Manifest) {
	t.Helper()
	ctx := context.Background()
	facts, err := store.ReadFacts(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	for table, n := range man.Counts {
		if facts.Counts[table] != n {
			t.Errorf("%s: %d rows restored, the backup counted %d", table, facts.Counts[table], n)
		}
	}
	if facts.Counts["dossiers"] == 0 || facts.Counts["attachments"] == 0 {
		t.Fatalf("nothing to check: %v", facts.Counts)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	audit, err := db.VerifyAudit(ctx)
	if err != nil || audit.Broken != 0 || int64(audit.Checked) != man.Counts["dossiers"] || int64(audit.Events) != man.Counts["dossier_events"] {
		t.Fatalf("audit of the restored database: %+v, %v; the backup counted %v", audit, err, man.Counts)
	}
	files := blob.NewDir(filesDir)
	for _, ref := range facts.Files {
		r, err := files.Open(ctx, ref.SHA256)
		if err != nil {
			t.Fatalf("file %s (bound %v): %v", ref.SHA256, ref.Bound, err)
		}
		h := sha256.New()
		_, err = io.Copy(h, r)
		r.Close()
		if got := hex.EncodeToString(h.Sum(nil)); err != nil || got != ref.SHA256 {
			t.Fatalf("file %s hashes to %s (%v)", ref.SHA256, got, err)
		}
	}
}

// load takes dossiers from an online submission to their finish with a
// signed result file, as the citizen and the officers do.
type load struct {
	s      *msServer
	t      *testing.T
	tokens map[string]string
	demo   int64
	done   atomic.Int64
	failed atomic.Value // string
	mu     sync.Mutex
	n      int
	first  struct {
		code    string
		content []byte
	}
}

func (l *load) run(ctx context.Context, stop chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		if err := l.one(ctx); err != nil {
			l.failed.CompareAndSwap(nil, err.Error())
			return
		}
		l.done.Add(1)
	}
}

func (l *load) one(ctx context.Context) error {
	d, st := l.s.do(ctx, l.tokens["congdan"], "POST", "/api/v1/dossiers", `{"procedure_code":"1.004873","unit_code":"00004",
		"applicant":{"name":"Hoàng Thị Lan","id_number":"001190012345","phone":"0912345678"},"components":["Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
		"Hộ chiếu, thẻ căn cước hoặc giấy tờ tùy thân có ảnh của người yêu cầu (hoặc tài khoản định danh điện tử mức 2 khi nộp trực tuyến)"]}`)
	code, _ := d["code"].(string)
	if st != http.StatusCreated {
		return fmt.Errorf("submit: %d %v", st, d)
	}
	for _, s := range []struct{ who, action string }{{"canbo", "receive"}, {"canbo", "forward"}, {"chuyenvien", "forward"}, {"lanhdao", "approve"}} {
		if m, st := l.s.do(ctx, l.tokens[s.who], "POST", "/api/v1/dossiers/"+code+"/actions/"+s.action, ""); st != http.StatusOK {
			return fmt.Errorf("%s %s: %d %v", s.action, code, st, m)
		}
	}
	l.mu.Lock()
	l.n++
	content := fmt.Appendf(nil, "%%PDF-1.4\n%% kết quả %s số %d\ntrailer << >>\n%%%%EOF\n", code, l.n)
	if l.first.code == "" {
		l.first.code, l.first.content = code, content
	}
	l.mu.Unlock()
	ref, err := l.s.upload(ctx, l.tokens["canbo"], "/api/v1/dossiers/"+code+"/result-file", "ket-qua.pdf", content)
	if err != nil {
		return err
	}
	today := time.Now().In(time.FixedZone("ICT", 7*3600)).Format("2006-01-02")
	body := `{"result":{"number":"12/GCN-UBND","signed_on":"` + today + `","signer":"Lê Quang Vinh","file":"` + ref + `"}}`
	if m, st := l.s.do(ctx, l.tokens["canbo"], "POST", "/api/v1/dossiers/"+code+"/actions/finish", body); st != http.StatusOK {
		return fmt.Errorf("finish %s: %d %v", code, st, m)
	}
	return nil
}

// upload posts one file as a multipart form and returns the answer's ref.
func (s *msServer) upload(ctx context.Context, token, path, name string, content []byte) (string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, _ := mw.CreateFormFile("file", name)
	_, _ = w.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequestWithContext(ctx, "POST", s.base+path, &buf)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := s.client.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("upload %s: %d %s", path, res.StatusCode, raw)
	}
	_, after, _ := strings.Cut(string(raw), `"ref":"`)
	ref, _, _ := strings.Cut(after, `"`)
	return ref, nil
}

// download returns the body of a GET that must answer 200.
func (s *msServer) download(ctx context.Context, t *testing.T, token, path string) []byte {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, raw)
	}
	return raw
}

// waitFor waits until n dossiers are done, for at most two minutes.
func (l *load) waitFor(n int64) {
	l.t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); l.done.Load() < n; {
		if f := l.failed.Load(); f != nil {
			l.t.Fatalf("the load failed: %v", f)
		}
		if time.Now().After(deadline) {
			l.t.Fatal("the load made no progress for two minutes")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
