package words

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"
)

// TestFieldErrorTexts: every field problem these inputs make the domain
// report has a translated sentence of its own, not the generic one (by its
// code; see TestEveryCodeTranslated).
func TestFieldErrorTexts(t *testing.T) {
	if err := SetLanguage(LangChinese); err != nil {
		t.Fatal(err)
	}
	generic := FieldErrorText(&casebook.FieldError{Field: "x", Msg: "?"})
	now := time.Now()
	var got []*casebook.FieldError
	collect := func(err error) {
		t.Helper()
		fes := FieldErrors(err)
		if len(fes) == 0 {
			t.Errorf("no field errors in %v", err)
		}
		got = append(got, fes...)
	}
	bad := casebook.CaseInput{Received: now.Add(time.Hour), Channel: "12345", Type: "x", Urgency: "x", Category: "", Phone: "abc",
		Unit: strings.Repeat("单", 70)}
	_, err := bad.Validate(nil, now)
	collect(err)
	_, err = (&casebook.CaseInput{Category: "不存在", Summary: "x"}).Validate([]string{"停车管理"}, now)
	collect(err)
	long := strings.Repeat("长", 201)
	_, err = (&casebook.CaseInput{Channel: "walk-in", Type: "help", Category: "a", Summary: long, Location: long}).Validate(nil, now)
	collect(err)
	c := casebook.NewCase("01JX0000000000000000000000")
	a := casebook.Author{Origin: "d", Clock: casebook.NewClock(time.Now)}
	for _, s := range []casebook.Step{
		{Action: casebook.ActProgress, At: now.Add(-time.Hour)},
	} {
		c.Status = casebook.StatusResponded
		_, err := a.Step(c, s)
		collect(err)
	}
	for _, s := range []casebook.Step{{Action: casebook.ActDispatch}, {Action: casebook.ActReopen}, {Action: casebook.ActNote, At: now.Add(time.Hour)}} {
		c.Status = casebook.StatusResolved
		if s.Action == casebook.ActDispatch {
			c.Status = casebook.StatusResponded
		}
		_, err := a.Step(c, s)
		collect(err)
	}
	w := casebook.DefaultWeights()
	w.Response = 0.9
	collect(w.Validate())
	w = casebook.DefaultWeights()
	w.PartlySolved = 2
	collect(w.Validate())
	set := casebook.DefaultSettings()
	set.Categories = nil
	collect(set.Validate())
	set = casebook.DefaultSettings()
	set.Categories = []string{"a", "a"}
	collect(set.Validate())
	for _, fe := range got {
		if txt := FieldErrorText(fe); txt == generic || txt == "" {
			t.Errorf("%s %q has no translation of its own", fe.Field, fe.Msg)
		}
	}
}

func TestErrorMessages(t *testing.T) {
	if err := SetLanguage(LangChinese); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("open x: %w", store.ErrLocked), "台账文件正被另一个程序使用（可能是另一个台账窗口）。请先关闭它，再重试。"},
		{fmt.Errorf("open x: %w", store.ErrNotCasebook), "该文件不是台账文件，未做任何改动。"},
		{fmt.Errorf("open x: %w", store.ErrCorrupt), "台账文件已损坏，未做任何改动。请从备份恢复，或打开其他文件。"},
		{fmt.Errorf("open x: %w", store.ErrTooNew), "该台账文件由更新版本的程序写入，请先升级本程序再打开。"},
		{fmt.Errorf("x: %w", casebook.ErrTransition), "诉求当前状态下不能进行这一步。"},
		{casebook.FieldErrors{{Field: "summary", Code: casebook.CodeRequired, Msg: "write a short summary"}}, "诉求摘要：请填写诉求摘要"},
		{errors.New("boom"), "出错了。"},
	} {
		if got := ErrorMessage(c.err); got != c.want {
			t.Errorf("%v: %q, want %q", c.err, got, c.want)
		}
	}
}

// TestEveryCodeTranslated: every code the core declares (casebook's
// errors.go, read here so that a new code is noticed) has a translated
// text of its own, in both languages: none falls back to the generic
// phrase. The UI never reads the English message.
func TestEveryCodeTranslated(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join("..", "..", "casebook", "errors.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var codes []casebook.Code
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || vs.Type == nil {
			return true
		}
		if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "Code" {
			for _, v := range vs.Values {
				if lit, ok := v.(*ast.BasicLit); ok {
					s, _ := strconv.Unquote(lit.Value)
					codes = append(codes, casebook.Code(s))
				}
			}
		}
		return true
	})
	if len(codes) < 30 {
		t.Fatalf("found %d codes in casebook/errors.go", len(codes))
	}
	// Codes with no more precise meaning than "not valid".
	generalCodes := map[casebook.Code]bool{casebook.CodeInvalid: true, casebook.CodeBadID: true, casebook.CodeNotAllowed: true, casebook.CodeNotAStep: true, casebook.CodeNotOnRecord: true, casebook.CodeAlreadyMarked: true}
	for _, language := range []string{LangChinese, LangEnglish} {
		if err := SetLanguage(language); err != nil {
			t.Fatal(err)
		}
		generic := FieldErrorText(&casebook.FieldError{Field: "x"})
		stepGeneric := StepErrorText(&casebook.StepError{})
		for _, c := range codes {
			if generalCodes[c] {
				continue
			}
			fe := &casebook.FieldError{Field: casebook.FieldSummary, Code: c, Args: []any{3, 5}}
			se := &casebook.StepError{Code: c}
			if FieldErrorText(fe) == generic && StepErrorText(se) == stepGeneric {
				t.Errorf("%s: code %q has no translated text", language, c)
			}
		}
	}
	_ = SetLanguage(DefaultLanguage)
}
