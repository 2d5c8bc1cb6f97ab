package open311test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
)

// node is any XML element.
type node struct {
	XMLName xml.Name
	Nodes   []node `xml:",any"`
}

// RecordKeys returns the field names present in each record of a
// document: the items of a list document when inner is "", else the
// items of the list named inner in an object document (a definition's
// "attributes"). It tells a field left out from one left empty.
func RecordKeys(format string, body []byte, inner string) ([][]string, error) {
	if format == "json" {
		var records []map[string]json.RawMessage
		if inner == "" {
			if err := json.Unmarshal(body, &records); err != nil {
				return nil, err
			}
		} else {
			var doc map[string]json.RawMessage
			if err := json.Unmarshal(body, &doc); err != nil {
				return nil, err
			}
			if err := json.Unmarshal(doc[inner], &records); err != nil {
				return nil, fmt.Errorf("%s: %w", inner, err)
			}
		}
		keys := make([][]string, len(records))
		for i, r := range records {
			for k := range r {
				keys[i] = append(keys[i], k)
			}
		}
		return keys, nil
	}
	var root node
	if err := xml.Unmarshal(body, &root); err != nil {
		return nil, err
	}
	items := root.Nodes
	if inner != "" {
		items = nil
		for _, n := range root.Nodes {
			if n.XMLName.Local == inner {
				items = n.Nodes
			}
		}
	}
	keys := make([][]string, len(items))
	for i, item := range items {
		for _, f := range item.Nodes {
			keys[i] = append(keys[i], f.XMLName.Local)
		}
	}
	return keys, nil
}
