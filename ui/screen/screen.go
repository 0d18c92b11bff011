// Package screen is what the application hands each screen: the open
// casebook, the window, the clock, a way to tell the user something and a
// way to go elsewhere. Screens (ui/appeals, ui/disputes, ui/metrics,
// ui/setup, ui/hubsync) get an *Env and nothing of the application itself,
// so that each can be built and tested alone, and a screen added later
// (printing, a lock screen, the 12345 loop) plugs in the same way.
package screen

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"fyne.io/fyne/v2"

	"casebook/casebook"
	"casebook/casebook/store"
)

// Section names a section of the navigation by its stable, untranslated
// ID.
type Section string

// The sections, in the navigation's order (see ui's table of sections).
const (
	Today    Section = "today"    // 今日: what is due today
	Appeals  Section = "appeals"  // 诉求台账: the appeals register
	Disputes Section = "disputes" // 矛盾纠纷: disputes and mediation
	Metrics  Section = "metrics"  // 统计: the rates and other metrics
	Sync     Section = "sync"     // 同步: replication with the district hub
	Settings Section = "settings" // 设置: settings
)

// LedgerFilter narrows the appeals ledger when a screen sends the user
// there (a bar of a chart, a building): the zero value shows every appeal.
type LedgerFilter struct {
	Category string
	Building string
	Channel  casebook.Channel
	Overdue  bool
	// PeriodKey is a period of Periods ("" for all time).
	PeriodKey string
}

// Nav moves the window to another screen. Every method is called on the
// UI goroutine.
type Nav interface {
	// Show shows a section, as a click in the navigation does.
	Show(Section)
	// OpenCase shows one appeal; Back returns to where it was opened from.
	OpenCase(id string)
	// NewAppeal shows the new-appeal form, keeping one being filled in.
	NewAppeal()
	// ShowLedger shows the appeals ledger filtered by f.
	ShowLedger(f LedgerFilter)
	// OpenDispute shows one dispute's workspace, or the list for "".
	OpenDispute(id string)
	// Back leaves a case or the form for where the user came from.
	Back()
	// Rebuild rebuilds the screen on show from the casebook.
	Rebuild()
	// Refresh tells every screen that the casebook changed elsewhere (a
	// sync, an import) and rebuilds the one on show.
	Refresh()
}

// Notify tells the user something in one line at the bottom of the window.
type Notify interface {
	// Info shows a message for a while.
	Info(msg string)
	// Undo shows a message with an Undo button that calls undo.
	Undo(msg string, undo func())
	// Busy shows a message until Clear (work under way).
	Busy(msg string)
	// Clear hides the message.
	Clear()
}

// Env is a screen's environment.
type Env struct {
	Book   *store.Book
	Win    fyne.Window
	Now    func() time.Time
	Notify Notify
	Nav    Nav
	// Changed tells the application that the casebook changed (a screen
	// saved something), so that cached lists read it again.
	Changed func()
	// Gen is the number of changes made or seen so far: a screen that
	// caches what it read compares it to know when to read again.
	Gen func() uint64
}

// Settings is the casebook's current settings.
func (e *Env) Settings() casebook.Settings { return e.Book.Settings() }

// FreeName is dir/base+ext, or dir/base-2+ext, -3 … whichever does not
// exist yet, so that a new file never replaces one.
func FreeName(dir, base, ext string) string {
	p := filepath.Join(dir, base+ext)
	for i := 2; ; i++ {
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p
		}
		p = filepath.Join(dir, base+"-"+strconv.Itoa(i)+ext)
	}
}

// WriteNew writes a new file in dir: fill writes a temporary file there,
// which then gets the first free name base+ext, base-2+ext … (FreeName).
// It never replaces a file, and leaves nothing behind if fill fails.
func WriteNew(dir, base, ext string, fill func(*os.File) error) (path string, err error) {
	tmp, err := os.CreateTemp(dir, ".casebook-*.tmp")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := fill(tmp); err != nil {
		_ = tmp.Close()
		return "", err
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	path = FreeName(dir, base, ext)
	// A hard link fails if the name was taken meanwhile, unlike a rename.
	if err := os.Link(tmp.Name(), path); err != nil {
		if err := os.Rename(tmp.Name(), path); err != nil {
			return "", err
		}
		return path, nil
	}
	_ = os.Remove(tmp.Name())
	return path, nil
}
