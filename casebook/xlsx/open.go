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
)

// Limits on what one import reads; ImportOptions can lower or raise them.
const (
	DefaultMaxFileBytes  = 128 << 20 // the file as given
	DefaultMaxUnzipBytes = 512 << 20 // everything in it, unpacked
	DefaultMaxRows       = 200_000   // rows of one sheet
	maxZipEntries        = 10_000
	unzipXMLInMemory     = 16 << 20 // larger sheets are unpacked to a temporary file and streamed
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

// openWorkbook checks a file before excelize reads it: its size, that it is
// a zip holding a workbook, and that it does not unpack to more than the
// limit (Go's zip reader checks that each entry inflates to the size its
// header declares, so the declared sizes can be trusted); then opens it
// with excelize under the same limits.
func openWorkbook(r io.ReaderAt, size int64, maxFile, maxUnzip int64) (*excelize.File, error) {
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
		all := make([]byte, size)
		if _, err := r.ReadAt(all, 0); err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: %v", ErrNotWorkbook, err)
		}
		if bytes.Contains(all, utf16("EncryptionInfo")) || bytes.Contains(all, utf16("EncryptedPackage")) {
			return nil, fmt.Errorf("%w: remove the password in Excel or WPS (文件 → 信息 → 保护工作簿 / 文档加密) and save again", ErrEncrypted)
		}
		return nil, fmt.Errorf("%w: this is an old Excel 97–2003 file (.xls); open it in Excel or WPS and save it as .xlsx", ErrNotWorkbook)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotWorkbook, err)
	}
	if len(zr.File) > maxZipEntries {
		return nil, fmt.Errorf("%w: the file holds %d parts", ErrTooLarge, len(zr.File))
	}
	var total uint64
	workbook := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(maxUnzip) {
			return nil, fmt.Errorf("%w: the file unpacks to more than %d MB", ErrTooLarge, maxUnzip>>20)
		}
		if strings.EqualFold(strings.ReplaceAll(f.Name, "\\", "/"), "xl/workbook.xml") {
			workbook = true
		}
	}
	if !workbook {
		return nil, fmt.Errorf("%w: a zip file, but not a spreadsheet", ErrNotWorkbook)
	}
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		UnzipSizeLimit:    maxUnzip,
		UnzipXMLSizeLimit: min(unzipXMLInMemory, maxUnzip),
		RawCellValue:      true,
	})
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
