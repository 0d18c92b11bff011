package appeals

import (
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook/paper"
	"casebook/ui/guard"
	"casebook/ui/printing"
)

// printButtons are the case view's paper: the 受理回执 for the resident
// and the 诉求办理单 for the file (names and phones masked).
func (v *caseView) printButtons() []fyne.CanvasObject {
	a, c := v.a, v.c
	number := func(id string) string {
		if o, err := a.Book.Case(id); err == nil {
			return o.Number()
		}
		return ""
	}
	v.receiptBtn = widget.NewButtonWithIcon(lang.X("print.receipt", "Receipt"), theme.DocumentPrintIcon(), guard.Func(func() {
		printing.Save(a.Env, lang.X("print.receipt.file", "Receipt")+"-"+c.Number(), func(w io.Writer) (paper.Result, error) {
			return paper.Receipt(w, c, a.Settings(), paper.Options{Now: a.Now()})
		})
	}))
	v.sheetBtn = widget.NewButtonWithIcon(lang.X("print.sheet", "Case sheet"), theme.DocumentPrintIcon(), guard.Func(func() {
		printing.Save(a.Env, lang.X("print.sheet.file", "Case sheet")+"-"+c.Number(), func(w io.Writer) (paper.Result, error) {
			return paper.CaseSheet(w, c, a.Settings(), number, paper.Options{Now: a.Now()})
		})
	}))
	v.receiptBtn.Importance, v.sheetBtn.Importance = widget.LowImportance, widget.LowImportance
	return []fyne.CanvasObject{v.receiptBtn, v.sheetBtn}
}
