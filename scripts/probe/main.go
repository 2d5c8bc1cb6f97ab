// Command probe attacks a freshly started demo the way the outside review
// of the security issue did, and reports what got through: open redirects,
// oversized bodies, mail floods, passport-slot hoarding and Host header
// injection. It builds and starts the demo itself, on loopback, with a
// temporary folder of its own; every loop is bounded. It exits 1 when it
// finds anything.
//
//	go run ./scripts/probe
package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	_ "modernc.org/sqlite"
)

// probe is one run against one demo.
type probe struct {
	port     string
	dataDir  string // the demo's data folder (its SQLite file)
	tmpDir   string // the demo's TMPDIR: must stay empty
	db       *sql.DB
	findings []string
	checks   int
}

func main() {
	keep := flag.Bool("keep", false, "keep the demo's folder after the run")
	flag.Parse()
	findings, err := run(*keep)
	if err != nil {
		fmt.Fprintln(os.Stderr, "probe:", err)
		os.Exit(2)
	}
	if findings > 0 {
		os.Exit(1)
	}
}

// run probes a demo and returns how many findings it made; the demo is
// stopped and its folder removed before it returns.
func run(keep bool) (int, error) {
	work, err := os.MkdirTemp("", "guichet-probe-")
	if err != nil {
		return 0, err
	}
	if !keep {
		defer os.RemoveAll(work)
	}
	p := &probe{dataDir: filepath.Join(work, "data"), tmpDir: filepath.Join(work, "tmp")}
	if err := os.MkdirAll(p.tmpDir, 0o700); err != nil {
		return 0, err
	}
	bin := filepath.Join(work, "guichet")
	fmt.Println("== building the demo")
	build := exec.Command("go", "build", "-o", bin, "./cmd/guichet")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return 0, fmt.Errorf("build: %w", err)
	}
	stop, err := p.startDemo(bin)
	if err != nil {
		return 0, err
	}
	defer stop()
	if p.db, err = sql.Open("sqlite", "file:"+filepath.Join(p.dataDir, "guichet.db")+"?mode=ro&_pragma=busy_timeout(5000)"); err != nil {
		return 0, err
	}
	defer p.db.Close()

	classes := []struct {
		name string
		run  func()
	}{{"open redirects", p.redirects}, {"oversized bodies", p.oversizedBodies}, {"mail flood", p.mailFlood},
		{"slot hoarding", p.slotHoarding}, {"Host header injection", p.hostInjection}}
	var summary []string
	for _, c := range classes {
		checks, findings := p.checks, len(p.findings)
		c.run()
		summary = append(summary, fmt.Sprintf("  %-22s %4d checks, %3d findings", c.name, p.checks-checks, len(p.findings)-findings))
	}
	fmt.Println()
	for _, line := range summary {
		fmt.Println(line)
	}
	fmt.Printf("%d checks, %d findings\n", p.checks, len(p.findings))
	for _, f := range p.findings {
		fmt.Println("  FINDING:", f)
	}
	return len(p.findings), nil
}

// startDemo runs `guichet demo` on a free loopback port and waits until it
// prints its addresses.
func (p *probe) startDemo(bin string) (stop func(), err error) {
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "demo", "--addr", "127.0.0.1:0", "--data", p.dataDir, "--log-level", "error")
	cmd.Env = append(os.Environ(), "TMPDIR="+p.tmpDir)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 20 * time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, err
	}
	stop = func() { cancel(); _ = cmd.Wait() }
	port := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`http://montclair\.localhost:(\d+)/`)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case port <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case p.port = <-port:
		fmt.Println("== demo on port", p.port)
		return stop, nil
	case <-time.After(2 * time.Minute):
		stop()
		return nil, errors.New("the demo did not start within 2 minutes")
	}
}

// check records one verdict.
func (p *probe) check(ok bool, format string, args ...any) {
	p.checks++
	if !ok {
		p.findings = append(p.findings, fmt.Sprintf(format, args...))
	}
}

// client returns an HTTP client whose connections leave from source, a
// loopback address: each stands for another visitor. It never follows
// redirects.
func client(source string) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(source)}}
	return &http.Client{Timeout: 60 * time.Second,
		Transport:     &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// send makes a request to the demo with host in the Host header.
func (p *probe) send(c *http.Client, method, host, path string, body io.Reader, header http.Header) (*http.Response, string, error) {
	req, err := http.NewRequest(method, "http://127.0.0.1:"+p.port+path, body)
	if err != nil {
		return nil, "", err
	}
	req.Host = host
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := c.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	return res, string(raw), nil
}

func (p *probe) town() string { return "montclair.localhost:" + p.port }

// postForm sends a form from source to the town's site.
func (p *probe) postForm(source, path string, form url.Values) (int, string) {
	res, body, err := p.send(client(source), http.MethodPost, p.town(), path, strings.NewReader(form.Encode()),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
	if err != nil {
		return 0, err.Error()
	}
	return res.StatusCode, body
}

// count runs a COUNT query on the demo's database.
func (p *probe) count(query string, args ...any) int {
	var n int
	if err := p.db.QueryRow(query, args...).Scan(&n); err != nil {
		p.findings = append(p.findings, "database: "+err.Error())
		return -1
	}
	return n
}
