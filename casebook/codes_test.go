package casebook

import (
	"errors"
	"strings"
	"testing"
)

// checkTable: every code, Chinese name and English name of a table reads
// back as its code, in any letter case and in full width, and no spelling
// (name or alias) stands for two codes.
func checkTable[T ~string](t *testing.T, tb *CodeTable[T]) {
	t.Helper()
	seen := map[string]string{}
	claim := func(spelling, code string) {
		t.Helper()
		k := strings.ToLower(spelling)
		if other, ok := seen[k]; ok && other != code {
			t.Errorf("%s: %q means both %s and %s", tb.what, spelling, other, code)
		}
		seen[k] = code
	}
	for _, n := range tb.names {
		for _, spelling := range []string{n.code, n.zh, n.en, strings.ToUpper(n.en), " " + n.zh + " ", toFullWidth(n.code)} {
			got, err := tb.Parse(spelling)
			if err != nil || string(got) != n.code {
				t.Errorf("%s: Parse(%q) = %q, %v; want %s", tb.what, spelling, got, err, n.code)
			}
		}
		claim(n.code, n.code)
		claim(n.zh, n.code)
		claim(n.en, n.code)
		if tb.Chinese(T(n.code)) != n.zh || tb.English(T(n.code)) != n.en {
			t.Errorf("%s: names of %s", tb.what, n.code)
		}
	}
	for a, code := range tb.aliases {
		if _, ok := tb.name(T(code)); !ok {
			t.Errorf("%s: alias %q stands for unknown code %q", tb.what, a, code)
		}
		if a != strings.ToLower(a) {
			t.Errorf("%s: alias %q is not lower case, so it can never match", tb.what, a)
		}
		claim(a, code)
	}
	_, err := tb.Parse("没有这一项")
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Code != CodeNotInList || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tb.what) {
		t.Errorf("%s: an unknown value gives %v", tb.what, err)
	}
	if tb.blank == nil {
		if _, err := tb.Parse("  "); !errors.As(err, &fe) || fe.Code != CodeRequired {
			t.Errorf("%s: a blank value gives %v", tb.what, err)
		}
	}
}

func toFullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r > ' ' && r < 0x7f {
			return r + 0xfee0
		}
		return r
	}, s)
}

func TestCodeTables(t *testing.T) {
	checkTable(t, ChannelCodes)
	checkTable(t, TypeCodes)
	checkTable(t, UrgencyCodes)
	checkTable(t, LevelCodes)
	checkTable(t, SolvedCodes)
	checkTable(t, SatisfactionCodes)
	checkTable(t, LinkKindCodes)
	checkTable(t, StatusCodes)
	checkTable(t, ActionCodes)
	checkTable(t, CountingCodes)
	checkTable(t, DisputeStatusCodes)
	checkTable(t, DisputeActionCodes)
	checkTable(t, PartyKindCodes)
	checkTable(t, MeetingKindCodes)
	checkTable(t, VoteMethodCodes)
	if u, err := ParseUrgency(""); err != nil || u != UrgencyGeneral {
		t.Errorf("blank urgency: %q %v", u, err)
	}
	if m, err := ParseVoteMethod(" "); err != nil || m != VoteShowOfHands {
		t.Errorf("blank vote method: %q %v", m, err)
	}
	if c, err := ParseCounting("工作日"); err != nil || c != CountWorking || c.Chinese() != "工作日" {
		t.Errorf("counting: %q %v", c, err)
	}
}
