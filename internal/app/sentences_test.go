package app_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"guichet/internal/apptest"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// TestDomainMessagesHaveEnglish: every message the code words in French
// for a reader (a guichet.Error's message, a field error) has an English
// translation in a messages/sentences.en.json, and every translation
// there is still used. Messages are found in the source: arguments of
// guichet.Errorf, Message of a guichet.Error, values of map[string]string
// literals and of assignments to a map element, and formats of
// fmt.Sprintf, when they read as a sentence (see isSentence). A sentence
// said only inside one capability's folder is translated in that
// capability's web module; one said elsewhere too, in the kernel's.
func TestDomainMessagesHaveEnglish(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, dbtest.URLs(t)[db.SQLite])
	english := e.App.Web.Render.Cat.Sentences("en")
	found := sourceSentences(t, "..")
	if len(found) < 150 {
		t.Fatalf("found %d sentences in the source: the search is broken", len(found))
	}
	files := sentenceFiles(t, "..")
	for s, where := range found {
		if _, ok := english[s]; !ok {
			t.Errorf("%s: no English for %q", where[0], s)
			continue
		}
		owner, in := ownerOf(where), files[s]
		if owner != "" && in != capabilityFolder+owner+"/"+owner+"web/messages/sentences.en.json" {
			t.Errorf("%q is said only by the capability %s: translate it in its web module's messages, not in %s", s, owner, in)
		}
		if owner == "" && strings.HasPrefix(in, capabilityFolder) {
			t.Errorf("%q is said outside %s (%s): translate it in the kernel's messages, not in %s", s, in, where[0], in)
		}
	}
	for s := range english {
		if _, ok := found[s]; !ok {
			t.Errorf("sentences.en.json translates %q, which the code no longer says", s)
		}
	}
}

const capabilityFolder = "../capability/"

// ownerOf is the capability whose folder holds every place a sentence is
// said, or "" when one is outside capabilities or in two of them.
func ownerOf(where []string) string {
	owner := ""
	for _, w := range where {
		rest, ok := strings.CutPrefix(filepath.ToSlash(w), capabilityFolder)
		if !ok {
			return ""
		}
		name, _, _ := strings.Cut(rest, "/")
		if owner != "" && owner != name {
			return ""
		}
		owner = name
	}
	return owner
}

// sentenceFiles maps each translated sentence to the sentences.en.json
// under root that translates it.
func sentenceFiles(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "sentences.en.json" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		for fr := range m {
			out[fr] = filepath.ToSlash(path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sourceSentences returns the sentences of the Go files under root, but
// not those of tests, of the wiring (configuration names) and of the demo
// (content, not messages), with every place each is said.
func sourceSentences(t *testing.T, root string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "app", "apptest", "dbtest", "mailtest", "demo", "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		add := func(e ast.Expr) {
			lit, ok := e.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !isSentence(s) {
				return
			}
			out[s] = append(out[s], fset.Position(lit.Pos()).String())
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				if isGuichet(x.Fun, "Errorf") && len(x.Args) >= 2 {
					add(x.Args[1])
				}
				if isCall(x.Fun, "fmt", "Sprintf") && len(x.Args) >= 1 {
					add(x.Args[0])
				}
			case *ast.CompositeLit:
				if isGuichet(x.Type, "Error") {
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Message" {
								add(kv.Value)
							}
						}
					}
				}
				if isStringMap(x.Type) {
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							add(kv.Value)
						}
					}
				}
			case *ast.AssignStmt:
				if len(x.Lhs) == 1 && len(x.Rhs) == 1 {
					if _, ok := x.Lhs[0].(*ast.IndexExpr); ok {
						add(x.Rhs[0])
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// isSentence: a capital or « first and a full stop last; or, with format
// verbs, the pattern of a sentence about something, "%s (élément %d)".
func isSentence(s string) bool {
	r := []rune(s)
	if len(r) < 2 || !strings.Contains(s, " ") {
		return false
	}
	first, last := r[0], r[len(r)-1]
	if strings.HasPrefix(s, "%s (") && last == ')' {
		return true
	}
	return (unicode.IsUpper(first) || first == '«') && strings.ContainsRune(".?!", last)
}

func isGuichet(e ast.Expr, name string) bool { return isCall(e, "guichet", name) }

func isCall(e ast.Expr, pkg, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg && sel.Sel.Name == name
}

func isStringMap(e ast.Expr) bool {
	m, ok := e.(*ast.MapType)
	if !ok {
		return false
	}
	k, ok1 := m.Key.(*ast.Ident)
	v, ok2 := m.Value.(*ast.Ident)
	return ok1 && ok2 && k.Name == "string" && v.Name == "string"
}
