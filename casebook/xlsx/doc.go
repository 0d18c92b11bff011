// Package xlsx writes the ledger workbook that district offices read (Excel
// and WPS) and imports the spreadsheets that arrive from the 12345 hotline:
// work-order dispatch sheets (派单) and callback result sheets (回访结果).
//
// Export streams the ledger (诉求台账) and the open-items list (未办结清单)
// row by row with excelize's StreamWriter, so memory stays flat for a
// hundred thousand appeals, and adds the rate sheets (三率统计, 分类统计,
// with native Excel charts) and an explanation sheet (说明) stating the
// formula of every rate. Every figure comes from casebook.ComputeMetrics
// (through the book's Metrics), the one definition used everywhere.
// Residents' names and phone numbers are masked unless asked otherwise.
//
// Import is all or nothing: every row of every sheet is read and checked
// first, every problem is reported with its sheet, row and column and what
// was expected, and only a file with no problems is applied, in one
// transaction. Importing the same file twice changes nothing the second time:
// work orders are matched by their 12345 work-order number. Hostile files (not
// a workbook, password-protected, zip bombs, a million rows) are refused with
// a clear error before they can exhaust memory or time.
//
// The package reads and writes a casebook through two small interfaces,
// Source and Target, which the store's Book satisfies; it has no UI.
package xlsx
