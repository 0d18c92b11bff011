//go:build linux

package store

import (
	"os"
	"syscall"
	"unsafe"

	"go.etcd.io/bbolt"
)

// mappedSpan tracks the addresses of bytes read from bbolt's read-only
// shared mapping of the file, so that the pages can be released once their
// content has been copied out. Releasing (MADV_DONTNEED) a page of a shared
// file mapping only unmaps it from this process: the data stays in the file
// and the page cache, and a later read maps it again. Releasing a page of
// the Go heap would wipe it, and bbolt does not hand out only bytes of the
// mapping: the values of a small inline bucket stored at an unaligned
// address are copied to the heap. So a span knows the mapping's bounds
// (newMappedSpan) and ignores bytes outside them; the zero span ignores
// everything.
type mappedSpan struct {
	base, limit uintptr        // the mapped pages of the transaction
	lo          unsafe.Pointer // lowest address seen
	hi          uintptr        // highest end address seen
}

var pageSize = uintptr(os.Getpagesize())

// newMappedSpan tracks bytes read in the read transaction tx: the pages it
// can see lie in the mapping from its start to the transaction's size (the
// mapping stays put while a read transaction is open).
func newMappedSpan(tx *bbolt.Tx) mappedSpan {
	base := tx.DB().Info().Data
	return mappedSpan{base: base, limit: base + uintptr(tx.Size())}
}

func (m *mappedSpan) add(b []byte) {
	if len(b) == 0 {
		return
	}
	p := unsafe.Pointer(unsafe.SliceData(b))
	end := uintptr(p) + uintptr(len(b))
	if uintptr(p) < m.base || end > m.limit {
		return // not in the mapping: a copy on the heap
	}
	if m.lo == nil || uintptr(p) < uintptr(m.lo) {
		m.lo = p
	}
	if end > m.hi {
		m.hi = end
	}
}

// release hands the whole pages inside the span back to the kernel.
func (m *mappedSpan) release() {
	if m.lo == nil {
		return
	}
	start := (uintptr(m.lo) + pageSize - 1) &^ (pageSize - 1)
	end := m.hi &^ (pageSize - 1)
	if end > start {
		region := unsafe.Slice((*byte)(unsafe.Add(m.lo, start-uintptr(m.lo))), end-start)
		_ = syscall.Madvise(region, syscall.MADV_DONTNEED)
	}
	m.lo, m.hi = nil, 0
}

// initialMmapSize is how much of the file bbolt maps for writing from the
// start. bbolt grows its mapping by doubling, and each time copies every
// key and value a write transaction has changed off the old mapping: for a
// large import, several times its whole size. Mapping 1 GiB at once (only
// address space on a 64-bit system: the file itself grows as written, and
// only pages read count in memory) saves those copies for any casebook
// under 1 GiB. Not on Windows, where bbolt grows the file to the mapping.
const initialMmapSize = int(1 << 30 * (unsafe.Sizeof(uintptr(0)) / 8))
