package mailtest

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/hex"
	"strings"
)

const cramMD5 = "CRAM-MD5"

// cramMD5Server is the server side of CRAM-MD5 (RFC 2195): the password
// never travels, but the exchange seen in clear can be cracked offline.
type cramMD5Server struct {
	check    func(user string, passwordOK bool) error
	password string
	sent     bool
}

const cramChallenge = "<1896.697170952@mailtest.localhost>"

func (c *cramMD5Server) Next(response []byte) ([]byte, bool, error) {
	if !c.sent {
		c.sent = true
		return []byte(cramChallenge), false, nil
	}
	user, digest, _ := strings.Cut(string(response), " ")
	mac := hmac.New(md5.New, []byte(c.password))
	mac.Write([]byte(cramChallenge))
	return nil, true, c.check(user, hmac.Equal([]byte(digest), []byte(hex.EncodeToString(mac.Sum(nil)))))
}
