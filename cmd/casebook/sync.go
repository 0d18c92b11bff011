package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"casebook/sync/client"
)

func (a *app) syncCmd() *cobra.Command {
	var hub, token string
	var asJSON, status bool
	var timeout time.Duration
	c := &cobra.Command{
		Use:   "sync --db PATH [--hub URL --token TOKEN] [--json]",
		Short: "Sync with the district hub: push what the hub lacks, pull what is new (同步)",
		Long: `Sync the casebook with the district hub. Operations the hub lacks are
pushed in batches and what is new on the hub is pulled and merged; a
checkpoint is kept after each batch, so an interrupted sync simply resumes
when run again. Concurrent edits of the same field are kept as conflicts to
review, never dropped.

--hub and --token are saved in the casebook (on this device only) after a
successful sync, so later runs need neither. A new, empty casebook synced
with a token takes the token's community and pulls its data. --status shows
the saved hub, the last sync, operations waiting and conflicts, without
connecting.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			return a.withBook(hub != "" && token != "" && !status, "", func(f *casebookFile) error {
				if status {
					st, err := client.Status(f.book)
					if err != nil {
						return err
					}
					if asJSON {
						return json.NewEncoder(a.stdout).Encode(st)
					}
					last := a.tr("从未", "never")
					if !st.LastSync.IsZero() {
						last = shanghai(st.LastSync)
					}
					fmt.Fprintf(a.stdout, a.tr("中心 %s  社区 %s  上次同步 %s  待上传 %d  待处理冲突 %d\n",
						"hub %s  community %s  last sync %s  waiting %d  conflicts %d\n"),
						st.Hub, st.Community, last, st.Waiting, st.Conflicts)
					if st.LastError != "" {
						fmt.Fprintf(a.stdout, a.tr("上次错误：%s\n", "last error: %s\n"), st.LastError)
					}
					return nil
				}
				if (hub == "") != (token == "") {
					return errors.New("give both --hub and --token, or neither to use the saved ones")
				}
				ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
				defer cancel()
				var res client.Result
				if hub == "" {
					res, err = client.SyncSaved(ctx, f.book)
				} else {
					res, err = client.Sync(ctx, f.book, hub, token)
					if err == nil {
						err = client.SaveConfig(f.book, hub, token)
					}
				}
				if err != nil {
					return err
				}
				if asJSON {
					return json.NewEncoder(a.stdout).Encode(res)
				}
				fmt.Fprintf(a.stdout, a.tr("已同步 %s：上传 %d，下载 %d，待处理冲突 %d，用时 %s\n",
					"synced %s: pushed %d, pulled %d, conflicts to review %d, took %s\n"),
					res.Community, res.Pushed, res.Pulled, res.Conflicts, res.Duration.Round(time.Millisecond))
				if res.Reset {
					fmt.Fprintln(a.stdout, a.tr("中心数据曾恢复或更换，已重新上传全部记录。", "the hub was restored or replaced: everything was sent again."))
				}
				if res.ClockSkew > time.Minute || res.ClockSkew < -time.Minute {
					fmt.Fprintf(a.stdout, a.tr("注意：本机时钟与中心相差约 %s，请校准。\n", "warning: this device's clock is about %s off the hub's; please correct it.\n"),
						res.ClockSkew.Round(time.Second))
				}
				return nil
			})
		},
	}
	fl := c.Flags()
	fl.StringVar(&hub, "hub", "", "hub address, e.g. http://127.0.0.1:8710")
	fl.StringVar(&token, "token", "", "device token from `casebook-district enroll`")
	fl.BoolVar(&asJSON, "json", false, "print the result as JSON")
	fl.BoolVar(&status, "status", false, "show the sync state without connecting")
	fl.DurationVar(&timeout, "timeout", 10*time.Minute, "give up after this long (the next run resumes)")
	return c
}
