package web

import (
	"html"
	"html/template"
	"text/template/parse"
)

// pretranslate replaces every {{.T "constant key"}} (or {{$.T …}}) action
// of t by its translation in lang, and every {{.Asset "constant path"}} by
// the hashed path, as literal text, before html/template escapes the tree:
// a page then pays no reflective call for them, which were most of the
// layout's actions. Calls with other arguments are left alone.
func pretranslate(t *template.Template, cat *Catalogue, static *Static, lang string) {
	resolve := func(method, arg string) (string, bool) {
		switch method {
		case "T":
			return cat.T(lang, arg), true
		case "Asset":
			return static.Path(arg), true
		}
		return "", false
	}
	for _, tmpl := range t.Templates() {
		if tmpl.Tree != nil && tmpl.Tree.Root != nil {
			rewriteList(tmpl.Tree.Root, resolve)
		}
	}
}

type resolver func(method, arg string) (string, bool)

func rewriteList(list *parse.ListNode, resolve resolver) {
	if list == nil {
		return
	}
	for i, n := range list.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			if method, arg, ok := constantCall(n); ok {
				if text, ok := resolve(method, arg); ok {
					list.Nodes[i] = &parse.TextNode{NodeType: parse.NodeText, Pos: n.Pos,
						Text: []byte(html.EscapeString(text))}
				}
			}
		case *parse.IfNode:
			rewriteList(n.List, resolve)
			rewriteList(n.ElseList, resolve)
		case *parse.RangeNode:
			rewriteList(n.List, resolve)
			rewriteList(n.ElseList, resolve)
		case *parse.WithNode:
			rewriteList(n.List, resolve)
			rewriteList(n.ElseList, resolve)
		case *parse.ListNode:
			rewriteList(n, resolve)
		}
	}
}

// constantCall matches {{.Method "string"}} and {{$.Method "string"}}
// exactly: one command, one string argument, no variable declarations.
// Only the page has methods named T and Asset, so the rewrite holds
// wherever dot points.
func constantCall(n *parse.ActionNode) (method, arg string, ok bool) {
	if n.Pipe == nil || len(n.Pipe.Decl) > 0 || len(n.Pipe.Cmds) != 1 {
		return "", "", false
	}
	args := n.Pipe.Cmds[0].Args
	if len(args) != 2 {
		return "", "", false
	}
	s, isString := args[1].(*parse.StringNode)
	if !isString {
		return "", "", false
	}
	switch f := args[0].(type) {
	case *parse.FieldNode:
		if len(f.Ident) == 1 {
			return f.Ident[0], s.Text, true
		}
	case *parse.VariableNode:
		if len(f.Ident) == 2 && f.Ident[0] == "$" {
			return f.Ident[1], s.Text, true
		}
	}
	return "", "", false
}
