package main

// The printed documents (casebook/paper): `receipt`, `case sheet`,
// `dispute agreement` and `report`. Each writes one PDF with its fonts
// embedded, beside --out first and moved into place only when complete.

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"casebook/casebook"
	"casebook/casebook/paper"
	"casebook/casebook/store"
	"casebook/casebook/xlsx"
	"casebook/cmd/internal/version"
)

// writeOut writes --out through a temporary file beside it, moved into
// place only when fill succeeded, so a failed command leaves nothing.
func writeOut(out string, fill func(f *os.File) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := fill(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}

// withCase runs fn on the appeal --id names (its id or number).
func (a *app) withCase(id string, fn func(f *casebookFile, c *casebook.Case) error) error {
	return a.withBook(false, "", func(f *casebookFile) error {
		c, err := f.book.Case(id)
		if err != nil {
			return err
		}
		return fn(f, c)
	})
}

// writePDF writes a document to out, then reports the pages and any
// character no font had.
func (a *app) writePDF(out string, force bool, write func(w io.Writer) (paper.Result, error)) error {
	if err := a.checkOut(out, "the PDF", force); err != nil {
		return err
	}
	var res paper.Result
	if err := writeOut(out, func(f *os.File) (err error) {
		res, err = write(f)
		return err
	}); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, a.tr("已写出 %s（%d 页）\n", "wrote %s (%d pages)\n"), out, res.Pages)
	if len(res.Missing) > 0 {
		fmt.Fprintf(a.stdout, a.tr("注意：以下字符没有可用的字体，印为〓，请手写补上：%s\n",
			"note: no font has these characters; they are printed as 〓, write them in by hand: %s\n"), res.MissingText())
	}
	return nil
}

// pdfFlags are the flags every document command has.
type pdfFlags struct {
	id, out string
	force   bool
}

func (p *pdfFlags) add(c *cobra.Command, withID bool) {
	fl := c.Flags()
	if withID {
		fl.StringVar(&p.id, "id", "", "the appeal or dispute (id, number or title)")
		_ = c.MarkFlagRequired("id")
	}
	fl.StringVar(&p.out, "out", "", "PDF file to write (required)")
	fl.BoolVar(&p.force, "force", false, "replace an existing --out")
	_ = c.MarkFlagRequired("out")
}

func (a *app) receiptCmd() *cobra.Command {
	var p pdfFlags
	var contact string
	var masked bool
	c := &cobra.Command{
		Use:   "receipt --db PATH --id ID --out FILE.pdf [--contact TEXT] [--masked]",
		Short: "Print the 受理回执 (receipt) for a walk-in resident, A5",
		Long: `Write the 受理回执 a resident takes home (A5 PDF): the case number, when it
was received, what was recorded, the deadlines it will be signed for and
handled by under the casebook's policy, and who to contact (--contact,
e.g. "社区服务站 010-63801234"; without it a line is left to fill in). It
is the resident's own paper, so their name and phone show unless --masked.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withCase(p.id, func(f *casebookFile, cs *casebook.Case) error {
				return a.writePDF(p.out, p.force, func(w io.Writer) (paper.Result, error) {
					return paper.Receipt(w, cs, f.book.Settings(), paper.Options{Now: a.now(), Version: version.String(), Contact: contact, Masked: masked})
				})
			})
		},
	}
	p.add(c, true)
	c.Flags().StringVar(&contact, "contact", "", "who the resident calls about it, with the phone number")
	c.Flags().BoolVar(&masked, "masked", false, "mask the resident's name and phone (a copy for someone else)")
	return c
}

func (a *app) caseSheetCmd() *cobra.Command {
	var p pdfFlags
	var unmasked bool
	c := &cobra.Command{
		Use:   "sheet --db PATH --id ID --out FILE.pdf [--unmasked]",
		Short: "Print the 诉求办理单 (case sheet) for the file: every field, the timeline, the evaluation",
		Long: `Write the 诉求办理单 kept in the file (A4 PDF): every field of the appeal,
its deadlines and whether they were met, the whole timeline with who took
each step, the evaluation, linked appeals, and lines for signatures. The
resident's name and phone are masked (张*, 138****1234) unless --unmasked.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withCase(p.id, func(f *casebookFile, cs *casebook.Case) error {
				number := func(id string) string {
					if o, err := f.book.Case(id); err == nil {
						return o.Number()
					}
					return ""
				}
				return a.writePDF(p.out, p.force, func(w io.Writer) (paper.Result, error) {
					return paper.CaseSheet(w, cs, f.book.Settings(), number, paper.Options{Now: a.now(), Version: version.String(), Unmasked: unmasked})
				})
			})
		},
	}
	p.add(c, true)
	c.Flags().BoolVar(&unmasked, "unmasked", false, "print the resident's name and phone unmasked")
	return c
}

func (a *app) disputeAgreementCmd() *cobra.Command {
	var p pdfFlags
	var masked bool
	c := &cobra.Command{
		Use:   "agreement --db PATH --id D --out FILE.pdf [--masked]",
		Short: "Print the 人民调解协议书 (mediation agreement) of an agreed dispute",
		Long: `Write the 人民调解协议书 of a dispute that has an agreement (A4 PDF): the
parties, the facts and the matter in dispute, how the agreement was
reached, the agreed plan version (what will be done, cost, funding,
upkeep), each party's obligations with the manner, place and term of
performance (from the implementation tasks), the clauses on effect and
judicial confirmation, and blanks for signatures and the seal. The parties
sign it, so it names them unless --masked.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withDispute(p.id, "", func(f *casebookFile, d *casebook.Dispute) error {
				return a.writePDF(p.out, p.force, func(w io.Writer) (paper.Result, error) {
					return paper.Agreement(w, d, f.book.Settings(), paper.Options{Now: a.now(), Version: version.String(), Masked: masked})
				})
			})
		},
	}
	p.add(c, true)
	c.Flags().BoolVar(&masked, "masked", false, "mask residents' names (a copy for someone else)")
	return c
}

func (a *app) reportCmd() *cobra.Command {
	var p pdfFlags
	var from, to string
	var meeting bool
	c := &cobra.Command{
		Use:   "report --db PATH --out FILE.pdf [--from YYYY-MM-DD --to YYYY-MM-DD] [--meeting]",
		Short: "Print the 任期工作报告 (term report), or with --meeting the version for a 报告会 with residents",
		Long: `Write the 任期工作报告 (A4 PDF) for the period: the three rates and the
composite score against the baseline and before the term, month by month
(chart), by category and building, the ageing of what is open, the repeat
appeals that fell, the disputes resolved, escalations, and what remains
open and why. Every figure is the one 'casebook metrics' and the workbook
give for the same period.

--from and --to are days in Beijing time (both inclusive); without them
the period is the term (from its start to its end), or all appeals if no
term is set. With --meeting, the version for a 报告会 with residents: large
type, plain words, no personal data, the items raised at earlier report
meetings and what became of them, and where appeals are rising (未诉先办).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fromT, toT, err := xlsx.PeriodOf(from, to)
			if err != nil {
				return err
			}
			return a.withReader(func(r *store.Reader) error {
				if from == "" && to == "" {
					if t := r.Settings().Term; t.Start != (casebook.Date{}) {
						fromT = t.Start.Time()
						if t.End != (casebook.Date{}) {
							toT = t.End.AddDays(1).Time()
						}
					}
				}
				opts := paper.ReportOptions{Options: paper.Options{Now: a.now(), Version: version.String()}, From: fromT, To: toT, Meeting: meeting}
				return a.writePDF(p.out, p.force, func(w io.Writer) (paper.Result, error) {
					return paper.Report(w, r, opts)
				})
			})
		},
	}
	p.add(c, false)
	c.Flags().StringVar(&from, "from", "", "first day received, YYYY-MM-DD (Beijing time)")
	c.Flags().StringVar(&to, "to", "", "last day received, YYYY-MM-DD (inclusive)")
	c.Flags().BoolVar(&meeting, "meeting", false, "the version for a 报告会 with residents")
	return c
}
