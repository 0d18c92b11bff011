//go:build !linux

package store

import "go.etcd.io/bbolt"

// mappedSpan releases read pages of the mapped file on Linux only; elsewhere
// the operating system trims the working set by itself.
type mappedSpan struct{}

func newMappedSpan(*bbolt.Tx) mappedSpan { return mappedSpan{} }
func (*mappedSpan) add([]byte)           {}
func (*mappedSpan) release()             {}

// initialMmapSize: see mapped_linux.go. Elsewhere bbolt's default (on
// Windows it would grow the file to the mapping).
const initialMmapSize = 0
