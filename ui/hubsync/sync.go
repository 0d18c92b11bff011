// Package hubsync holds the sync page (同步): the district hub's address and this device's token, a "Sync
// now" button, and what the last sync did. While a hub is saved the app
// also syncs by itself every syncEvery; a background sync that finds the
// hub unreachable (or no hub, or a sync already running) stays quiet, since
// the work is kept on this computer and goes out next time; any other
// failure is shown on the page.
//
// A sync runs in a goroutine: the window never waits for the network. Its
// outcome comes back through fyne.Do, and when it brought other devices'
// work the whole app is refreshed.
package hubsync

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/sync/client"
	"casebook/ui/guard"
	"casebook/ui/screen"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// syncEvery is how often the app syncs by itself while a hub is saved.
var syncEvery = 2 * time.Minute

// syncTimeout bounds one sync.
const syncTimeout = 10 * time.Minute

// syncState is the sync's state on the App, kept across rebuilds of the
// page.
type syncState struct {
	running bool
	manual  bool           // the running sync was asked for with the button
	result  *client.Result // of the last sync that succeeded in this session
	errMsg  string         // of the last sync that failed visibly ("" if none)
	status  *client.State  // the last status read
	seq     int            // status reads: only the newest is shown
	stop    chan struct{}  // closes the background loop; nil when none runs

	// done, if set, is called after a sync's outcome is shown (tests).
	done func()
}

// Page is the sync section and the sync's state, kept across visits;
// Start runs the background sync, Stop ends it.
type Page struct {
	*screen.Env
	sync     syncState
	syncView *syncView
}

// New makes the sync page on env.
func New(env *screen.Env) *Page { return &Page{Env: env} }

// Start starts the background sync if a hub is saved.
func (a *Page) Start() { a.startBackgroundSync() }

// Stop ends the background sync.
func (a *Page) Stop() { a.stopBackgroundSync() }

type syncView struct {
	a                         *Page
	hub, token                *widget.Entry
	saveBtn, syncBtn          *widget.Button
	progress                  *widget.ProgressBarInfinite
	saveMsg, result, errLbl   *widget.Label
	lastSync, waiting, confls *widget.Label
	conflictsBtn              *widget.Button
	community                 *widget.Label
}

// Build builds the page and reads the sync status in the background.
func (a *Page) Build() fyne.CanvasObject {
	v := &syncView{a: a}
	a.syncView = v
	hub, tok, _ := client.Config(a.Book)
	v.hub = widget.NewEntry()
	v.hub.SetPlaceHolder("http://192.168.1.10:8710")
	v.hub.SetText(hub)
	v.token = widget.NewPasswordEntry()
	v.token.SetPlaceHolder(lang.X("sync.token.hint", "The device token from the district"))
	v.token.SetText(tok)
	v.saveMsg = widgets.ErrLabel()
	v.saveBtn = widget.NewButtonWithIcon(lang.X("sync.save", "Save"), theme.DocumentSaveIcon(), guard.Func(v.save))
	v.syncBtn = widget.NewButtonWithIcon(lang.X("sync.now", "Sync now"), theme.ViewRefreshIcon(), guard.Func(func() { a.runSync(true) }))
	v.syncBtn.Importance = widget.HighImportance
	v.progress = widget.NewProgressBarInfinite()
	v.progress.Hide()
	v.result = widget.NewLabel("")
	v.result.Wrapping = fyne.TextWrapWord
	v.errLbl = widgets.ErrLabel()

	v.community = widget.NewLabel("")
	v.lastSync = widget.NewLabel("…")
	v.waiting = widget.NewLabel("…")
	v.confls = widget.NewLabel("…")
	v.conflictsBtn = widget.NewButtonWithIcon(lang.X("sync.review", "Review"), theme.WarningIcon(), guard.Func(func() { a.Nav.Show(screen.Today) }))
	v.conflictsBtn.Importance = widget.WarningImportance
	v.conflictsBtn.Hide()

	form := widgets.FormGrid(
		widgets.FieldLabel(lang.X("sync.hub", "Hub address")), v.hub,
		widgets.FieldLabel(lang.X("sync.token", "Device token")), v.token,
	)
	setup := container.NewVBox(form, v.saveMsg, container.NewHBox(v.saveBtn))
	state := widgets.FormGrid(
		widgets.FieldLabel(lang.X("sync.community", "Community")), v.community,
		widgets.FieldLabel(lang.X("sync.last", "Last sync")), v.lastSync,
		widgets.FieldLabel(lang.X("sync.waiting", "Operations waiting to be sent")), v.waiting,
		widgets.FieldLabel(lang.X("sync.conflicts", "Edits to review")), container.NewHBox(v.confls, v.conflictsBtn),
	)
	now := container.NewVBox(container.NewHBox(v.syncBtn), v.progress, v.result, v.errLbl, widget.NewSeparator(), state)
	body := container.NewVBox(
		widgets.Card(lang.X("sync.g.hub", "District hub"), lang.X("sync.g.hub.sub", "Ask the street or district office for the hub's address and a token for this computer. The work always stays on this computer; syncing sends a copy and brings the others' changes."), setup),
		widgets.Card(lang.X("sync.g.now", "Sync"), lang.X("sync.g.now.sub", "While a hub is saved, Casebook also syncs by itself every two minutes."), now),
	)
	v.show()
	a.loadSyncStatus()
	return container.NewVScroll(body)
}

// show fills the page from the App's sync state.
func (v *syncView) show() {
	s := &v.a.sync
	if s.running {
		v.progress.Show()
		v.progress.Start()
		v.syncBtn.Disable()
		v.result.SetText(lang.X("sync.running", "Syncing…"))
	} else {
		v.progress.Stop()
		v.progress.Hide()
		v.syncBtn.Enable()
		if r := s.result; r != nil {
			v.result.SetText(syncResultText(*r))
		} else {
			v.result.SetText("")
		}
	}
	if v.result.Text == "" {
		v.result.Hide()
	} else {
		v.result.Show()
	}
	widgets.SetErr(v.errLbl, s.errMsg)
	st := s.status
	if st == nil {
		return
	}
	if st.Community != "" {
		v.community.SetText(st.Community)
	} else {
		v.community.SetText(v.a.Settings().Community.Name)
	}
	switch {
	case !st.LastSync.IsZero():
		v.lastSync.SetText(words.FmtTime(st.LastSync))
	default:
		v.lastSync.SetText(lang.X("sync.never", "Never"))
	}
	v.waiting.SetText(words.FmtInt(st.Waiting))
	v.confls.SetText(words.FmtInt(st.Conflicts))
	if st.Conflicts > 0 {
		v.conflictsBtn.Show()
	} else {
		v.conflictsBtn.Hide()
	}
}

// syncResultText says what a sync did.
func syncResultText(r client.Result) string {
	return lang.X("sync.result", "Synced: {{.Pushed}} operations sent, {{.Pulled}} received.",
		map[string]any{"Pushed": words.FmtInt(r.Pushed), "Pulled": words.FmtInt(r.Pulled)})
}

// save stores the hub address and token, and starts or stops the
// background sync.
func (v *syncView) save() {
	a := v.a
	widgets.SetErr(v.saveMsg, "")
	hub := strings.TrimSpace(v.hub.Text)
	tok := strings.TrimSpace(v.token.Text)
	if hub != "" && tok == "" {
		widgets.SetErr(v.saveMsg, lang.X("sync.err.token", "Enter the device token too."))
		return
	}
	if err := client.SaveConfig(a.Book, hub, tok); err != nil {
		if errors.Is(err, casebook.ErrInvalid) {
			widgets.SetErr(v.saveMsg, lang.X("sync.err.address", "The address must look like http://192.168.1.10:8710 or https://hub.example.cn."))
		} else {
			widgets.SetErr(v.saveMsg, words.ErrorMessage(err))
		}
		return
	}
	a.sync.errMsg = ""
	a.startBackgroundSync()
	a.Notify.Info(lang.X("sync.saved", "Hub settings saved."))
	v.show()
}

// loadSyncStatus reads the sync status in the background and shows it.
func (a *Page) loadSyncStatus() {
	a.sync.seq++
	seq, book := a.sync.seq, a.Book
	guard.Go(func() {
		st, err := client.Status(book)
		fyne.Do(guard.Func(func() {
			if seq != a.sync.seq || err != nil {
				return
			}
			a.sync.status = &st
			if a.syncView != nil {
				a.syncView.show()
			}
		}))
	})
}

// runSync starts a sync with the saved hub unless one is running. manual
// is for the button: its failures are always shown.
func (a *Page) runSync(manual bool) {
	if a.sync.running {
		return
	}
	a.sync.running, a.sync.manual = true, manual
	if manual {
		a.sync.errMsg = ""
	}
	if a.syncView != nil {
		a.syncView.show()
	}
	a.sync.seq++
	seq, book := a.sync.seq, a.Book
	guard.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), syncTimeout)
		defer cancel()
		res, err := client.SyncSaved(ctx, book)
		st, serr := client.Status(book)
		fyne.Do(guard.Func(func() {
			if serr == nil && seq == a.sync.seq {
				a.sync.status = &st
			}
			a.syncDone(res, err)
		}))
	})
}

// syncDone shows a sync's outcome and refreshes the app if it brought
// changes.
func (a *Page) syncDone(res client.Result, err error) {
	s := &a.sync
	manual := s.manual
	s.running, s.manual = false, false
	switch {
	case err == nil:
		s.result, s.errMsg = &res, ""
	case !manual && quietSyncError(err):
		// Offline, no hub or a sync already running: try again next time.
	default:
		s.errMsg = syncErrorMessage(err)
	}
	if err == nil && res.Pulled > 0 {
		a.Nav.Refresh()
	} else if a.syncView != nil { // shown or not: the page reads it when built

		a.syncView.show()
	}
	if s.done != nil {
		s.done()
	}
}

// quietSyncError reports whether a background sync should say nothing
// about err.
func quietSyncError(err error) bool {
	return errors.Is(err, client.ErrOffline) || errors.Is(err, client.ErrNoHub) || errors.Is(err, client.ErrBusy)
}

// syncErrorMessage is the translated explanation of a failed sync.
func syncErrorMessage(err error) string {
	switch {
	case errors.Is(err, client.ErrOffline):
		return lang.X("sync.err.offline", "The hub cannot be reached. Your work is kept on this computer; try again when the network is back.")
	case errors.Is(err, client.ErrNoHub):
		return lang.X("sync.err.nohub", "Enter and save the hub address and the device token first.")
	case errors.Is(err, client.ErrBusy):
		return lang.X("sync.err.busy", "A sync is already running.")
	case errors.Is(err, client.ErrUpgradeRequired):
		return lang.X("sync.err.upgrade", "The hub needs a newer version of Casebook. Update the program, then sync again.")
	case errors.Is(err, client.ErrRevoked):
		return lang.X("sync.err.revoked", "This computer's token was withdrawn by the district. Ask for a new token.")
	case errors.Is(err, client.ErrUnauthorized):
		return lang.X("sync.err.unauthorized", "The hub does not know this token. Check the token, or ask the district for a new one.")
	case errors.Is(err, client.ErrCommunityMismatch):
		return lang.X("sync.err.community", "This token is for another community than this casebook. Check that the right casebook is open.")
	case errors.Is(err, client.ErrClockSkew):
		return lang.X("sync.err.clock", "This computer's clock is too far from the hub's. Set the date and time correctly, then sync again.")
	case errors.Is(err, client.ErrRejected):
		return lang.X("sync.err.rejected", "The hub refused some changes; the others were received.") + " (" + words.ErrorDetail(err) + ")"
	case errors.Is(err, casebook.ErrInvalid):
		return lang.X("sync.err.address", "The address must look like http://192.168.1.10:8710 or https://hub.example.cn.")
	}
	return words.ErrorMessage(err) + " (" + words.ErrorDetail(err) + ")"
}

// startBackgroundSync runs a sync every syncEvery while a hub is saved; it
// stops by itself when the hub is cleared, and with stopBackgroundSync.
func (a *Page) startBackgroundSync() {
	hub, tok, _ := client.Config(a.Book)
	if hub == "" || tok == "" {
		a.stopBackgroundSync()
		return
	}
	if a.sync.stop != nil {
		return
	}
	stop := make(chan struct{})
	a.sync.stop = stop
	guard.Go(func() {
		t := time.NewTicker(syncEvery)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				fyne.Do(guard.Func(func() {
					if a.sync.stop == stop {
						a.runSync(false)
					}
				}))
			}
		}
	})
}

// stopBackgroundSync ends the background sync, if any.
func (a *Page) stopBackgroundSync() {
	if a.sync.stop != nil {
		close(a.sync.stop)
		a.sync.stop = nil
	}
}
