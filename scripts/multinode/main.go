// Command multinode runs Guichet as an operator would on several
// machines, all on loopback: a PostgreSQL primary and its streaming
// replica (scripts/pg-pair), two Guichet nodes on the same database, and
// nginx in front. It then checks what a cluster must hold:
//
//   - a file uploaded through node A is downloaded through node B, byte for byte;
//   - a booking made on node A leaves node B's free times within 100 ms;
//   - a live notice published on node A reaches a page open on node B within a second;
//   - a ticket called at a counter on node A shows on a display board open on node B within a second;
//   - a resident who changes their profile on one node reads it on the other, the replica in use;
//   - a collectivité suspended on node A answers 503 on node B within 100 ms;
//   - a booking rush through nginx, across both nodes: every place booked once, no server error;
//   - with the replica stopped, pages still answer, from the primary;
//   - a rush during which node B is killed (SIGKILL): no confirmed booking and no queued email lost.
//
// Every process it starts is stopped at the end; every wait is bounded.
//
//	go run ./scripts/multinode             (scripts/test runs it)
//	go run ./scripts/multinode --load 300  a load run on 300 generated collectivités instead
//	                                       (wrk from Debian, a quiet machine)
package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"guichet/internal/app"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/pquerna/otp/totp"

	"guichet/internal/kernel/db"
)

const (
	frontAddr  = "127.0.0.1:28500" // nginx, to both nodes
	frontAOnly = "127.0.0.1:28503" // nginx, to node A alone (load runs)
	nodeAAddr  = "127.0.0.1:28501"
	nodeBAddr  = "127.0.0.1:28502"
	schema     = "guichet_multinode"
	secretKey  = "multinode-secret-key-0123456789abcdef"
	password   = "Guichet-Demo-2026!"          // app.DemoPassword
	totpKey    = "GUICHETDEMOSECRETTOTP234"    // app.DemoTOTPSecret
	resident   = "habitant@courriel.localhost" // a demo resident of the town
)

func main() {
	load := flag.Int("load", 0, "instead of the checks: a load run on this many generated collectivités, through nginx to both nodes, then to one")
	flag.Parse()
	c := &cluster{load: *load}
	err := c.run()
	c.stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "multinode: FAILED:", err)
		os.Exit(1)
	}
	fmt.Println("multinode: OK")
}

type cluster struct {
	dir              string
	bin              string
	primary, replica string // database URLs, the primary's with the schema
	pgVersion        string
	startedPair      bool
	nodes            map[string]*exec.Cmd
	nginx            *exec.Cmd
	load             int
}

func (c *cluster) run() error {
	for _, a := range []string{frontAddr, frontAOnly, nodeAAddr, nodeBAddr} {
		if conn, err := net.DialTimeout("tcp", a, 200*time.Millisecond); err == nil {
			conn.Close()
			return fmt.Errorf("%s is taken by another server", a)
		}
	}
	var err error
	if c.dir, err = os.MkdirTemp("", "guichet-multinode-"); err != nil {
		return err
	}
	if err := c.databases(); err != nil {
		return err
	}
	step("building guichet and the rush client")
	c.bin = filepath.Join(c.dir, "guichet")
	for pkg, out := range map[string]string{"./cmd/guichet": c.bin, "./scripts/rush": filepath.Join(c.dir, "rush")} {
		if out, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
		}
	}
	c.nodes = map[string]*exec.Cmd{}
	// Node A resets the schema and seeds the demo, then serves; node B
	// serves the same database. Same secret key: a session or a link made
	// by one is good on the other.
	step("starting node A (the demo, seeded) and node B on one database, with the replica")
	if err := c.startNode("A", "demo", nodeAAddr); err != nil {
		return err
	}
	if err := c.startNode("B", "serve", nodeBAddr); err != nil {
		return err
	}
	step("starting nginx in front of both nodes")
	if err := c.startNginx(); err != nil {
		return err
	}
	if c.load > 0 {
		return c.loadRun()
	}
	checks := []struct {
		name string
		fn   func() error
	}{
		{"a file uploaded through node A is downloaded through node B", c.checkFiles},
		{"a booking on node A leaves node B's free times within 100 ms", c.checkBooking},
		{"a live notice published on node A reaches a page open on node B within a second", c.checkLive},
		{"a ticket called on node A shows on a display board open on node B within a second", c.checkBoard},
		{"a profile changed on one node reads back on the other, the replica in use", c.checkProfile},
		{"a collectivité suspended on node A answers 503 on node B within 100 ms", c.checkSuspension},
		{"a booking rush through nginx across both nodes", c.checkRush},
		{"with the replica stopped, pages answer from the primary", c.checkReplicaDown},
		{"node B killed (SIGKILL) during a rush loses no confirmed booking and no queued email", c.checkKill},
	}
	for _, ch := range checks {
		step(ch.name)
		if err := ch.fn(); err != nil {
			return fmt.Errorf("%s: %w", ch.name, err)
		}
	}
	return nil
}

func step(s string) { fmt.Printf("\n== %s\n", s) }

// databases starts the primary and its replica unless scripts/test did.
func (c *cluster) databases() error {
	primary, replica := os.Getenv("GUICHET_TEST_PRIMARY"), os.Getenv("GUICHET_TEST_REPLICA")
	if primary == "" || replica == "" {
		step("starting a PostgreSQL primary and its streaming replica (scripts/pg-pair)")
		out, err := exec.Command("scripts/pg-pair", "start").Output()
		if err != nil {
			return fmt.Errorf("scripts/pg-pair: %w", err)
		}
		c.startedPair = true
		for _, m := range regexp.MustCompile(`(GUICHET_TEST_\w+)='([^']+)'`).FindAllStringSubmatch(string(out), -1) {
			if m[1] == "GUICHET_TEST_PRIMARY" {
				primary = m[2]
			} else if m[1] == "GUICHET_TEST_REPLICA" {
				replica = m[2]
			}
		}
	}
	if primary == "" || replica == "" {
		return errors.New("no primary and replica URLs")
	}
	c.primary, c.replica = primary+"&schema="+schema, replica
	versions, _ := filepath.Glob("/usr/lib/postgresql/*")
	if len(versions) > 0 {
		slices.Sort(versions)
		c.pgVersion = filepath.Base(versions[len(versions)-1])
	}
	return nil
}

func (c *cluster) startNode(name, command, addr string) error {
	data := filepath.Join(c.dir, "node-"+name)
	logFile, err := os.Create(filepath.Join(c.dir, "node-"+name+".log"))
	if err != nil {
		return err
	}
	cmd := exec.Command(c.bin, command, "--addr", addr, "--database-url", c.primary, "--replica-url", c.replica,
		"--secret-key", secretKey, "--data", data, "--trusted-proxies", "127.0.0.1", "--log-level", "warn")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	c.nodes[name] = cmd
	b := newBrowser("montclair.localhost", addr)
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if status, _, _ := b.get("/"); status == http.StatusOK {
			fmt.Printf("node %s answers on %s\n", name, addr)
			return nil
		}
		if time.Now().After(deadline) || cmd.ProcessState != nil {
			log, _ := os.ReadFile(logFile.Name())
			return fmt.Errorf("node %s does not answer on %s:\n%s", name, addr, log)
		}
	}
}

const nginxConf = `worker_processes 1;
daemon off;
pid {{dir}}/nginx.pid;
error_log {{dir}}/nginx-error.log warn;
worker_rlimit_nofile 20000;
events { worker_connections 8000; }
http {
	access_log off;
	client_body_temp_path {{dir}}/nginx-body;
	proxy_temp_path {{dir}}/nginx-proxy;
	fastcgi_temp_path {{dir}}/nginx-fastcgi;
	uwsgi_temp_path {{dir}}/nginx-uwsgi;
	scgi_temp_path {{dir}}/nginx-scgi;
	upstream guichet {
		server {{a}} max_fails=1 fail_timeout=5s;
		server {{b}} max_fails=1 fail_timeout=5s;
		keepalive 64;
	}
	upstream guichet_a {
		server {{a}};
		keepalive 64;
	}
	server {
		listen {{frontA}};
		location / {
			proxy_pass http://guichet_a;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host $host;
			proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
		}
	}
	server {
		listen {{front}};
		client_max_body_size 25m;
		location / {
			proxy_pass http://guichet;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host $host;
			proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
			proxy_next_upstream error timeout;
			proxy_read_timeout 60s;
		}
	}
}
`

func (c *cluster) startNginx() error {
	bin, err := exec.LookPath("nginx")
	if err != nil {
		bin = "/usr/sbin/nginx"
	}
	conf := strings.NewReplacer("{{dir}}", c.dir, "{{a}}", nodeAAddr, "{{b}}", nodeBAddr, "{{front}}", frontAddr, "{{frontA}}", frontAOnly).Replace(nginxConf)
	path := filepath.Join(c.dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		return err
	}
	cmd := exec.Command(bin, "-c", path, "-p", c.dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("nginx: %w", err)
	}
	c.nginx = cmd
	b := newBrowser("montclair.localhost", frontAddr)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if status, _, _ := b.get("/"); status == http.StatusOK {
			fmt.Printf("nginx answers on %s\n", frontAddr)
			return nil
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(c.dir, "nginx-error.log"))
			return fmt.Errorf("nginx does not answer on %s: %s%s", frontAddr, out.String(), log)
		}
	}
}

// stop ends every process started, and the database pair if started here.
func (c *cluster) stop() {
	if c.nginx != nil && c.nginx.Process != nil {
		_ = c.nginx.Process.Signal(syscall.SIGQUIT)
		waitOrKill(c.nginx, 5*time.Second)
	}
	for _, cmd := range c.nodes {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			waitOrKill(cmd, 25*time.Second)
		}
	}
	if c.primary != "" {
		if d, err := db.Open(context.Background(), strings.Replace(c.primary, "&schema="+schema, "", 1)); err == nil {
			_, _ = d.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
			d.Close()
		}
	}
	if c.startedPair {
		_ = exec.Command("scripts/pg-pair", "stop").Run()
	}
	if c.dir != "" {
		os.RemoveAll(c.dir)
	}
}

func waitOrKill(cmd *exec.Cmd, d time.Duration) {
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// browser is a visitor with cookies, whose requests go to one address
// whatever the host name.
type browser struct {
	host   string
	addr   string
	client *http.Client
}

func newBrowser(host, addr string) *browser {
	jar, _ := cookiejar.New(nil)
	return (&browser{host: host, client: &http.Client{Jar: jar}}).via(addr)
}

// via returns a browser with the same cookies whose requests go to addr.
func (b *browser) via(addr string) *browser {
	transport := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}, DisableCompression: true}
	return &browser{host: b.host, addr: addr, client: &http.Client{Jar: b.client.Jar, Transport: transport, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) url(path string) string { return "http://" + b.host + path }

func (b *browser) do(req *http.Request) (int, string, string) {
	res, err := b.client.Do(req)
	if err != nil {
		return -1, err.Error(), ""
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header.Get("Location")
}

func (b *browser) get(path string) (int, string, string) {
	req, _ := http.NewRequest(http.MethodGet, b.url(path), nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) (int, string, string) {
	req, _ := http.NewRequest(http.MethodPost, b.url(path), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (b *browser) postJSON(path string, v any) (int, string, string) {
	body, _ := json.Marshal(v)
	req, _ := http.NewRequest(http.MethodPost, b.url(path), bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return b.do(req)
}

// postFile sends fields and one file as a browser's multipart form.
func (b *browser) postFile(path string, fields url.Values, field, name string, content []byte) (int, string, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	part, _ := w.CreateFormFile(field, name)
	_, _ = part.Write(content)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.url(path), &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

// signIn signs in with the demo password, and the demo TOTP for staff.
func (b *browser) signIn(email string) error {
	status, body, loc := b.post("/connexion", url.Values{"email": {email}, "password": {password}})
	if status != http.StatusSeeOther {
		return fmt.Errorf("sign-in of %s: %d %.300s", email, status, body)
	}
	if strings.HasPrefix(loc, "/connexion/deuxieme-facteur") {
		code, _ := totp.GenerateCode(totpKey, time.Now())
		if status, body, _ := b.post("/connexion/deuxieme-facteur", url.Values{"code": {code}}); status != http.StatusSeeOther {
			return fmt.Errorf("second factor of %s: %d %.300s", email, status, body)
		}
	}
	return nil
}

// within polls ok until it holds or d has passed, and says how long it took.
func within(d time.Duration, ok func() bool) (time.Duration, bool) {
	start := time.Now()
	for !ok() {
		if time.Since(start) > d {
			return time.Since(start), false
		}
		time.Sleep(2 * time.Millisecond)
	}
	return time.Since(start), true
}

var caseLink = regexp.MustCompile(`/dossiers/([0-9a-f-]{36})/`)

// fileACase starts the birth certificate on b's node, up to its third
// step, attaches content, and files it; it returns the case's id.
func fileACase(b *browser, content []byte) (string, error) {
	status, body, loc := b.post("/demarches/acte-de-naissance/commencer", url.Values{})
	m := caseLink.FindStringSubmatch(loc)
	if status != http.StatusSeeOther || m == nil {
		return "", fmt.Errorf("start a case: %d %s %.300s", status, loc, body)
	}
	id, step := m[1], "/dossiers/"+m[1]+"/etape/"
	for i, form := range []url.Values{
		{"c.nom": {"Habitant"}, "c.prenom": {"Démo"}, "c.date_naissance": {"1990-05-12"}},
		{"c.type_acte": {"Extrait avec filiation"}, "c.lien": {"La personne concernée"}, "c.exemplaires": {"1"}},
	} {
		if status, body, _ := b.post(step+strconv.Itoa(i+1), form); status != http.StatusSeeOther {
			return "", fmt.Errorf("step %d: %d %.300s", i+1, status, body)
		}
	}
	if status, body, _ := b.postFile(step+"3", url.Values{"action": {"suivant"}, "c.adresse": {"3 place de la Mairie, 86990 Montclair-sur-Vienne"}}, "c.piece_identite", "carte-identite.pdf", content); status != http.StatusSeeOther {
		return "", fmt.Errorf("step 3 with the file: %d %.300s", status, body)
	}
	if status, body, _ := b.post("/dossiers/"+id+"/deposer", nil); status != http.StatusSeeOther {
		return "", fmt.Errorf("file the case: %d %.300s", status, body)
	}
	return id, nil
}

func (c *cluster) checkFiles() error {
	onA := newBrowser("montclair.localhost", nodeAAddr)
	if err := onA.signIn(resident); err != nil {
		return err
	}
	content := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0x00, 0xFF, 0x5A, 0xA5, '\r', '\n'}, 50_000)...)
	id, err := fileACase(onA, content)
	if err != nil {
		return err
	}
	onB := onA.via(nodeBAddr)
	status, page, _ := onB.get("/dossiers/" + id)
	link := regexp.MustCompile(`href="(/dossiers/[^"]+/fichiers/[^"]+)" download>carte-identite.pdf`).FindStringSubmatch(page)
	if status != http.StatusOK || link == nil {
		return fmt.Errorf("node B's page of the case: %d, no link to the file", status)
	}
	status, got, _ := onB.get(link[1])
	if status != http.StatusOK || got != string(content) {
		return fmt.Errorf("node B served %d: %d bytes, not the %d uploaded", status, len(got), len(content))
	}
	fmt.Printf("uploaded %d bytes through node A, downloaded the same %d bytes through node B\n", len(content), len(got))
	return nil
}

func startsOf(body string) []string {
	var out struct {
		Slots []struct {
			Start string `json:"start"`
		} `json:"slots"`
	}
	_ = json.Unmarshal([]byte(body), &out)
	var s []string
	for _, slot := range out.Slots {
		s = append(s, slot.Start)
	}
	return s
}

func (c *cluster) checkBooking() error {
	onA := newBrowser("sauvigny.localhost", nodeAAddr)
	if err := onA.signIn("habitante@sauvigny.localhost"); err != nil {
		return err
	}
	onB := onA.via(nodeBAddr)
	const slots = "/api/v1/rendez-vous/agendas/mairie/types/demarche/creneaux"
	status, body, _ := onB.get(slots)
	free := startsOf(body)
	if status != http.StatusOK || len(free) == 0 {
		return fmt.Errorf("node B's free times: %d, %d times", status, len(free))
	}
	pick := free[len(free)/2]
	status, body, _ = onA.postJSON("/api/v1/rendez-vous/reservations", map[string]string{"agenda": "mairie", "type": "demarche",
		"start": pick, "name": "Habitant Démo", "phone": "0611223344"})
	if status != http.StatusCreated {
		return fmt.Errorf("booking %s through node A: %d %.300s", pick, status, body)
	}
	took, ok := within(100*time.Millisecond, func() bool {
		_, body, _ := onB.get(slots)
		return !slices.Contains(startsOf(body), pick)
	})
	if !ok {
		return fmt.Errorf("node B still offers %s after %v", pick, took)
	}
	fmt.Printf("booked %s through node A; gone from node B's free times after %v\n", pick, took.Round(time.Microsecond))
	return nil
}

func (c *cluster) checkLive() error {
	residentB := newBrowser("montclair.localhost", nodeBAddr)
	if err := residentB.signIn(resident); err != nil {
		return err
	}
	id, err := fileACase(residentB, []byte("%PDF-1.7\nune pièce\n"))
	if err != nil {
		return err
	}
	lines, stop, err := openStream(residentB, "/dossiers/"+id+"/direct")
	if err != nil {
		return err
	}
	defer stop()
	agent := newBrowser("montclair.localhost", nodeAAddr)
	if err := agent.signIn("etat-civil@montclair.localhost"); err != nil {
		return err
	}
	sent := time.Now()
	if status, body, _ := agent.postFile("/gestion/dossiers/"+id+"/messages", url.Values{"body": {"Votre acte est prêt."}},
		"files", "acte.pdf", []byte("%PDF-1.7\nacte\n")); status != http.StatusSeeOther {
		return fmt.Errorf("the agent's message through node A: %d %.300s", status, body)
	}
	deadline := time.After(time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				return errors.New("the stream ended before the notice")
			}
			if line == "event: message" {
				fmt.Printf("the agent wrote through node A; the page open on node B heard it after %v\n", time.Since(sent).Round(time.Microsecond))
				return nil
			}
		case <-deadline:
			return errors.New("no notice on node B within a second")
		}
	}
}

// openStream follows a server-sent event stream through b for 15 s at
// most, and returns its lines once the stream has begun.
func openStream(b *browser, path string) (lines <-chan string, stop func(), err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.url(path), nil)
	res, err := b.client.Do(req)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	stop = func() { res.Body.Close(); cancel() }
	if res.StatusCode != http.StatusOK {
		stop()
		return nil, nil, fmt.Errorf("the stream %s through %s: %d", path, b.addr, res.StatusCode)
	}
	ch := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			ch <- sc.Text()
		}
		close(ch)
	}()
	if first := <-ch; first != "retry: 3000" {
		stop()
		return nil, nil, fmt.Errorf("the stream %s began with %q", path, first)
	}
	return ch, stop, nil
}

var (
	serviceChoice = regexp.MustCompile(`name="service" value="([0-9a-f-]{36})"`)
	counterToOpen = regexp.MustCompile(`action="(/gestion/accueil/guichets/[0-9a-f-]{36})/ouvrir"`)
)

// checkBoard opens the demo site's board stream on node B, takes a
// ticket and calls it at a counter through node A, and waits for the
// call on node B's stream, then in node B's board state (read from the
// replica, once it holds the call's write).
func (c *cluster) checkBoard() error {
	phone := newBrowser("montclair.localhost", nodeAAddr)
	status, body, _ := phone.get("/file-attente/mairie")
	services := serviceChoice.FindAllStringSubmatch(body, -1)
	if status != http.StatusOK || len(services) < 3 {
		return fmt.Errorf("the site's page on node A: %d, %d services", status, len(services))
	}
	social := services[2][1] // no counter serves it in the demo
	if status, body, loc := phone.post("/file-attente/mairie/tickets", url.Values{"service": {social}}); status != http.StatusSeeOther ||
		!strings.HasPrefix(loc, "/ticket/") {
		return fmt.Errorf("a ticket through node A: %d %.300s", status, body)
	}
	boardB := newBrowser("montclair.localhost", nodeBAddr)
	lines, stop, err := openStream(boardB, "/file-attente/mairie/direct")
	if err != nil {
		return err
	}
	defer stop()
	agent := newBrowser("montclair.localhost", nodeAAddr)
	if err := agent.signIn("urbanisme@montclair.localhost"); err != nil {
		return err
	}
	_, home, _ := agent.get("/gestion/accueil")
	counters := counterToOpen.FindAllStringSubmatch(home, -1)
	if len(counters) == 0 {
		return errors.New("no closed counter to open on node A")
	}
	counter := counters[0][1]
	if status, body, _ := agent.post(counter+"/ouvrir", url.Values{"services": {social}}); status != http.StatusSeeOther {
		return fmt.Errorf("opening %s through node A: %d %.300s", counter, status, body)
	}
	for len(lines) > 0 { // the opening's own notice
		<-lines
	}
	sent := time.Now()
	if status, body, _ := agent.post(counter+"/appeler", nil); status != http.StatusSeeOther {
		return fmt.Errorf("the call through node A: %d %.300s", status, body)
	}
	deadline := time.After(time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				return errors.New("the board's stream ended before the call")
			}
			if !strings.HasPrefix(line, "data: {") {
				continue
			}
			heard := time.Since(sent)
			var call struct{ Label, Counter string }
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &call); err != nil {
				return fmt.Errorf("the call's data %q: %w", line, err)
			}
			took, ok := within(time.Second, func() bool {
				_, state, _ := boardB.get("/file-attente/mairie/ecran/etat")
				return strings.Contains(state, `"label":"`+call.Label+`"`)
			})
			if !ok {
				return fmt.Errorf("node B's board state lacks %s a second after the call", call.Label)
			}
			fmt.Printf("%s was called through node A; the board open on node B heard it after %v and read it %v later\n",
				call.Label, heard.Round(time.Microsecond), took.Round(time.Microsecond))
			return nil
		case <-deadline:
			return errors.New("no call on node B's board within a second")
		}
	}
}

// metric reads one value of a node's /metrics (loopback only).
func metric(addr, name string) (float64, error) {
	res, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var sum float64
	found := false
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name) || !(len(line) > len(name) && (line[len(name)] == ' ' || line[len(name)] == '{')) {
			continue
		}
		f := strings.Fields(line)
		v, err := strconv.ParseFloat(f[len(f)-1], 64)
		if err == nil {
			sum += v
			found = true
		}
	}
	if !found {
		return 0, fmt.Errorf("%s: no %s", addr, name)
	}
	return sum, nil
}

func (c *cluster) checkProfile() error {
	for _, addr := range []string{nodeAAddr, nodeBAddr} {
		if up, err := metric(addr, "guichet_replica_up"); err != nil || up != 1 {
			return fmt.Errorf("%s: guichet_replica_up %v (%v); want 1", addr, up, err)
		}
	}
	readsBefore, err := metric(nodeBAddr, "guichet_replica_reads_total")
	if err != nil {
		return err
	}
	// Right after a change, reads wait for the replica to replay it (a
	// poll or two): pages are read until one goes there.
	visitor := newBrowser("montclair.localhost", nodeBAddr)
	var readsAfter float64
	if _, ok := within(3*time.Second, func() bool {
		status, _, _ := visitor.get("/demarches")
		readsAfter, _ = metric(nodeBAddr, "guichet_replica_reads_total")
		return status == http.StatusOK && readsAfter > readsBefore
	}); !ok {
		return fmt.Errorf("node B sent no read to the replica in 3 s (%v, then %v)", readsBefore, readsAfter)
	}
	onA := newBrowser("montclair.localhost", nodeAAddr)
	if err := onA.signIn(resident); err != nil {
		return err
	}
	name := fmt.Sprintf("Habitant Démo %d", time.Now().UnixNano()%100000)
	if status, body, _ := onA.post("/compte", url.Values{"name": {name}, "lang": {"fr"}, "text_size": {""},
		"line_spacing": {""}}); status != http.StatusSeeOther {
		return fmt.Errorf("profile saved through node A: %d %.300s", status, body)
	}
	status, page, _ := onA.via(nodeBAddr).get("/compte")
	if status != http.StatusOK || !strings.Contains(page, name) {
		return fmt.Errorf("node B's profile page (%d) does not show %q", status, name)
	}
	lag, _ := metric(nodeBAddr, "guichet_replica_lag_bytes")
	fmt.Printf("node B sent %v reads to the replica; the name saved through node A reads back through node B; replica lag %v bytes\n",
		readsAfter-readsBefore, lag)
	return nil
}

func (c *cluster) checkSuspension() error {
	d, err := db.Open(context.Background(), c.primary)
	if err != nil {
		return err
	}
	var village string
	err = d.QueryRow(context.Background(), "SELECT id FROM tenants WHERE slug = 'sauvigny'").Scan(&village)
	d.Close()
	if err != nil {
		return err
	}
	visitor := newBrowser("sauvigny.localhost", nodeBAddr)
	if status, _, _ := visitor.get("/"); status != http.StatusOK {
		return fmt.Errorf("the village on node B: %d", status)
	}
	operator := newBrowser("localhost", nodeAAddr)
	if err := operator.signIn("operateur@guichet.localhost"); err != nil {
		return err
	}
	if status, body, _ := operator.post("/console/collectivites/"+village+"/statut", url.Values{"status": {"suspended"}}); status != http.StatusSeeOther {
		return fmt.Errorf("suspension through node A: %d %.300s", status, body)
	}
	took, ok := within(100*time.Millisecond, func() bool {
		status, _, _ := visitor.get("/")
		return status == http.StatusServiceUnavailable
	})
	if !ok {
		return fmt.Errorf("node B still serves the village after %v", took)
	}
	fmt.Printf("suspended through node A; node B answered 503 after %v\n", took.Round(time.Microsecond))
	if status, _, _ := operator.post("/console/collectivites/"+village+"/statut", url.Values{"status": {"active"}}); status != http.StatusSeeOther {
		return fmt.Errorf("reactivation: %d", status)
	}
	return nil
}

// seedRush makes an agenda of places places on node A's database and
// returns its slug.
func (c *cluster) seedRush(places int) (string, error) {
	out, err := exec.Command(c.bin, "seed", "appointments", "--tenant", "montclair", "--database-url", c.primary,
		"--data", filepath.Join(c.dir, "seed"), "--log-level", "warn", "--rush-places", strconv.Itoa(places)).CombinedOutput()
	m := regexp.MustCompile(`agenda (ruee-[a-z0-9]+):`).FindSubmatch(out)
	if err != nil || m == nil {
		return "", fmt.Errorf("seed a rush: %v\n%s", err, out)
	}
	return string(m[1]), nil
}

func (c *cluster) rush(agenda string, extra ...string) *exec.Cmd {
	args := append([]string{"--addr", frontAddr, "--agenda", agenda, "--clients", "2000", "--places", "200",
		"--database-url", c.primary}, extra...)
	cmd := exec.Command(filepath.Join(c.dir, "rush"), args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd
}

func (c *cluster) served() (a, b float64) {
	a, _ = metric(nodeAAddr, "guichet_http_requests_total")
	b, _ = metric(nodeBAddr, "guichet_http_requests_total")
	return a, b
}

func (c *cluster) checkRush() error {
	agenda, err := c.seedRush(200)
	if err != nil {
		return err
	}
	a0, b0 := c.served()
	if err := c.rush(agenda).Run(); err != nil {
		return err
	}
	a1, b1 := c.served()
	fmt.Printf("requests answered: node A %v, node B %v\n", a1-a0, b1-b0)
	if a1-a0 < 1000 || b1-b0 < 1000 {
		return errors.New("nginx did not spread the rush over both nodes")
	}
	return nil
}

func (c *cluster) pgReplica(action string) error {
	out, err := exec.Command("pg_ctlcluster", "--skip-systemctl-redirect", c.pgVersion, "guichet-replica", action, "-m", "fast").CombinedOutput()
	if err != nil && action == "start" {
		out, err = exec.Command("pg_ctlcluster", "--skip-systemctl-redirect", c.pgVersion, "guichet-replica", action).CombinedOutput()
	}
	if err != nil {
		return fmt.Errorf("pg_ctlcluster %s: %v %s", action, err, out)
	}
	return nil
}

func (c *cluster) checkReplicaDown() error {
	if err := c.pgReplica("stop"); err != nil {
		return err
	}
	defer func() { _ = c.pgReplica("start") }()
	took, ok := within(5*time.Second, func() bool {
		a, _ := metric(nodeAAddr, "guichet_replica_up")
		b, _ := metric(nodeBAddr, "guichet_replica_up")
		return a == 0 && b == 0
	})
	if !ok {
		return errors.New("the nodes did not see the replica go within 5 s")
	}
	visitor := newBrowser("montclair.localhost", frontAddr)
	for _, path := range []string{"/", "/actualites", "/agenda", "/demarches", "/rendez-vous", "/recherche?q=passeport"} {
		for range 2 { // nginx sends one to each node
			if status, _, _ := visitor.get(path); status != http.StatusOK {
				return fmt.Errorf("%s with the replica stopped: %d", path, status)
			}
		}
	}
	fmt.Printf("the nodes set the replica aside after %v; every page answered from the primary\n", took.Round(time.Millisecond))
	if err := c.pgReplica("start"); err != nil {
		return err
	}
	if _, ok := within(30*time.Second, func() bool {
		a, _ := metric(nodeAAddr, "guichet_replica_up")
		b, _ := metric(nodeBAddr, "guichet_replica_up")
		return a == 1 && b == 1
	}); !ok {
		return errors.New("the nodes did not take the replica back within 30 s")
	}
	fmt.Println("the replica is back in use on both nodes")
	return nil
}

func (c *cluster) checkKill() error {
	agenda, err := c.seedRush(200)
	if err != nil {
		return err
	}
	booked := filepath.Join(c.dir, "booked.txt")
	cmd := c.rush(agenda, "--booked-out", booked, "--node-killed")
	if err := cmd.Start(); err != nil {
		return err
	}
	// Kill node B once the rush is under way: some bookings made, most not.
	d, err := db.Open(context.Background(), c.primary)
	if err != nil {
		return err
	}
	defer d.Close()
	ctx := context.Background()
	count := func() int {
		var n int
		_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_bookings b JOIN appointment_agendas a ON a.id = b.agenda_id
			WHERE a.slug = ? AND b.status <> 'cancelled'`, agenda).Scan(&n)
		return n
	}
	if _, ok := within(30*time.Second, func() bool { return count() >= 20 }); !ok {
		return errors.New("the rush made no booking within 30 s")
	}
	atKill := count()
	if err := syscall.Kill(c.nodes["B"].Process.Pid, syscall.SIGKILL); err != nil {
		return err
	}
	_ = c.nodes["B"].Wait()
	fmt.Printf("node B killed with SIGKILL after %d bookings\n", atKill)
	if err := cmd.Wait(); err != nil { // the killed node's requests in flight fail; nothing else may
		return err
	}
	raw, err := os.ReadFile(booked)
	if err != nil {
		return err
	}
	emails := strings.Fields(string(raw))
	// An email is queued once its booking is written: the booking's row
	// is flagged until a job takes it over, and the job writes the
	// outbox; a job left running on the dead node is run again after the
	// queue's rescue delay. Lost would be a confirmed booking with none.
	type owed struct {
		id         string
		pending    bool
		mails      int
		jobs       string // the states of its notification jobs
		hasBooking bool
	}
	look := func(email string) (owed, error) {
		var o owed
		err := d.QueryRow(ctx, `SELECT b.id, b.confirm_pending,
			(SELECT COUNT(*) FROM outbox m WHERE LOWER(m.recipient) = LOWER(b.email)),
			COALESCE((SELECT string_agg(j.state::text, ',') FROM river_job j
				WHERE j.kind = 'appointment_notify' AND j.args->>'booking_id' = b.id), '')
			FROM appointment_bookings b JOIN appointment_agendas a ON a.id = b.agenda_id
			WHERE a.slug = ? AND b.status <> 'cancelled' AND LOWER(b.email) = LOWER(?)`, agenda, email).
			Scan(&o.id, &o.pending, &o.mails, &o.jobs)
		if errors.Is(err, sql.ErrNoRows) {
			return o, nil
		}
		o.hasBooking = err == nil
		return o, err
	}
	var missingBooking, lostMail []string
	waiting := 0
	for _, email := range emails {
		o, err := look(email)
		if err != nil {
			return err
		}
		switch {
		case !o.hasBooking:
			missingBooking = append(missingBooking, email)
		case o.mails == 0 && !o.pending && o.jobs == "":
			lostMail = append(lostMail, email)
		case o.mails == 0:
			waiting++
		}
	}
	fmt.Printf("%d clients were told their booking is confirmed: %d without their booking, %d without their email owed; %d emails not in the outbox yet\n",
		len(emails), len(missingBooking), len(lostMail), waiting)
	// The emails still owed reach the outbox once node A's sweep or job
	// queue takes them; those whose job died running with node B, after
	// the rescue delay.
	stranded := 0
	took, delivered := within(90*time.Second, func() bool {
		left, run := 0, 0
		for _, email := range emails {
			o, err := look(email)
			if err != nil || o.mails > 0 {
				continue
			}
			if strings.Contains(o.jobs, "running") {
				run++
			} else {
				left++
			}
		}
		stranded = run
		if left > 0 {
			time.Sleep(time.Second)
		}
		return left == 0
	})
	fmt.Printf("after %v every email owed was in the outbox, but %d whose job was running on node B, which the queue runs again after its rescue delay\n",
		took.Round(time.Second), stranded)
	var doubles int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_bookings x JOIN appointment_bookings y
		ON y.tenant_id = x.tenant_id AND y.resource_id = x.resource_id AND y.id < x.id
		AND y.starts_at < x.busy_until AND x.starts_at < y.busy_until
		JOIN appointment_agendas a ON a.id = x.agenda_id
		WHERE a.slug = ? AND x.status <> 'cancelled' AND y.status <> 'cancelled'`, agenda).Scan(&doubles); err != nil {
		return err
	}
	fmt.Printf("%d bookings stored, %d double bookings\n", count(), doubles)
	if len(emails) == 0 || len(missingBooking) > 0 || len(lostMail) > 0 || doubles > 0 {
		return fmt.Errorf("lost: bookings of %v, emails of %v; %d double bookings", missingBooking, lostMail, doubles)
	}
	if !delivered {
		return errors.New("emails owed, their job not running on the dead node, did not reach the outbox within 90 s")
	}
	// Node A served on alone.
	if status, _, _ := newBrowser("montclair.localhost", frontAddr).get("/"); status != http.StatusOK {
		return fmt.Errorf("the home page through nginx with node B dead: %d", status)
	}
	return nil
}

// loadRun generates c.load collectivités, each with a few news items, then
// loads the home pages of random ones through nginx: to both nodes, then
// to node A alone, with wrk.
func (c *cluster) loadRun() error {
	step(fmt.Sprintf("generating %d collectivités with 5 news items each", c.load))
	ctx := context.Background()
	cfg, flags, err := app.ParseConfig("seed", nil, func(string) string { return "" }, io.Discard)
	if err == nil {
		err = flags.Parse([]string{"--database-url", c.primary, "--data", filepath.Join(c.dir, "seed"), "--log-level", "error"})
	}
	if err != nil {
		return err
	}
	if err := cfg.Finish(); err != nil {
		return err
	}
	caps := app.Capabilities()
	var news *kernel.Generate
	for _, cp := range caps {
		if g, ok := cp.(kernel.Generator); ok && g.Generator().Name == "news" {
			gen := g.Generator()
			news = &gen
		}
	}
	fs := flag.NewFlagSet("news", flag.ContinueOnError)
	news.Flags(fs)
	if err := fs.Parse([]string{"--count", "5"}); err != nil {
		return err
	}
	cfg.Capabilities = caps
	a, err := app.New(ctx, cfg, io.Discard)
	if err != nil {
		return err
	}
	hosts := make([]string, c.load)
	start := time.Now()
	for i := range c.load {
		slug := fmt.Sprintf("charge-%04d", i+1)
		t, err := a.Tenants.Create(ctx, tenant.Tenant{Slug: slug, Name: fmt.Sprintf("Commune de Charge %d", i+1)})
		if err != nil {
			a.Close()
			return err
		}
		if err := news.Run(ctx, t, quiet{}, io.Discard); err != nil {
			a.Close()
			return err
		}
		hosts[i] = slug + ".localhost"
	}
	a.Close()
	fmt.Printf("%d collectivités in %v\n", c.load, time.Since(start).Round(time.Millisecond))
	script := filepath.Join(c.dir, "hosts.lua")
	var lua strings.Builder
	lua.WriteString("local hosts = {")
	for _, h := range hosts {
		fmt.Fprintf(&lua, "%q,", h)
	}
	lua.WriteString("}\nrequest = function()\n  return wrk.format(\"GET\", \"/\", {Host = hosts[math.random(#hosts)]})\nend\n")
	if err := os.WriteFile(script, []byte(lua.String()), 0o600); err != nil {
		return err
	}
	// Every collectivité's home page once, so that both runs start warm.
	for _, h := range hosts {
		for _, addr := range []string{nodeAAddr, nodeBAddr} {
			if status, body, _ := newBrowser(h, addr).get("/"); status != http.StatusOK {
				return fmt.Errorf("%s on %s: %d %.200s", h, addr, status, body)
			}
		}
	}
	fmt.Printf("machine: %d cores (%s); load before: %s", runtime.NumCPU(), cpuModel(), loadavg())
	for _, run := range []struct{ name, addr string }{{"nginx → nodes A and B", frontAddr}, {"nginx → node A alone", frontAOnly},
		{"node A directly, no nginx", nodeAAddr}, {"nginx → nodes A and B, again", frontAddr}, {"nginx → node A alone, again", frontAOnly}} {
		out, err := exec.Command("wrk", "-t2", "-c64", "-d15s", "--latency", "-s", script, "http://"+run.addr+"/").CombinedOutput()
		if err != nil {
			return fmt.Errorf("wrk: %v\n%s", err, out)
		}
		rate := regexp.MustCompile(`Requests/sec:\s+([\d.]+)`).FindSubmatch(out)
		p99 := regexp.MustCompile(`99%\s+([\d.]+\w+)`).FindSubmatch(out)
		errs := regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`).FindSubmatch(out)
		if rate == nil || p99 == nil {
			return fmt.Errorf("wrk's output:\n%s", out)
		}
		bad := "0"
		if errs != nil {
			bad = string(errs[1])
		}
		fmt.Printf("%-30s %9s req/s  p99 %8s  errors %s\n", run.name, rate[1], p99[1], bad)
	}
	fmt.Printf("load after: %s", loadavg())
	return nil
}

// quiet is a progress that shows nothing.
type quiet struct{}

func (quiet) Total(int) {}
func (quiet) Done(int)  {}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	return string(b)
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	if m := regexp.MustCompile(`model name\s*:\s*(.+)`).FindSubmatch(b); m != nil {
		return string(m[1])
	}
	return "unknown"
}
