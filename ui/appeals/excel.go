package appeals

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook/xlsx"
	"casebook/ui/guard"
	"casebook/ui/screen"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// Excel: the ledger workbook for the district (导出台账) and the 12345
// work-order and callback sheets (导入12345工单).
//
// Export asks for the period and whether residents' names and phones go
// out unmasked, then for a folder; the workbook is written to a temporary
// file there and renamed into place when complete, under a name no file
// has yet (Fyne's save dialog would truncate an existing file before the
// program sees the name). Import always runs as a dry run first and shows
// what it would do; nothing is written until the user says Import, and a
// file with problems imports nothing.

// exportForm is the export dialog.
type exportForm struct {
	a        *Section
	dlg      dialog.Dialog
	keys     []string
	periods  []words.Period
	period   *widget.Select
	from, to *widget.Entry
	custom   *fyne.Container
	unmasked *widget.Check
	warning  *widget.Label
	name     *widget.Entry
	errLbl   *widget.Label

	// done, if set, is called after a write finished (tests).
	done func(path string, err error)
}

// exportDialog opens the export dialog.
func (a *Section) exportDialog() {
	f := &exportForm{a: a}
	a.exportForm = f
	now := a.Now()
	all := words.Periods(now, a.Settings().Term)
	for _, k := range []string{words.PeriodMonth, words.PeriodLastMonth, words.PeriodQuarter, words.PeriodTerm, words.PeriodAll} {
		if p, _ := words.PeriodByKey(all, k); p.Key == k {
			f.periods = append(f.periods, p)
			f.keys = append(f.keys, k)
		}
	}
	f.periods = append(f.periods, words.Period{Key: words.PeriodCustom, Name: lang.X("export.custom", "Custom dates")})
	f.keys = append(f.keys, words.PeriodCustom)
	f.from, f.to = widget.NewEntry(), widget.NewEntry()
	f.from.SetPlaceHolder(words.FmtDay(words.StartOfMonth(now)))
	f.to.SetPlaceHolder(words.FmtDay(now))
	f.custom = container.NewGridWithColumns(4,
		widgets.FieldLabel(lang.X("export.from", "From")), f.from, widgets.FieldLabel(lang.X("export.to", "To (inclusive)")), f.to)
	f.custom.Hide()
	f.period = widgets.NewSelect(words.PeriodNames(f.periods), func(string) {
		if f.key() == words.PeriodCustom {
			f.custom.Show()
		} else {
			f.custom.Hide()
		}
	})
	f.period.SetSelectedIndex(0)
	f.warning = widget.NewLabel(lang.X("export.warning", "The workbook will contain residents' names and phone numbers. Keep it safe and do not pass it on."))
	f.warning.Importance = widget.WarningImportance
	f.warning.Wrapping = fyne.TextWrapWord
	f.warning.Hide()
	f.unmasked = widget.NewCheck(lang.X("export.unmasked", "Include names and phone numbers unmasked"), guard.Func1(func(on bool) {
		if on {
			f.warning.Show()
		} else {
			f.warning.Hide()
		}
	}))
	f.name = widget.NewEntry()
	f.name.SetText(lang.X("export.filename", "Appeals ledger") + "-" + words.FmtDay(now) + ".xlsx")
	f.errLbl = widgets.ErrLabel()
	body := container.NewVBox(
		widgets.FormGrid(
			widgets.FieldLabel(lang.X("export.period", "Period")), f.period,
			widgets.FieldLabel(lang.X("export.name", "File name")), f.name,
		),
		f.custom,
		f.unmasked, f.warning,
		widgets.Note(lang.X("export.note", "Unless ticked, names are written as 张* and phones as 138****1234. Next, choose the folder to save in; an existing file is never replaced.")),
		f.errLbl,
	)
	f.dlg = dialog.NewCustomConfirm(lang.X("export.title", "Export the ledger to Excel"), lang.X("export.choose", "Choose folder…"), lang.X("form.cancel", "Cancel"), body, guard.Func1(func(ok bool) {
		if !ok {
			return
		}
		opts, good := f.options()
		if !good {
			f.dlg.Show()
			return
		}
		dialog.ShowFolderOpen(guard.Func2(func(dir fyne.ListableURI, err error) {
			if err != nil || dir == nil {
				return
			}
			f.write(dir.Path(), opts)
		}), a.Win)
	}), a.Win)
	f.dlg.Resize(fyne.NewSize(560, 0))
	f.dlg.Show()
}

func (f *exportForm) key() string {
	if i := f.period.SelectedIndex(); i >= 0 {
		return f.keys[i]
	}
	return words.PeriodAll
}

// options reads the dialog; false (with the problem shown) if the dates
// are not valid.
func (f *exportForm) options() (xlsx.ExportOptions, bool) {
	widgets.SetErr(f.errLbl, "")
	opts := xlsx.ExportOptions{Unmasked: f.unmasked.Checked, Now: f.a.Now()}
	if k := f.key(); k == words.PeriodCustom {
		from, to, problem := words.CustomPeriod(f.from.Text, f.to.Text)
		if problem != "" {
			widgets.SetErr(f.errLbl, problem)
			return opts, false
		}
		opts.From, opts.To = from, to
	} else {
		p, _ := words.PeriodByKey(f.periods, k)
		opts.From, opts.To = p.From, p.To
	}
	if strings.TrimSpace(f.name.Text) == "" || strings.ContainsAny(f.name.Text, `/\:*?"<>|`) {
		widgets.SetErr(f.errLbl, lang.X("export.err.name", "Write a file name without / \\ : * ? \" < > |."))
		return opts, false
	}
	return opts, true
}

// write exports into a new file in dir, in the background.
func (f *exportForm) write(dir string, opts xlsx.ExportOptions) {
	a := f.a
	base := strings.TrimSpace(f.name.Text)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	a.Notify.Busy(lang.X("export.running", "Exporting…"))
	book := a.Book
	guard.Go(func() {
		path, err := exportWorkbook(dir, base, func(w *os.File) error { return xlsx.Export(w, book, opts) })
		fyne.Do(guard.Func(func() {
			if err != nil {
				a.Notify.Clear()
				dialog.ShowError(errors.New(lang.X("export.failed", "The workbook could not be written.")+" ("+words.ErrorDetail(err)+")"), a.Win)
			} else {
				a.Notify.Info(lang.X("export.done", "Workbook written to {{.Path}}.", map[string]any{"Path": path}))
			}
			if f.done != nil {
				f.done(path, err)
			}
		}))
	})
}

// exportWorkbook writes dir/base.xlsx (or base-2.xlsx …) with fill: never
// over an existing file.
func exportWorkbook(dir, base string, fill func(*os.File) error) (string, error) {
	return screen.WriteNew(dir, base, ".xlsx", fill)
}

// importFlow is one import: the file, its dry-run report and the preview.
type importFlow struct {
	a       *Section
	path    string
	report  xlsx.ImportReport
	err     error
	dlg     *dialog.CustomDialog
	summary *widget.Label
	cats    *widget.Label
	probs   *widget.Label
	ok      *widget.Button
	cancel  *widget.Button
}

// importDialog asks for a 12345 workbook and previews its import.
func (a *Section) importDialog() {
	d := dialog.NewFileOpen(guard.Func2(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		a.importFile(path)
	}), a.Win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx", ".XLSX"}))
	d.Show()
}

// importFile checks path with a dry run in the background and shows the
// preview.
func (a *Section) importFile(path string) *importFlow {
	f := &importFlow{a: a, path: path}
	a.importFlow = f
	a.Notify.Busy(lang.X("import.checking", "Checking the workbook…"))
	guard.Go(func() {
		rep, err := runImport(a, path, true)
		fyne.Do(guard.Func(func() {
			a.Notify.Clear()
			f.report, f.err = rep, err
			f.preview()
			if a.importDone != nil {
				a.importDone()
			}
		}))
	})
	return f
}

// runImport imports the file at path into the app's book.
func runImport(a *Section, path string, dry bool) (xlsx.ImportReport, error) {
	file, err := os.Open(path)
	if err != nil {
		return xlsx.ImportReport{}, err
	}
	defer file.Close()
	fi, err := file.Stat()
	if err != nil {
		return xlsx.ImportReport{}, err
	}
	return xlsx.Import(file, fi.Size(), a.Book, xlsx.ImportOptions{DryRun: dry, Now: a.Now(), Actor: a.Settings().Term.Secretary})
}

// importErrorMessage explains why a workbook cannot be imported at all.
func importErrorMessage(err error) string {
	switch {
	case errors.Is(err, xlsx.ErrProblems):
		return lang.X("import.err.problems", "The workbook has problems; nothing will be imported. Correct them in Excel and import it again.")
	case errors.Is(err, xlsx.ErrDamaged):
		return lang.X("import.err.damaged", "The workbook is damaged (a part of it fails its check); nothing was imported. Ask for the file again, or open it in Excel or WPS and save it again.")
	case errors.Is(err, xlsx.ErrNotWorkbook):
		return lang.X("import.err.not_workbook", "This file is not an Excel workbook (.xlsx).")
	case errors.Is(err, xlsx.ErrEncrypted):
		return lang.X("import.err.encrypted", "The workbook is password-protected. Save it without a password first.")
	case errors.Is(err, xlsx.ErrTooLarge), errors.Is(err, xlsx.ErrTooManyRows):
		return lang.X("import.err.too_large", "The workbook is too large to import.")
	case errors.Is(err, xlsx.ErrNoHeader):
		return lang.X("import.err.no_header", "No 12345 work-order or callback sheet was found (a header row with 工单编号 and the other usual columns).")
	}
	return words.ErrorMessage(err) + " (" + words.ErrorDetail(err) + ")"
}

// maxShownProblems is how many problems the preview lists.
const maxShownProblems = 12

// problemText is one problem: where, what the cell holds and what was
// expected, in the current language.
func problemText(p xlsx.Problem) string {
	var b strings.Builder
	b.WriteString(p.Sheet)
	if p.Row > 0 {
		b.WriteString("!" + p.Column + words.Itoa(p.Row))
	}
	if p.Header != "" {
		b.WriteString(" " + p.Header)
	}
	if p.Value != "" {
		b.WriteString(" “" + words.Clip(p.Value, 40) + "”")
	}
	b.WriteString(lang.X("fmt.colon", ": "))
	if words.Language() == words.LangChinese && p.ExpectedZh != "" {
		b.WriteString(p.ExpectedZh)
	} else {
		b.WriteString(p.Expected)
	}
	return b.String()
}

// preview shows what the import would do, with Import and Cancel.
func (f *importFlow) preview() {
	a := f.a
	rep := f.report
	if f.err != nil && !errors.Is(f.err, xlsx.ErrProblems) {
		dialog.ShowError(errors.New(importErrorMessage(f.err)), a.Win)
		return
	}
	f.summary = widget.NewLabel(lang.X("import.counts", "{{.Rows}} rows: {{.New}} new, {{.Updated}} updated, {{.Unchanged}} unchanged.",
		map[string]any{"Rows": words.FmtInt(rep.Rows), "New": words.FmtInt(rep.New), "Updated": words.FmtInt(rep.Updated), "Unchanged": words.FmtInt(rep.Unchanged)}))
	f.summary.Wrapping = fyne.TextWrapWord
	f.cats = widget.NewLabel("")
	f.cats.Wrapping = fyne.TextWrapWord
	if len(rep.UnknownCategories) > 0 {
		f.cats.SetText(lang.X("import.unknown", "Not in the category list, filed under “other” for you to re-file: {{.List}}",
			map[string]any{"List": strings.Join(rep.UnknownCategories, lang.X("fmt.list_sep", "; "))}))
		f.cats.Importance = widget.WarningImportance
	} else {
		f.cats.Hide()
	}
	f.probs = widget.NewLabel("")
	f.probs.Wrapping = fyne.TextWrapWord
	f.probs.Importance = widget.DangerImportance
	f.probs.Hide()
	items := []fyne.CanvasObject{f.summary, f.cats}
	if len(rep.Problems) > 0 {
		lines := []string{importErrorMessage(xlsx.ErrProblems), lang.X("import.problems", "{{.N}} problems:", map[string]any{"N": words.FmtInt(len(rep.Problems))})}
		for i, p := range rep.Problems {
			if i == maxShownProblems {
				lines = append(lines, lang.X("import.more", "… and {{.N}} more.", map[string]any{"N": words.FmtInt(len(rep.Problems) - i)}))
				break
			}
			lines = append(lines, problemText(p))
		}
		f.probs.SetText(strings.Join(lines, "\n"))
		f.probs.Show()
	}
	items = append(items, f.probs)
	f.ok = widget.NewButtonWithIcon(lang.X("import.do", "Import"), theme.ConfirmIcon(), guard.Func(f.apply))
	f.ok.Importance = widget.HighImportance
	if len(rep.Problems) > 0 || rep.New+rep.Updated == 0 {
		f.ok.Disable()
	}
	f.cancel = widget.NewButtonWithIcon(lang.X("form.cancel", "Cancel"), theme.CancelIcon(), guard.Func(func() { f.dlg.Hide() }))
	body := container.NewVScroll(container.NewVBox(items...))
	body.SetMinSize(fyne.NewSize(620, 260))
	f.dlg = dialog.NewCustomWithoutButtons(lang.X("import.title", "Import from {{.File}}", map[string]any{"File": filepath.Base(f.path)}), body, a.Win)
	f.dlg.SetButtons([]fyne.CanvasObject{f.cancel, f.ok})
	f.dlg.Show()
}

// apply runs the real import in the background.
func (f *importFlow) apply() {
	a := f.a
	f.ok.Disable()
	f.cancel.Disable()
	f.summary.SetText(lang.X("import.running", "Importing…"))
	guard.Go(func() {
		rep, err := runImport(a, f.path, false)
		fyne.Do(guard.Func(func() {
			f.dlg.Hide()
			f.report, f.err = rep, err
			if err != nil {
				dialog.ShowError(errors.New(importErrorMessage(err)), a.Win)
			} else {
				a.Nav.Refresh()
				a.Notify.Info(lang.X("import.done", "Imported: {{.New}} new, {{.Updated}} updated.", map[string]any{"New": words.FmtInt(rep.New), "Updated": words.FmtInt(rep.Updated)}))
			}
			if a.importDone != nil {
				a.importDone()
			}
		}))
	})
}
