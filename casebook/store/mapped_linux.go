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
