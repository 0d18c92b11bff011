package disputes

import (
	"io"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook/paper"
	"casebook/ui/guard"
	"casebook/ui/printing"
)

// agreementButton prints the 人民调解协议书 of a dispute with an agreement;
// without one it is there but disabled, saying why.
func (v *disputeView) agreementButton() *widget.Button {
	a, d := v.a, v.d
	b := widget.NewButtonWithIcon(lang.X("print.agreement", "Mediation agreement"), theme.DocumentPrintIcon(), guard.Func(func() {
		printing.Save(a.Env, lang.X("print.agreement.file", "Mediation agreement")+"-"+d.Title(), func(w io.Writer) (paper.Result, error) {
			return paper.Agreement(w, d, a.Settings(), paper.Options{Now: a.Now()})
		})
	}))
	b.Importance = widget.LowImportance
	if d.Agreement == nil {
		b.Disable()
	}
	v.printBtn = b
	return b
}
