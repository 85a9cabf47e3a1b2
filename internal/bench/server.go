package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is a `motcua serve` process started for the benchmark, so that the
// numbers include everything a deployment pays: the HTTP stack, JSON, the
// authentication on every request and a database opened the usual way.
type Server struct {
	URL    string
	cmd    *exec.Cmd
	logs   *lastLines
	exited chan struct{}
	err    error // why it exited, once exited is closed
}

// StartServer runs exe with args (a serve command listening on port 0) and
// waits for the line that says where it listens.
func StartServer(ctx context.Context, exe string, args ...string) (*Server, error) {
	cmd := exec.Command(exe, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	s := &Server{cmd: cmd, logs: &lastLines{max: 200}, exited: make(chan struct{})}
	cmd.Stderr = s.logs
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	urls := make(chan string, 1)
	go s.readStdout(stdout, urls)
	go func() { s.err = cmd.Wait(); close(s.exited) }()
	select {
	case s.URL = <-urls:
		return s, nil
	case <-s.exited:
		return nil, fmt.Errorf("server exited before listening (%v):\n%s", s.err, s.logs)
	case <-time.After(2 * time.Minute):
	case <-ctx.Done():
	}
	_ = s.Stop()
	return nil, errors.Join(ctx.Err(), fmt.Errorf("server did not start listening:\n%s", s.logs))
}

// readStdout finds the "motcua: http://HOST:PORT" line and then keeps
// reading, so that the server never blocks on a full pipe.
func (s *Server) readStdout(r io.Reader, urls chan<- string) {
	sc := bufio.NewScanner(r)
	found := false
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, "http://"); !found && strings.HasPrefix(line, "motcua:") && i >= 0 {
			found = true
			urls <- strings.TrimSpace(line[i:])
		}
	}
}

// Memory returns the process's peak and current resident memory in bytes
// (VmHWM and VmRSS), and the part of the current that is its own memory
// rather than pages of the database file it maps (RssAnon), where the
// system reports them (Linux).
func (s *Server) Memory() (peak, current, anon int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmHWM:":
			peak = kb * 1024
		case "VmRSS:":
			current = kb * 1024
		case "RssAnon:":
			anon = kb * 1024
		}
	}
	return peak, current, anon, nil
}

// Stop asks the server to shut down gracefully and kills it if it takes
// longer than 15 seconds.
func (s *Server) Stop() error {
	select {
	case <-s.exited:
		return nil
	default:
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
		return nil
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
		return fmt.Errorf("server did not stop in 15 s; killed")
	}
}

// Logs returns the last lines the server wrote to its standard error.
func (s *Server) Logs() string { return s.logs.String() }

// lastLines keeps the last lines written to it.
type lastLines struct {
	mu    sync.Mutex
	max   int
	lines []string
	part  string
}

func (l *lastLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	text := l.part + string(p)
	parts := strings.Split(text, "\n")
	l.part = parts[len(parts)-1]
	for _, line := range parts[:len(parts)-1] {
		l.lines = append(l.lines, line)
		if len(l.lines) > l.max {
			l.lines = l.lines[1:]
		}
	}
	return len(p), nil
}

func (l *lastLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(append(append([]string{}, l.lines...), l.part), "\n")
}
