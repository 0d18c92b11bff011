package casebook

import (
	"strings"
)

// DiffKind says whether a line of a plan comparison is unchanged, only in
// the older version, or only in the newer.
type DiffKind string

// Diff line kinds.
const (
	DiffSame    DiffKind = "="
	DiffRemoved DiffKind = "-"
	DiffAdded   DiffKind = "+"
)

// DiffLine is one line of a plan comparison. Field is the plan field the
// line belongs to: "title", "description", "cost", "funding" or "upkeep".
type DiffLine struct {
	Field string   `json:"field"`
	Kind  DiffKind `json:"kind"`
	Text  string   `json:"text"`
}

// maxDiffCells bounds the LCS table (4 MiB of int32); longer descriptions
// fall back to "all removed, all added", still correct, just less precise.
const maxDiffCells = 1 << 20

// PlanDiff compares two plan versions so the UI can show what changed from
// a to b: the description line by line (a longest-common-subsequence diff),
// then title, cost, funding and upkeep field by field. Unchanged lines and
// fields are included as DiffSame so the whole of both versions can be shown;
// an empty field yields no line.
func PlanDiff(a, b PlanVersion) []DiffLine {
	var out []DiffLine
	field := func(name, x, y string) {
		switch {
		case x == y && x != "":
			out = append(out, DiffLine{name, DiffSame, x})
		case x != y:
			if x != "" {
				out = append(out, DiffLine{name, DiffRemoved, x})
			}
			if y != "" {
				out = append(out, DiffLine{name, DiffAdded, y})
			}
		}
	}
	field("title", a.Title, b.Title)
	out = append(out, diffLines("description", splitLines(a.Description), splitLines(b.Description))...)
	field("cost", a.Cost, b.Cost)
	field("funding", a.Funding, b.Funding)
	field("upkeep", a.Upkeep, b.Upkeep)
	return out
}

// splitLines splits text into lines, treating CRLF as LF and ignoring one
// final newline.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// diffLines is a line diff by longest common subsequence. The common
// prefix and suffix are taken off first, which keeps the table small for
// the usual revision that changes a few lines.
func diffLines(field string, a, b []string) []DiffLine {
	var out []DiffLine
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		out = append(out, DiffLine{field, DiffSame, a[pre]})
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	x, y := a[pre:len(a)-suf], b[pre:len(b)-suf]
	n, m := len(x), len(y)
	if n*m > maxDiffCells {
		for _, l := range x {
			out = append(out, DiffLine{field, DiffRemoved, l})
		}
		for _, l := range y {
			out = append(out, DiffLine{field, DiffAdded, l})
		}
	} else {
		// lcs[i*(m+1)+j] is the LCS length of x[i:] and y[j:].
		w := m + 1
		lcs := make([]int32, (n+1)*w)
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if x[i] == y[j] {
					lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
				} else {
					lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n && j < m {
			switch {
			case x[i] == y[j]:
				out = append(out, DiffLine{field, DiffSame, x[i]})
				i++
				j++
			case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
				out = append(out, DiffLine{field, DiffRemoved, x[i]}) // removals first, as readers expect
				i++
			default:
				out = append(out, DiffLine{field, DiffAdded, y[j]})
				j++
			}
		}
		for ; i < n; i++ {
			out = append(out, DiffLine{field, DiffRemoved, x[i]})
		}
		for ; j < m; j++ {
			out = append(out, DiffLine{field, DiffAdded, y[j]})
		}
	}
	for k := len(a) - suf; k < len(a); k++ {
		out = append(out, DiffLine{field, DiffSame, a[k]})
	}
	return out
}
