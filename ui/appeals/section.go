// Package appeals holds the screens of residents' appeals (诉求): Today's
// due lists and month figures, the appeals ledger with its filters, the
// new-appeal form with its duplicate warnings, one appeal's view with its
// closed loop, and the Excel export and 12345 import dialogs.
//
// The screens get a *screen.Env: they read and write the casebook through
// Env.Book and move the window through Env.Nav, never through the app.
package appeals

import (
	"fyne.io/fyne/v2"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/screen"
)

// mode is what the appeals section shows.
type mode int

const (
	modeLedger mode = iota
	modeForm
	modeCase
)

// Section is the appeals section (诉求台账) and Today (今日): their views
// and what they keep across visits (the ledger's filter and sort, a form
// half filled in).
type Section struct {
	*screen.Env

	ledger *ledger

	mode     mode
	caseID   string
	form     *caseForm
	caseView *caseView

	today *todayView

	exportForm *exportForm
	importFlow *importFlow
	// importDone is called when an import's dry run or real run finished
	// (tests).
	importDone func()
}

// New makes the appeals section on env.
func New(env *screen.Env) *Section {
	s := &Section{Env: env}
	s.ledger = newLedger(s)
	return s
}

// Build builds the section's content for its mode. arrived says the user
// came by the navigation: then the ledger is shown, unless a new appeal is
// half filled in, which must not be lost by looking elsewhere.
func (a *Section) Build(arrived bool) fyne.CanvasObject {
	if arrived {
		if a.mode == modeCase || (a.mode == modeForm && (a.form == nil || !a.form.dirty())) {
			a.mode = modeLedger
		}
	}
	switch a.mode {
	case modeForm:
		if a.form == nil {
			a.form = newCaseForm(a)
		}
		return a.form.content
	case modeCase:
		a.caseView = newCaseView(a, a.caseID)
		return a.caseView.content
	}
	a.caseView = nil
	return a.ledger.content()
}

// OpenStep opens the dialog of a step on the case shown, if it offers
// the step (CASEBOOK_START_STEP, for screenshots).
func (a *Section) OpenStep(act casebook.Action) {
	v := a.caseView
	if v == nil || v.c == nil || v.actions[act] == nil {
		return
	}
	if casebook.IsRuleAction(act) {
		v.openRuleStep(act)
	} else {
		v.openStep(act)
	}
}

// ShowCase makes the section show one case when built next.
func (a *Section) ShowCase(id string) { a.mode, a.caseID = modeCase, id }

// ShowForm makes the section show the new-appeal form (the one being
// filled in, if any) when built next.
func (a *Section) ShowForm() { a.mode = modeForm }

// ShowLedger makes the section show the ledger when built next, filtered by
// f if it is not nil.
func (a *Section) ShowLedger(f *screen.LedgerFilter) {
	a.mode = modeLedger
	if f != nil {
		a.ledger.setFilter(*f)
	}
}

// OnLedger reports whether the ledger (not a case or the form) is on show.
func (a *Section) OnLedger() bool { return a.mode == modeLedger }

// FocusForm puts the cursor in the form's first box.
func (a *Section) FocusForm() {
	if a.form != nil {
		a.form.focusFirst()
	}
}

// FocusSearch puts the cursor in the ledger's search box.
func (a *Section) FocusSearch() { a.ledger.focusSearch() }

// Escape is the Escape key on the section: it asks to leave the form, or
// goes back from a case. It reports whether it did anything.
func (a *Section) Escape() bool {
	switch a.mode {
	case modeForm:
		if a.form != nil {
			a.form.cancel()
			return true
		}
	case modeCase:
		a.Nav.Back()
		return true
	}
	return false
}

// Left is called when the user leaves a case or the form for elsewhere.
func (a *Section) Left() {
	a.mode = modeLedger
	a.caseView = nil
}

// Relabel drops what was built in the old language (the form only if
// nothing is typed in it); filters and sort stay.
func (a *Section) Relabel() {
	a.ledger.dropView()
	if a.form != nil && !a.form.dirty() {
		a.form = nil
	}
}

// Dirty reports whether a new appeal is half filled in.
func (a *Section) Dirty() bool { return a.form != nil && a.form.dirty() }

// LedgerRows is the number of appeals the ledger shows (benchmarks).
func (a *Section) LedgerRows() int { return len(a.ledger.rows) }

// CallerLookup, when set, finds a resident's earlier appeals by phone or by
// name ("我上周反映的事怎么样了"): the new-appeal form lists them among the
// likely duplicates, and the ledger's search finds them. It is the place
// left for the privacy work (issue 17), which builds it on a keyed-hash
// index so that no list, log or export holds names or phones in the clear.
// Until then it is nil: the form finds a recent person with its own index
// of the repeat window (peopleIndex), and the search does not look at
// names or phones at all.
var CallerLookup func(book *store.Book, name, phone string) []*casebook.Summary
