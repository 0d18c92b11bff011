package appeals

import "testing"

func TestPhoneProblem(t *testing.T) {
	for s, ok := range map[string]bool{
		"": true, "13812345678": true, "138 1234 5678": true, "+86 138-1234-5678": true, "１３８１２３４５６７８": true,
		"010-62345678": true, "0755 8765 4321": true, "(010)62345678": true, "010-62345678转123": true,
		"12345": false, "110": false, "1381234567": false, "23812345678": false, "62345678": false, "abc": false,
		"010-623": false, "138123456789": false,
	} {
		if got := phoneProblem(s) == ""; got != ok {
			t.Errorf("%q: accepted %v, want %v (%q)", s, got, ok, phoneProblem(s))
		}
	}
}
