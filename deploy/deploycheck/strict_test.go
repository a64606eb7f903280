package deploycheck

import (
	"slices"
	"strings"
)

// strict turns an OpenAPI v3 schema, as CRDs and Kubernetes publish it, into
// a JSON schema that refuses what the API server would drop or refuse:
//   - an object that lists its properties takes no others, unless it says
//     x-kubernetes-preserve-unknown-fields (the server prunes the rest, so a
//     misspelt field would vanish without a word);
//   - x-kubernetes-int-or-string means an integer or a string;
//   - nullable: true lets null through;
//   - an embedded resource may carry apiVersion, kind and metadata.
//
// It changes s in place and walks only schema positions, so that a property
// that happens to be called "properties" or "items" is not taken for a keyword.
func strict(s any) {
	m, ok := s.(map[string]any)
	if !ok {
		return
	}

	intOrString(m)
	nullable(m)
	embedded(m)
	closeObject(m)

	for _, key := range []string{"properties", "patternProperties", "definitions"} {
		if named, ok := m[key].(map[string]any); ok {
			for _, sub := range named {
				strict(sub)
			}
		}
	}

	for _, key := range []string{"items", "additionalProperties", "not"} {
		walkSchemaOrList(m[key])
	}

	for _, key := range []string{"allOf", "anyOf", "oneOf"} {
		walkSchemaOrList(m[key])
	}
}

func walkSchemaOrList(v any) {
	switch v := v.(type) {
	case map[string]any:
		strict(v)
	case []any:
		for _, sub := range v {
			strict(sub)
		}
	}
}

func closeObject(m map[string]any) {
	if _, ok := m["properties"]; !ok {
		return
	}

	if _, ok := m["additionalProperties"]; ok || m["x-kubernetes-preserve-unknown-fields"] == true {
		return
	}

	m["additionalProperties"] = false
}

func intOrString(m map[string]any) {
	if m["x-kubernetes-int-or-string"] != true {
		return
	}

	if _, ok := m["anyOf"]; ok {
		return
	}

	if _, ok := m["oneOf"]; ok {
		return
	}

	delete(m, "type")
	m["anyOf"] = []any{
		map[string]any{"type": "integer"},
		map[string]any{"type": "string"},
	}
}

func nullable(m map[string]any) {
	if m["nullable"] != true {
		return
	}

	if t, ok := m["type"].(string); ok {
		m["type"] = []any{t, "null"}
	}
}

func embedded(m map[string]any) {
	if m["x-kubernetes-embedded-resource"] != true {
		return
	}

	props, ok := m["properties"].(map[string]any)
	if !ok {
		return
	}

	for _, key := range []string{"apiVersion", "kind"} {
		if _, ok := props[key]; !ok {
			props[key] = map[string]any{"type": "string"}
		}
	}

	if _, ok := props["metadata"]; !ok {
		props["metadata"] = map[string]any{"type": "object"}
	}
}

// reachable lists, sorted, the definition named root and every definition it
// refers to, directly or not.
func reachable(root string, defs map[string]any) []string {
	seen := map[string]bool{}
	queue := []string{root}

	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]

		if seen[name] {
			continue
		}

		seen[name] = true
		queue = append(queue, refs(defs[name])...)
	}

	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}

	slices.Sort(names)

	return names
}

// refs lists the definition names that v refers to with "#/definitions/...".
func refs(v any) []string {
	var out []string

	switch v := v.(type) {
	case map[string]any:
		for k, sub := range v {
			if s, ok := sub.(string); ok && k == "$ref" {
				out = append(out, strings.TrimPrefix(s, "#/definitions/"))
				continue
			}

			out = append(out, refs(sub)...)
		}
	case []any:
		for _, sub := range v {
			out = append(out, refs(sub)...)
		}
	}

	return out
}
