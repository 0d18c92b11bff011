// Command demodev is a headless casebook for sync/demo.sh, until
// `casebook sync` is wired into cmd/casebook: it makes a casebook, edits it
// and syncs it with a hub through sync/client, as the app does.
//
//	demodev new    --db PATH [--cases N]      a casebook (with demo data when N > 0)
//	demodev edit   --db PATH --summary TEXT   add an appeal; change the handler of the newest one
//	demodev sync   --db PATH --hub URL --token TOKEN
//	demodev status --db PATH
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"casebook/casebook"
	"casebook/casebook/demo"
	"casebook/casebook/store"
	"casebook/sync/client"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: demodev new|edit|sync|status --db PATH ...")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	db := fs.String("db", "", "casebook file")
	cases := fs.Int("cases", 0, "demo appeals to generate")
	summary := fs.String("summary", "演示诉求", "summary of the appeal to add")
	handler := fs.String("handler", "", "set the handler of the newest appeal")
	hub := fs.String("hub", "", "hub address")
	token := fs.String("token", "", "device token")
	_ = fs.Parse(os.Args[2:])
	if err := run(os.Args[1], *db, *cases, *summary, *handler, *hub, *token); err != nil {
		fmt.Fprintln(os.Stderr, "demodev:", err)
		os.Exit(1)
	}
}

func run(cmd, db string, cases int, summary, handler, hub, token string) error {
	s, err := store.OpenBolt(db)
	if err != nil {
		return err
	}
	b, err := store.NewBook(s, "演示用户", nil)
	if err != nil {
		return err
	}
	defer b.Close()
	out := json.NewEncoder(os.Stdout)
	switch cmd {
	case "new":
		if cases > 0 {
			st, err := demo.Generate(b, demo.Options{Cases: cases, Seed: 1})
			if err != nil {
				return err
			}
			return out.Encode(st)
		}
		return nil
	case "edit":
		c, err := b.AddCase(casebook.CaseInput{Received: time.Now(), Channel: "walk-in", Type: "complaint", Category: "其他", Summary: summary})
		if err != nil {
			return err
		}
		fmt.Printf("added %s %s\n", c.Number(), summary)
		if handler != "" {
			sums := b.Store().Summaries()
			target := sums[len(sums)-1] // the oldest: the same case on every device
			if _, err := b.SetFields(target.ID, map[string]string{casebook.FieldHandler: handler}); err != nil {
				return err
			}
			fmt.Printf("handler of %s set to %s\n", target.Number, handler)
		}
		return nil
	case "sync":
		res, err := client.Sync(context.Background(), b, hub, token)
		_ = out.Encode(res)
		return err
	case "status":
		st, err := client.Status(b)
		if err != nil {
			return err
		}
		fmt.Printf("cases %d, community %q\n", len(b.Store().Summaries()), b.Settings().Community.Name)
		return out.Encode(st)
	}
	return fmt.Errorf("unknown command %q", cmd)
}
