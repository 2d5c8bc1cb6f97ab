// Command hello is the bare net/http baseline that scripts/loadtest runs
// next to Guichet: the same machine, the same load tool, the same run.
package main

import (
	"flag"
	"io"
	"log"
	"net/http"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8181", "listen address")
	flag.Parse()
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "Hello, world!\n") })
	log.Fatal(http.ListenAndServe(*addr, h))
}
