package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"casebook/casebook/store"
	"casebook/casebook/xlsx"
	"casebook/cmd/internal/version"
)

func (a *app) exportCmd() *cobra.Command {
	var out, from, to string
	var unmasked, force bool
	c := &cobra.Command{
		Use:   "export --db PATH --out FILE.xlsx [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--unmasked]",
		Short: "Export the ledger workbook the district reads (诉求台账, 三率统计, 分类统计, 未办结清单, 说明)",
		Long: `Write the Excel workbook for the district: the appeals ledger (诉求台账),
the three rates by month with the baseline and a chart (三率统计), counts and
rates by category, building and channel (分类统计), open items for close-out
tracking (未办结清单), disputes and meetings when there are any, and a 说明
sheet with the community, term, period and the formula of each rate.

--from and --to select appeals received in those days (Beijing time, both
inclusive). Residents' names and phone numbers are masked (张*, 138****1234)
unless --unmasked. An existing --out is refused unless --force; the file is
written beside it and moved into place only when complete.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.checkOut(out, "the workbook", force); err != nil {
				return err
			}
			fromT, toT, err := xlsx.PeriodOf(from, to)
			if err != nil {
				return err
			}
			opts := xlsx.ExportOptions{From: fromT, To: toT, Unmasked: unmasked, Now: a.now(), Version: version.String()}
			if err := a.withReader(func(r *store.Reader) error {
				return writeOut(out, func(f *os.File) error { return xlsx.Export(f, r, opts) })
			}); err != nil {
				return err
			}
			masked := a.tr("（姓名和电话已脱敏）", " (names and phones masked)")
			if unmasked {
				masked = a.tr("（含未脱敏的个人信息，请妥善保管）", " (contains unmasked personal data: keep it safe)")
			}
			fmt.Fprintf(a.stdout, a.tr("已导出 %s%s\n", "exported %s%s\n"), out, masked)
			return nil
		},
	}
	fl := c.Flags()
	fl.StringVar(&out, "out", "", "workbook to write (required)")
	fl.StringVar(&from, "from", "", "first day received, YYYY-MM-DD (Beijing time)")
	fl.StringVar(&to, "to", "", "last day received, YYYY-MM-DD (inclusive)")
	fl.BoolVar(&unmasked, "unmasked", false, "include residents' names and phone numbers unmasked")
	fl.BoolVar(&force, "force", false, "replace an existing --out")
	_ = c.MarkFlagRequired("out")
	return c
}

func (a *app) importCmd() *cobra.Command {
	var dryRun bool
	var actor, meetingDate, meetingPlace string
	c := &cobra.Command{
		Use:   "import --db PATH FILE.xlsx [--dry-run] [--meeting-date DAY --meeting-place PLACE]",
		Short: "Import 12345 sheets (派单, 回访结果, 办结/回复) or a report meeting's opinion list (报告会意见清单)",
		Long: `Import a 12345 work-order sheet or a callback result sheet. The header row
is found even below a merged title; columns are matched by their usual
names (工单编号/工单号, 受理时间/来电时间/派单时间, 诉求内容/问题描述, 诉求人/来电人,
联系电话, 地址, 问题分类, 办理时限, 回访结果 ...). Excel dates, Chinese text dates
and full-width digits are accepted.

All or nothing: if any row is bad, nothing is imported and every problem
is listed with its sheet, row and column and what was expected. Rows are
matched by work-order number, so importing the same file twice changes
nothing the second time. Categories not in the casebook's list are filed
under 其他 and listed for review. --dry-run shows what would happen.

A callback sheet may follow its dispatch sheet directly: an appeal the
casebook has not walked to 办结 gets the steps it lacks (签收, 办结, 反馈)
recorded as taken from the sheet, at the callback's time, each with a note
saying so; 未评价, 未接通 and 拒绝评价 are recorded as callbacks without a
verdict, counted as the settings' rule set says. A 办结/回复 sheet (工单编号,
办理结果, 回复内容, 办结时间, 办理单位) records the handling of its appeals.
An opinion list (序号, 意见内容, 楼栋, 提出人) becomes appeals of the channel
报告会 on the meeting's day and at its place, read from the title above the
header ("2026年3月15日报告会意见清单（地点：社区党群服务中心）") or given with
--meeting-date and --meeting-place.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			file, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer file.Close()
			fi, err := file.Stat()
			if err != nil {
				return err
			}
			opts := xlsx.ImportOptions{DryRun: dryRun, Now: a.now(), Actor: actor, MeetingPlace: meetingPlace}
			if meetingDate != "" {
				if opts.MeetingDate, err = parseAt("meeting-date", meetingDate); err != nil {
					return err
				}
			}
			return a.withBook(false, actor, func(f *casebookFile) error {
				rep, ierr := xlsx.Import(file, fi.Size(), f.book, opts)
				if werr := rep.WriteText(a.stdout); werr != nil && ierr == nil {
					ierr = werr
				}
				if ierr != nil {
					if errors.Is(ierr, xlsx.ErrProblems) {
						return fmt.Errorf("%s: %d problems, nothing imported (see above)", args[0], len(rep.Problems))
					}
					return fmt.Errorf("%s: %w", args[0], ierr)
				}
				return nil
			})
		},
	}
	c.Flags().BoolVar(&dryRun, "dry-run", false, "show what would be imported, change nothing")
	c.Flags().StringVar(&actor, "actor", "", "who records the imported steps (default the term's secretary)")
	c.Flags().StringVar(&meetingDate, "meeting-date", "", "an opinion list's report meeting: its day (and time), if the title does not say")
	c.Flags().StringVar(&meetingPlace, "meeting-place", "", "an opinion list's report meeting: its place, if the title does not say")
	return c
}
