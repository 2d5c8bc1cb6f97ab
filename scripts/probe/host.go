package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// hostHeaders are Host values that try to slip another site into the
// absolute links of feeds, the sitemap and mails.
func (p *probe) hostHeaders() []string {
	town := "montclair.localhost"
	return []string{
		town + ":1,evil.example", town + ":" + p.port + ",evil.example", town + ":evil.example",
		town + ":" + p.port + "@evil.example", town + ":" + p.port + "/evil.example", town + ":80 evil.example",
		town + ".evil.example", "evil.example", town + ":" + p.port + "\\evil.example", town + ":99999",
		town + ":-1", town + ":0x50", town + ":" + p.port + "#evil.example", town + ":" + p.port + "?evil.example",
	}
}

// hostPaths write absolute links built from the request's host.
var hostPaths = []string{"/actualites/flux.atom", "/agenda/flux.ics", "/alertes/flux.atom", "/sitemap.xml",
	"/robots.txt", "/", "/rendez-vous"}

// hostInjection sends each hostile Host to pages that write absolute
// links, and asks for a password reset with it: no answer and no mail may
// name the other site.
func (p *probe) hostInjection() {
	hosts := p.hostHeaders()
	fmt.Println("== Host header injection:", len(hosts), "hosts ×", len(hostPaths), "pages, and a password reset each")
	for _, h := range hosts {
		for _, path := range hostPaths {
			res, body, err := p.raw("127.0.4.1", "GET "+path+" HTTP/1.1\r\nHost: "+h+"\r\nConnection: close\r\n\r\n")
			if err != nil {
				p.check(false, "GET %s with Host %q: %v", path, h, err)
				continue
			}
			p.check(!strings.Contains(strings.ToLower(body), "evil.example") &&
				!strings.Contains(strings.ToLower(res.Header.Get("Location")), "evil.example"),
				"GET %s with Host %q writes the other site into its answer (status %d)", path, h, res.StatusCode)
			p.check(res.StatusCode < 500, "GET %s with Host %q: status %d", path, h, res.StatusCode)
		}
		form := url.Values{"email": {"habitante@courriel.localhost"}}.Encode()
		res, _, err := p.raw("127.0.4.2", "POST /mot-de-passe-oublie HTTP/1.1\r\nHost: "+h+
			"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "+strconv.Itoa(len(form))+
			"\r\nConnection: close\r\n\r\n"+form)
		if err == nil && res.StatusCode < 400 {
			// Accepted: the host was taken for the town's; the mail's links
			// must then be the town's own (checked by the tests), and the
			// host as given must have been a valid one.
			p.check(!strings.Contains(h, "evil") && !strings.Contains(h, ","),
				"a password reset was accepted with Host %q (status %d)", h, res.StatusCode)
		}
	}
}

// raw sends request as written, from source: a hostile Host need not be
// one that Go's client agrees to send.
func (p *probe) raw(source, request string) (*http.Response, string, error) {
	d := net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(source)}}
	conn, err := d.Dial("tcp", "127.0.0.1:"+p.port)
	if err != nil {
		return nil, "", err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		return nil, "", err
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	return res, string(body), nil
}
