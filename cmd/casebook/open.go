package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"casebook/casebook/store"
)

// casebookFile is an open casebook: the file and the service on it.
type casebookFile struct {
	bolt    *store.Bolt
	book    *store.Book
	created bool // made by this command: removed again if the command fails
}

func (f *casebookFile) Close() error { return f.book.Close() }

// open opens the casebook at --db. With create, a missing file becomes a
// new, empty casebook (and the default folder is made); without, a missing
// file is an error, so that a mistyped path does not quietly start a new
// casebook. actor is who the steps are recorded as; empty means the
// term's secretary from the settings.
func (a *app) open(create bool, actor string) (*casebookFile, error) {
	if a.db == "" {
		return nil, errNoDB
	}
	created := false
	if _, err := os.Stat(a.db); errors.Is(err, fs.ErrNotExist) {
		created = true
		if !create {
			return nil, a.noCasebook()
		}
		if a.db == defaultDB() {
			if err := os.MkdirAll(filepath.Dir(a.db), 0o700); err != nil {
				return nil, err
			}
		}
	}
	bo, err := store.OpenBolt(a.db)
	if err != nil {
		return nil, err
	}
	if actor == "" {
		s, _ := bo.Settings()
		actor = s.Term.Secretary
	}
	b, err := store.NewBook(bo, actor, a.now)
	if err != nil {
		_ = bo.Close()
		return nil, err
	}
	return &casebookFile{bolt: bo, book: b, created: created}, nil
}

// errNoDB is the error when there is no --db and no default place for one.
var errNoDB = errors.New("no --db given and no user configuration folder to keep the casebook in")

// noCasebook is the error for a --db where there is no file.
func (a *app) noCasebook() error {
	return fmt.Errorf("no casebook at %s (make one with `casebook demo --db %s` or `casebook settings set --db %s ...`)", a.db, a.db, a.db)
}

// openReader opens the casebook at --db to read it through once (export)
// without loading its summaries into memory.
func (a *app) openReader() (*store.Reader, error) {
	if a.db == "" {
		return nil, errNoDB
	}
	if _, err := os.Stat(a.db); errors.Is(err, fs.ErrNotExist) {
		return nil, a.noCasebook()
	}
	return store.OpenReader(a.db)
}

// withBook opens the casebook at --db (see open: with create, a missing
// file becomes a new casebook; actor is who the steps are recorded as),
// runs fn on it and closes it: the one shape of every command that reads or
// writes a casebook. A close error is reported unless fn failed, and a
// casebook this command made is removed again if it failed.
func (a *app) withBook(create bool, actor string, fn func(f *casebookFile) error) (err error) {
	f, err := a.open(create, actor)
	if err != nil {
		return err
	}
	defer closeInto(f, &err)
	return fn(f)
}

// withReader opens the casebook at --db with openReader, runs fn and
// closes it, reporting a close error unless fn failed.
func (a *app) withReader(fn func(r *store.Reader) error) (err error) {
	r, err := a.openReader()
	if err != nil {
		return err
	}
	defer func() {
		if cerr := r.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return fn(r)
}

// closeInto closes f and reports a close error unless an error is already
// being returned. A casebook this command made is removed again if the
// command failed, so that a refused `case add` or `settings set` on a new
// path leaves nothing behind.
func closeInto(f *casebookFile, err *error) {
	if cerr := f.Close(); cerr != nil && *err == nil {
		*err = cerr
	}
	if *err != nil && f.created {
		_ = os.Remove(f.bolt.Path())
	}
}
