// Package casebook is the domain core of the governance secretary's casebook
// (治理书记台账): appeals (诉求) and their closed loop (闭环), the 1-7-15
// deadline policy, the three rates (三率) and the operations that every change
// is made of, with their merge rules.
//
// It does no I/O and does not import Fyne, so that the desktop app, the CLI,
// the Excel export and the district hub share one definition of every rule,
// and so that it can be tested with plain table-driven tests. Persistence
// lives in casebook/store, the UI in ui/.
//
// Data is kept as operations, not overwrites (see DESIGN.md): a Case is the
// deterministic result of applying its operations in any order. Scalar fields
// are registers resolved by last-writer-wins on (HLC, origin), keeping
// concurrent losers as conflicts; timeline events and links are append-only;
// the status follows from the events replayed in HLC order.
package casebook
