//go:build linux

package store

import (
	"os"
	"syscall"
	"unsafe"
)

// mappedSpan tracks the addresses of bytes read from bbolt's read-only
// shared mapping of the file, so that the pages can be released once their
// content has been copied out. Releasing (MADV_DONTNEED) a page of a shared
// file mapping only unmaps it from this process: the data stays in the file
// and the page cache, and a later read maps it again. Only bytes from a
// read transaction (which all lie in the mapping) may be added.
type mappedSpan struct {
	lo unsafe.Pointer // lowest address seen
	hi uintptr        // highest end address seen
}

var pageSize = uintptr(os.Getpagesize())

func (m *mappedSpan) add(b []byte) {
	if len(b) == 0 {
		return
	}
	p := unsafe.Pointer(unsafe.SliceData(b))
	if m.lo == nil || uintptr(p) < uintptr(m.lo) {
		m.lo = p
	}
	if end := uintptr(p) + uintptr(len(b)); end > m.hi {
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
	*m = mappedSpan{}
}

// initialMmapSize is how much of the file bbolt maps for writing from the
// start. bbolt grows its mapping by doubling, and each time copies every
// key and value a write transaction has changed off the old mapping: for a
// large import, several times its whole size. Mapping 1 GiB at once (only
// address space on a 64-bit system: the file itself grows as written, and
// only pages read count in memory) saves those copies for any casebook
// under 1 GiB. Not on Windows, where bbolt grows the file to the mapping.
const initialMmapSize = int(1 << 30 * (unsafe.Sizeof(uintptr(0)) / 8))
