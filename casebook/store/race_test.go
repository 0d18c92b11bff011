//go:build race

package store

// raceEnabled trims the longest randomized tests under the race detector,
// which slows them about tenfold.
const raceEnabled = true
