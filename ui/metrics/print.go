package metrics

import (
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook/paper"
	"casebook/ui/guard"
	"casebook/ui/printing"
	"casebook/ui/words"
)

// reportButtons print the 任期工作报告 of the period on show, and its
// version for a 报告会 with residents.
func (a *Screen) reportButtons(p words.Period) fyne.CanvasObject {
	button := func(label, file string, meeting bool) *widget.Button {
		b := widget.NewButtonWithIcon(label, theme.DocumentPrintIcon(), guard.Func(func() {
			book := a.Book
			opts := paper.ReportOptions{Options: paper.Options{Now: a.Now()}, From: p.From, To: p.To, Meeting: meeting}
			printing.Save(a.Env, file+"-"+words.FmtDay(a.Now()), func(w io.Writer) (paper.Result, error) {
				return paper.Report(w, book, opts)
			})
		}))
		b.Importance = widget.LowImportance
		return b
	}
	a.reportBtn = button(lang.X("print.report", "Term report"), lang.X("print.report.file", "Term report"), false)
	a.meetingBtn = button(lang.X("print.meeting", "Report-meeting version"), lang.X("print.meeting.file", "Report to residents"), true)
	return container.NewHBox(a.reportBtn, a.meetingBtn)
}
