// Package printing is the app's one way to make a document of
// casebook/paper: the user picks the folder (the last one is offered
// again), the PDF is written there in the background under a name no file
// has yet, and opened in the system's PDF viewer to print. Characters no
// font has (printed as 〓) are named so they can be written in by hand.
package printing

import (
	"errors"
	"io"
	"net/url"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"

	"casebook/casebook/paper"
	"casebook/ui/guard"
	"casebook/ui/screen"
	"casebook/ui/words"
)

// Writer writes one document.
type Writer func(w io.Writer) (paper.Result, error)

// prefDir is the preference that remembers the folder last printed to.
const prefDir = "print.dir"

// done, if set, is called when a document has been written (tests).
var done func(path string, err error)

// Save asks for a folder and writes the document there as base.pdf (or
// base-2.pdf …), then opens it.
func Save(env *screen.Env, base string, write Writer) {
	d := dialog.NewFolderOpen(guard.Func2(func(dir fyne.ListableURI, err error) {
		if err != nil || dir == nil {
			return
		}
		if app := fyne.CurrentApp(); app != nil {
			app.Preferences().SetString(prefDir, dir.Path())
		}
		WriteTo(env, dir.Path(), base, write)
	}), env.Win)
	if app := fyne.CurrentApp(); app != nil {
		if last := app.Preferences().String(prefDir); last != "" {
			if u, err := storage.ListerForURI(storage.NewFileURI(last)); err == nil {
				d.SetLocation(u)
			}
		}
	}
	d.Show()
}

// WriteTo writes the document into dir in the background and opens it.
func WriteTo(env *screen.Env, dir, base string, write Writer) {
	env.Notify.Busy(lang.X("print.running", "Making the PDF…"))
	base = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, base)
	guard.Go(func() {
		path, res, err := writeFile(dir, base, write)
		fyne.Do(guard.Func(func() {
			env.Notify.Clear()
			if err != nil {
				dialog.ShowError(errors.New(lang.X("print.failed", "The PDF could not be written.")+" ("+words.ErrorDetail(err)+")"), env.Win)
			} else {
				env.Notify.Info(lang.X("print.done", "PDF written to {{.Path}}.", map[string]any{"Path": path}))
				if len(res.Missing) > 0 {
					dialog.ShowInformation(lang.X("print.missing.title", "Characters without a font"),
						lang.X("print.missing", "No font on this computer has these characters; they are printed as 〓. Write them in by hand: {{.List}}",
							map[string]any{"List": res.MissingText()}), env.Win)
				}
				if app := fyne.CurrentApp(); app != nil {
					_ = app.OpenURL(&url.URL{Scheme: "file", Path: path})
				}
			}
			if done != nil {
				done(path, err)
			}
		}))
	})
}

// writeFile writes dir/base.pdf (or base-2.pdf …): never over a file.
func writeFile(dir, base string, write Writer) (path string, res paper.Result, err error) {
	path, err = screen.WriteNew(dir, base, ".pdf", func(f *os.File) (err error) {
		res, err = write(f)
		return err
	})
	return path, res, err
}
