// Command preview opens Casebook's main window without the rest of the
// application, so the UI can be looked at (and screenshotted) while
// cmd/casebook is being written:
//
//	go run ./ui/internal/preview --db demo.db --lang en --theme dark
package main

import (
	"flag"
	"fmt"
	"os"

	"casebook/ui"
)

func main() {
	var opts ui.Options
	flag.StringVar(&opts.DBPath, "db", "", "casebook file to show as open (it is not opened)")
	flag.StringVar(&opts.Language, "lang", "", `UI language: "zh-Hans" or "en" (default: last used, else zh-Hans)`)
	flag.StringVar(&opts.Theme, "theme", "", `"light", "dark", or empty to follow the system`)
	flag.Parse()
	if err := ui.Run(opts); err != nil {
		fmt.Fprintln(os.Stderr, "preview:", err)
		os.Exit(2)
	}
}
