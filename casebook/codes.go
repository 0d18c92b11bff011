package casebook

import (
	"fmt"
	"strings"
)

// codeName pairs a stable code with its Chinese and English names, so that
// parsers accept any of them and displays can fall back to Chinese without
// the UI.
type codeName struct{ code, zh, en string }

// CodeTable is one enumeration of the domain: its stable codes in display
// order, each with its Chinese and English names, and the other spellings
// people type. Every enumeration has one (channels, types, urgencies,
// statuses, steps, verdicts, link kinds, the day counting of deadlines,
// and the dispute's statuses, steps, party kinds, meeting kinds and vote
// methods), so that the CLI, the app and the importers read and name codes
// the same way. The codes are stored in operations: they never change.
type CodeTable[T ~string] struct {
	what    string            // what a code is, in errors: "channel"
	names   []codeName        // in display order
	aliases map[string]string // lower-case spellings → code
	blank   *T                // what an empty input means; nil: it is missing
}

// Parse accepts a code, its Chinese or English name or an alias, ignoring
// letter case, full-width letters and surrounding spaces. A failure is a
// FieldError (CodeRequired when s is blank, else CodeNotInList with s)
// whose text names the valid codes.
func (t *CodeTable[T]) Parse(s string) (T, error) {
	trimmed := strings.TrimSpace(normalizeWidth(s))
	if trimmed == "" && t.blank != nil {
		return *t.blank, nil
	}
	lower := strings.ToLower(trimmed)
	for _, n := range t.names {
		if lower == n.code || trimmed == n.zh || lower == strings.ToLower(n.en) {
			return T(n.code), nil
		}
	}
	if c, ok := t.aliases[lower]; ok {
		return T(c), nil
	}
	codes := make([]string, len(t.names))
	for i, n := range t.names {
		codes[i] = n.code
	}
	msg := fmt.Sprintf("%s %q is not one of %s", t.what, s, strings.Join(codes, ", "))
	if trimmed == "" {
		return "", invalid(CodeRequired, msg)
	}
	return "", invalid(CodeNotInList, msg, trimmed)
}

// Codes lists the codes in display order.
func (t *CodeTable[T]) Codes() []T {
	out := make([]T, len(t.names))
	for i, n := range t.names {
		out[i] = T(n.code)
	}
	return out
}

// Chinese is a code's Chinese name (the code itself if it has none).
func (t *CodeTable[T]) Chinese(c T) string {
	if n, ok := t.name(c); ok {
		return n.zh
	}
	return string(c)
}

// English is a code's English name (the code itself if it has none).
func (t *CodeTable[T]) English(c T) string {
	if n, ok := t.name(c); ok {
		return n.en
	}
	return string(c)
}

func (t *CodeTable[T]) name(c T) (codeName, bool) {
	for _, n := range t.names {
		if n.code == string(c) {
			return n, true
		}
	}
	return codeName{}, false
}

// known reports whether c is one of the table's codes.
func (t *CodeTable[T]) known(c T) bool {
	_, ok := t.name(c)
	return ok
}

// blankMeans is the value of CodeTable.blank: what an empty input stands for.
func blankMeans[T ~string](v T) *T { return &v }
