package input

import (
	"fmt"
	"strconv"
	"strings"

	"casebook/casebook"
)

// MaxBuildingRange bounds one range of building numbers, so that a typo
// ("1-30000") cannot make a pick-list nobody can use.
const MaxBuildingRange = 1000

// rangeDashes are what people type between the ends of a range.
var rangeDashes = []string{"-", "~", "～", "—", "–", "至", "到"}

// Buildings reads the community's building pick-list: names as List reads
// them, where a range of numbers stands for every building in it: "1-30",
// "1~30", "1至30", "1-30号楼" are 1号楼 … 30号楼. Names are made
// half-width, so that "１４号楼" and "14号楼" are one building.
func Buildings(s string) ([]string, error) {
	var out []string
	for _, p := range List(casebook.NormalizeWidth(s)) {
		lo, hi, ok := cutRange(strings.TrimSuffix(p, "号楼"))
		if !ok {
			out = append(out, p)
			continue
		}
		a, err1 := strconv.Atoi(lo)
		b, err2 := strconv.Atoi(hi)
		if err1 != nil || err2 != nil || a < 1 || b < a || b-a >= MaxBuildingRange {
			return nil, invalid(casebook.CodeBadRange, fmt.Sprintf("%q is not a range like 1-30", p), p)
		}
		for i := a; i <= b; i++ {
			out = append(out, strconv.Itoa(i)+"号楼")
		}
	}
	return out, nil
}

// cutRange splits "A-B" at its dash when both ends are digits only; a name
// with a dash in it ("A-3栋") is not a range.
func cutRange(p string) (lo, hi string, ok bool) {
	for _, d := range rangeDashes {
		if a, b, found := strings.Cut(p, d); found {
			a, b = strings.TrimSpace(a), strings.TrimSpace(b)
			if allDigits(a) && allDigits(b) {
				return a, b, true
			}
		}
	}
	return "", "", false
}

func allDigits(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
