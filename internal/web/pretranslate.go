package web

import (
	"html"
	"html/template"
	"text/template/parse"
)

// pretranslate replaces every {{.T "constant key"}} action of t by its
// translation in lang, as literal text, before html/template escapes the
// tree: a page then pays no reflective call per translated string, which
// is most of the layout's actions. Calls with arguments are left alone.
func pretranslate(t *template.Template, cat *Catalogue, lang string) {
	for _, tmpl := range t.Templates() {
		if tmpl.Tree != nil && tmpl.Tree.Root != nil {
			rewriteList(tmpl.Tree.Root, cat, lang)
		}
	}
}

func rewriteList(list *parse.ListNode, cat *Catalogue, lang string) {
	if list == nil {
		return
	}
	for i, n := range list.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			if key, ok := constantT(n); ok {
				list.Nodes[i] = &parse.TextNode{NodeType: parse.NodeText, Pos: n.Pos,
					Text: []byte(html.EscapeString(cat.T(lang, key)))}
			}
		case *parse.IfNode:
			rewriteList(n.List, cat, lang)
			rewriteList(n.ElseList, cat, lang)
		case *parse.RangeNode:
			rewriteList(n.List, cat, lang)
			rewriteList(n.ElseList, cat, lang)
		case *parse.WithNode:
			rewriteList(n.List, cat, lang)
			rewriteList(n.ElseList, cat, lang)
		case *parse.ListNode:
			rewriteList(n, cat, lang)
		}
	}
}

// constantT matches {{.T "key"}} exactly: one command, the field T on dot,
// one string argument, no variable declarations.
func constantT(n *parse.ActionNode) (string, bool) {
	if n.Pipe == nil || len(n.Pipe.Decl) > 0 || len(n.Pipe.Cmds) != 1 {
		return "", false
	}
	args := n.Pipe.Cmds[0].Args
	if len(args) != 2 {
		return "", false
	}
	f, ok := args[0].(*parse.FieldNode)
	if !ok || len(f.Ident) != 1 || f.Ident[0] != "T" {
		return "", false
	}
	s, ok := args[1].(*parse.StringNode)
	if !ok {
		return "", false
	}
	return s.Text, true
}
