package xlsx

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestCheckXML(t *testing.T) {
	lim := &xmlLimits{text: 32, rows: 2, columns: 2, cells: 3, strings: 1}
	good := []string{
		`<a/>`,
		"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x='1' y=\"&lt;&#x4e2d;&#20013;\"><!-- c --><b>text &amp; 中文</b><![CDATA[<raw>]]></a>\n",
		`<x:row xmlns:x="u"><x:c/><x:c/></x:row>`,
	}
	for _, s := range good {
		if err := checkXML(strings.NewReader(s), lim, &xmlStats{}); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	bad := map[string]string{
		"empty":           ``,
		"unclosed":        `<a><b></b>`,
		"cut in a tag":    `<a><b`,
		"mismatch":        `<a></b>`,
		"two roots":       `<a/><b/>`,
		"text outside":    `x<a/>`,
		"bad entity":      `<a>&bogus;</a>`,
		"bad char ref":    `<a>&#1;</a>`,
		"control":         "<a>\x01</a>",
		"bad utf8":        "<a>\xff</a>",
		"lt in attr":      `<a x="<"/>`,
		"no quotes":       `<a x=1/>`,
		"no space":        `<a x="1"y="2"/>`,
		"doctype":         `<!DOCTYPE a><a/>`,
		"comment dashes":  `<a><!-- a -- b --></a>`,
		"gbk":             `<?xml version="1.0" encoding="GBK"?><a/>`,
		"name digit":      `<1a/>`,
		"long text":       `<a>` + strings.Repeat("x", 33) + `</a>`,
		"long attr":       `<a x="` + strings.Repeat("x", 33) + `"/>`,
		"rows":            `<s><row/><row/><row/></s>`,
		"columns":         `<s><row><c/><c/><c/></row></s>`,
		"cells":           `<s><row><c/><c/></row><row><c/><c/></row></s>`,
		"shared strings":  `<sst><si/><si/></sst>`,
		"deep":            strings.Repeat("<a>", 65) + strings.Repeat("</a>", 65),
		"cdata outside":   `<![CDATA[x]]><a/>`,
		"unclosed cdata":  `<a><![CDATA[x</a>`,
		"unclosed attr":   `<a x="1>`,
		"end tag nothing": `</a>`,
	}
	for name, s := range bad {
		if err := checkXML(strings.NewReader(s), lim, &xmlStats{}); err == nil {
			t.Errorf("%s: %q accepted", name, s)
		}
	}
	if err := checkXML(strings.NewReader(`<a>`+strings.Repeat("x", 33)+`</a>`), lim, &xmlStats{}); !errors.Is(err, errXMLLimit) {
		t.Errorf("a long text: %v", err)
	}
}

// FuzzCheckXML: whatever checkXML accepts, encoding/xml (strict, as
// excelize reads it) reads to the end without an error, so excelize cannot
// stop silently in the middle of a part that was checked.
func FuzzCheckXML(f *testing.F) {
	for _, s := range []string{`<a/>`, `<a x="1"><b>t&amp;</b></a>`, "<?xml version=\"1.0\"?><a>\xe4\xb8\xad</a>", `<a><![CDATA[x]]></a>`,
		`<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>工单编号</t></is></c></row></sheetData></worksheet>`,
		`<a>&#x1F600;</a>`, `<a><!--c--></a>`, `<a>_x001B_]0;t_x0007_</a>`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lim := &xmlLimits{text: 1 << 10, rows: 100, columns: 100, cells: 1000, strings: 100}
		if checkXML(strings.NewReader(s), lim, &xmlStats{}) != nil {
			return
		}
		d := xml.NewDecoder(strings.NewReader(s))
		for {
			_, err := d.Token()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatalf("checkXML accepted %q, encoding/xml says %v", s, err)
			}
		}
	})
}
