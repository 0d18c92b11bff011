package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Errors of reading a workbook. Callers test with errors.Is; the UI maps
// each to a translated message, the CLI prints the error text.
var (
	// ErrNotWorkbook: the file is not an Excel workbook (.xlsx), or is damaged.
	ErrNotWorkbook = errors.New("not an Excel workbook (.xlsx)")
	// ErrEncrypted: the workbook is protected with a password to open.
	ErrEncrypted = errors.New("workbook is password-protected")
	// ErrTooLarge: the file, or what it unpacks to, is larger than allowed
	// (a zip bomb, say).
	ErrTooLarge = errors.New("workbook is too large")
	// ErrTooManyRows: a sheet has more rows than one import takes.
	ErrTooManyRows = errors.New("sheet has too many rows")
	// ErrNoHeader: no sheet has a 12345 work-order or callback header row.
	ErrNoHeader = errors.New("no 12345 work-order or callback sheet found")
	// ErrProblems: some rows are wrong; nothing was imported. The report
	// lists every problem.
	ErrProblems = errors.New("the file has problems; nothing was imported")
	// ErrDamaged: a part of the workbook fails its checksum, is shorter or
	// longer than its header says, or is not well-formed XML: nothing of it
	// is imported.
	ErrDamaged = errors.New("workbook is damaged")
)

// Limits on what one import reads; ImportOptions can lower or raise the
// first three. Together they bound the memory an import takes, whatever the
// file holds (see openWorkbook).
const (
	DefaultMaxFileBytes  = 128 << 20 // the file as given
	DefaultMaxUnzipBytes = 128 << 20 // the parts read, unpacked: checked in about a second whatever they hold
	// DefaultMaxRows bounds the rows of all the sheets of one file: an
	// import plans and writes them in one transaction, all or nothing,
	// which holds about 8 KB a row (10,000 rows: about 80 MB). A community's
	// 12345 sheets have hundreds of rows a month.
	DefaultMaxRows = 10_000
	maxZipEntries  = 10_000
	// maxRatio bounds how many times its packed size a part over ratioFloor
	// unpacks to, and all the parts read together: spreadsheet XML packs 5
	// to 30 times, a zip bomb about 1,000 times.
	maxRatio   = 100
	ratioFloor = 1 << 20
	maxPacked  = 64 << 20 // the parts read, packed: excelize holds them in memory
	maxSmall   = 4 << 20  // a part other than a sheet or the shared strings, unpacked
	// maxText bounds one text in the XML (a cell, a shared string, an
	// attribute): Excel's own limit is 32,767 characters, and no field of an
	// appeal is longer than 5,000.
	maxText          = 64 << 10
	maxColumns       = 1024 // cells of one row (a 12345 sheet has a few dozen)
	cellsPerRow      = 50   // cells in all sheets: this many times the row limit
	maxSharedStrings = 1_000_000
	// maxKept bounds the text an import keeps of its rows (summaries,
	// details, names, addresses, notes), which the plan and the
	// transaction copy several times.
	maxKept          = 8 << 20
	unzipXMLInMemory = 4 << 20 // larger sheets and shared strings are unpacked to a temporary file and streamed
)

// oleMagic starts an OLE compound file: an old .xls, or an encrypted .xlsx.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// utf16 encodes an ASCII name as UTF-16LE, as OLE directory entries store it.
func utf16(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, s[i], 0)
	}
	return b
}

// openWorkbook opens a file for reading with excelize, having first checked
// everything excelize will read, so that whatever the file holds, the
// import refuses it in about the time it takes to unpack what it reads, with
// one line saying why, and memory stays bounded:
//
//   - the file's size, and that it is a zip holding a workbook (an OLE file
//     is an old .xls or a password-protected workbook);
//   - the parts read (the workbook, its relationships and content types,
//     the sheets and the shared strings; never pictures, styles or the rest)
//     by their headers: each within its size, and unpacking to no more than
//     maxRatio times its packed size;
//   - each of those parts unpacked in full, as a stream, before excelize
//     sees it: its checksum and length (excelize ignores a failed copy and
//     imports what it got), its XML well-formed to the end (excelize stops
//     silently at the first XML error), and within the limits on one text,
//     one row, cells, rows and shared strings (checkXML).
//
// excelize then opens a copy of the zip that holds only those parts (copied
// packed, not unpacked again), with sheets and shared strings over 4 MB
// streamed from temporary files.
func openWorkbook(r io.ReaderAt, size int64, opts *ImportOptions) (*excelize.File, error) {
	zr, err := openZip(r, size, opts.MaxFileBytes)
	if err != nil {
		return nil, err
	}
	parts, err := pickParts(zr, opts.MaxUnzipBytes)
	if err != nil {
		return nil, err
	}
	st := &xmlStats{}
	for _, p := range parts {
		if err := verifyPart(p, opts, st); err != nil {
			return nil, err
		}
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(copyParts(pw, parts)) }()
	f, err := excelize.OpenReader(pr, excelize.Options{
		UnzipSizeLimit:    opts.MaxUnzipBytes,
		UnzipXMLSizeLimit: min(unzipXMLInMemory, opts.MaxUnzipBytes),
		RawCellValue:      true,
	})
	_ = pr.Close()
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		switch {
		case errors.Is(err, excelize.ErrWorkbookPassword):
			return nil, fmt.Errorf("%w: remove the password and save again", ErrEncrypted)
		case strings.Contains(err.Error(), "unzip size"):
			return nil, fmt.Errorf("%w: %v", ErrTooLarge, err)
		}
		return nil, fmt.Errorf("%w: %v", ErrNotWorkbook, err)
	}
	return f, nil
}

// openZip checks the file's size and kind and reads its zip directory.
func openZip(r io.ReaderAt, size, maxFile int64) (*zip.Reader, error) {
	if size <= 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrNotWorkbook)
	}
	if size > maxFile {
		return nil, fmt.Errorf("%w: the file is %d MB; at most %d MB is read", ErrTooLarge, size>>20, maxFile>>20)
	}
	head := make([]byte, 8)
	if n, _ := r.ReadAt(head, 0); n < len(head) {
		return nil, fmt.Errorf("%w: the file is too short", ErrNotWorkbook)
	}
	if bytes.Equal(head, oleMagic) {
		return nil, oleError(r, size)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotWorkbook, err)
	}
	if len(zr.File) > maxZipEntries {
		return nil, fmt.Errorf("%w: the file holds %d parts", ErrTooLarge, len(zr.File))
	}
	return zr, nil
}

// oleError says what an OLE file is: a password-protected workbook or an
// old .xls. Only its directory (at most the first MB) is searched.
func oleError(r io.ReaderAt, size int64) error {
	all := make([]byte, min(size, 1<<20))
	if _, err := r.ReadAt(all, 0); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: %v", ErrNotWorkbook, err)
	}
	if bytes.Contains(all, utf16("EncryptionInfo")) || bytes.Contains(all, utf16("EncryptedPackage")) {
		return fmt.Errorf("%w: remove the password in Excel or WPS (文件 → 信息 → 保护工作簿 / 文档加密) and save again", ErrEncrypted)
	}
	return fmt.Errorf("%w: this is an old Excel 97–2003 file (.xls); open it in Excel or WPS and save it as .xlsx", ErrNotWorkbook)
}

// partKind says how a part is read and bounded.
type partKind int

const (
	partSmall   partKind = iota // workbook, relationships, content types
	partSheet                   // a worksheet or chart sheet
	partStrings                 // the shared strings
)

type part struct {
	f    *zip.File
	kind partKind
}

// pickParts chooses the parts excelize reads and checks their headers:
// each name once, each part within its size and ratio, all of them within
// the limits on the total.
func pickParts(zr *zip.Reader, maxUnzip int64) ([]part, error) {
	seen := map[string]bool{}
	var parts []part
	var unpacked, packed uint64
	workbook := false
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if seen[name] {
			return nil, fmt.Errorf("%w: the part %s is in the file twice", ErrDamaged, clipRunes(f.Name, 60))
		}
		seen[name] = true
		kind, read := readPart(name)
		if !read {
			continue
		}
		workbook = workbook || name == "xl/workbook.xml"
		limit := uint64(maxSmall)
		if kind != partSmall {
			limit = uint64(maxUnzip)
		}
		if f.UncompressedSize64 > limit {
			return nil, fmt.Errorf("%w: the part %s unpacks to %d MB, more than %d MB", ErrTooLarge, clipRunes(f.Name, 60), f.UncompressedSize64>>20, limit>>20)
		}
		if f.UncompressedSize64 > ratioFloor && f.UncompressedSize64 > maxRatio*max(f.CompressedSize64, 1) {
			return nil, fmt.Errorf("%w: the part %s unpacks to %d times its size (a zip bomb?)", ErrTooLarge, clipRunes(f.Name, 60), f.UncompressedSize64/max(f.CompressedSize64, 1))
		}
		unpacked += f.UncompressedSize64
		packed += f.CompressedSize64
		parts = append(parts, part{f: f, kind: kind})
	}
	switch {
	case !workbook:
		return nil, fmt.Errorf("%w: a zip file, but not a spreadsheet", ErrNotWorkbook)
	case unpacked > uint64(maxUnzip):
		return nil, fmt.Errorf("%w: the file unpacks to more than %d MB", ErrTooLarge, maxUnzip>>20)
	case packed > maxPacked:
		return nil, fmt.Errorf("%w: the sheets take more than %d MB in the file", ErrTooLarge, maxPacked>>20)
	case unpacked > ratioFloor && unpacked > maxRatio*max(packed, 1):
		return nil, fmt.Errorf("%w: the file unpacks to %d times its size (a zip bomb?)", ErrTooLarge, unpacked/max(packed, 1))
	}
	return parts, nil
}

// readPart says whether a part (its name lower-cased) is read, and how.
func readPart(name string) (partKind, bool) {
	switch name {
	case "[content_types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels":
		return partSmall, true
	case "xl/sharedstrings.xml":
		return partStrings, true
	}
	for _, dir := range []string{"xl/worksheets/", "xl/chartsheets/"} {
		if rest, ok := strings.CutPrefix(name, dir); ok && !strings.Contains(rest, "/") && strings.HasSuffix(rest, ".xml") {
			return partSheet, true
		}
	}
	return 0, false
}

// verifyPart unpacks a part as a stream through checkXML: archive/zip
// checks its checksum and length as it is read to the end.
func verifyPart(p part, opts *ImportOptions, st *xmlStats) error {
	lim := &xmlLimits{text: maxText}
	switch p.kind {
	case partSheet:
		lim.rows, lim.columns, lim.cells = opts.MaxRows, maxColumns, opts.MaxRows*cellsPerRow
	case partStrings:
		lim.strings = maxSharedStrings
	}
	rc, err := p.f.Open()
	if err != nil {
		return fmt.Errorf("%w: the part %s cannot be read: %v", ErrDamaged, clipRunes(p.f.Name, 60), err)
	}
	defer rc.Close()
	// Unpacking and checking run on two cores: the next 64 KB is unpacked
	// while the scanner reads the last.
	pr, pw := io.Pipe()
	go func() {
		_, err := io.CopyBuffer(pw, rc, make([]byte, 64<<10))
		pw.CloseWithError(err)
	}()
	err = checkXML(pr, lim, st) // reads to the end of the part, where archive/zip checks its checksum and length
	_ = pr.CloseWithError(errStopped)
	name := clipRunes(p.f.Name, 60)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errTooManyRowsXML):
		return fmt.Errorf("%w: %s: %v; split it into smaller files", ErrTooManyRows, name, err)
	case errors.Is(err, errXMLLimit):
		return fmt.Errorf("%w: %s: %v", ErrTooLarge, name, err)
	case errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrFormat), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: the part %s fails its check (%v); nothing was imported", ErrDamaged, name, err)
	}
	return fmt.Errorf("%w: the part %s: %v; nothing was imported", ErrDamaged, name, err)
}

// errStopped ends the unpacking of a part the scanner stopped reading.
var errStopped = errors.New("stopped")

// copyParts writes a zip of the parts, copied packed as they are.
func copyParts(w io.Writer, parts []part) error {
	zw := zip.NewWriter(w)
	for _, p := range parts {
		fh := p.f.FileHeader
		dst, err := zw.CreateRaw(&fh)
		if err != nil {
			return err
		}
		src, err := p.f.OpenRaw()
		if err != nil {
			return err
		}
		if _, err := io.Copy(dst, src); err != nil {
			return err
		}
	}
	return zw.Close()
}
