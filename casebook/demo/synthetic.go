package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"
)

// Synthetic makes a casebook of n appeals quickly, for benchmarks: the
// operations are authored directly (as demo.Generate does through a scratch
// book, but without its per-step transactions) and applied in large
// batches. Appeals are spread over the year before now; most walk the whole
// loop, some stay open.
func Synthetic(s store.Store, n int, now time.Time) (*store.Book, error) {
	b, err := store.NewBook(s, "王明", nil)
	if err != nil {
		return nil, err
	}
	set := b.Settings()
	set.Community = casebook.Community{Name: "基准社区", Street: "示例街道", District: "示例区"}
	for i := 1; i <= 30; i++ {
		set.Community.Buildings = append(set.Community.Buildings, fmt.Sprintf("%d号楼", i))
	}
	base := 0.6
	set.Term = casebook.Term{Secretary: "王明", Start: casebook.DateOf(now.AddDate(0, -11, 0)), Baseline: casebook.Rates{Resolution: &base}}
	if err := b.UpdateSettings(set, casebook.SettingCommunity, casebook.SettingTerm); err != nil {
		return nil, err
	}
	sy := &synth{set: &set, now: now, rng: rand.New(rand.NewPCG(1, 2)), seq: map[string]int{},
		a: &casebook.Author{Origin: s.Device(), Actor: "王明", Clock: casebook.NewClock(time.Now), Now: func() time.Time { return now }}}
	var ops []casebook.Op
	for i := 0; i < n; i++ {
		caseOps, err := sy.appeal(i)
		if err != nil {
			return nil, err
		}
		ops = append(ops, caseOps...)
		if len(ops) >= 20000 {
			if _, err := b.Merge(ops...); err != nil {
				return nil, err
			}
			ops = ops[:0]
		}
	}
	if len(ops) > 0 {
		_, err = b.Merge(ops...)
	}
	return b, err
}

// synth makes the appeals of Synthetic, in the order of its random numbers.
type synth struct {
	set *casebook.Settings
	now time.Time
	rng *rand.Rand
	a   *casebook.Author
	seq map[string]int // numbers given, by day
}

var (
	synthSurnames  = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
	synthGiven     = []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟"}
	synthSummaries = []string{"楼道堆放杂物，长期无人清理", "小区内车辆乱停，占用消防通道", "楼上漏水，天花板渗水严重",
		"晚间广场舞噪音扰民", "电动车在楼道内飞线充电", "路灯损坏，夜间出行不便", "绿化带树木需要修剪", "物业服务不到位，垃圾清运不及时"}
)

// appeal makes appeal i and the loop steps it has taken by now.
func (sy *synth) appeal(i int) ([]casebook.Op, error) {
	rng, set := sy.rng, sy.set
	rec := sy.now.Add(-time.Duration(rng.Int64N(int64(330 * 24 * time.Hour)))).Truncate(time.Minute)
	day := rec.In(casebook.Shanghai).Format("20060102")
	sy.seq[day]++
	in := casebook.CaseInput{
		Number:      fmt.Sprintf("%s-%03d", day, sy.seq[day]),
		Received:    rec,
		Channel:     string(casebook.Channels()[rng.IntN(len(casebook.Channels()))]),
		Type:        string(casebook.Types()[rng.IntN(4)]),
		Category:    set.Categories[rng.IntN(len(set.Categories))],
		Building:    set.Community.Buildings[rng.IntN(30)],
		Unit:        fmt.Sprintf("%d单元", 1+rng.IntN(6)),
		Summary:     synthSummaries[rng.IntN(len(synthSummaries))],
		Complainant: string(synthSurnames[rng.IntN(len(synthSurnames))]) + synthGiven[rng.IntN(len(synthGiven))],
		Phone:       fmt.Sprintf("1%d%09d", 3+rng.IntN(6), rng.IntN(1e9)),
		Handler:     "李华",
	}
	if in.Channel == string(casebook.Channel12345) {
		in.WorkOrder = fmt.Sprintf("%s%08d", day, i)
	}
	op, err := sy.a.Create(in, set.Categories)
	if err != nil {
		return nil, err
	}
	c := casebook.NewCase(op.Entity)
	if _, err := c.Apply(&op); err != nil {
		return nil, err
	}
	return sy.steps(c, rec, []casebook.Op{op})
}

// steps takes the loop steps of c, a few hours to days apart from rec,
// as far as now, and appends their ops to ops.
func (sy *synth) steps(c *casebook.Case, rec time.Time, ops []casebook.Op) ([]casebook.Op, error) {
	rng := sy.rng
	t := rec
	var stepErr error
	step := func(s casebook.Step) bool {
		t = t.Add(time.Duration(1+rng.IntN(40)) * time.Hour)
		if t.After(sy.now) || stepErr != nil {
			return false
		}
		s.At = t
		op, err := sy.a.Step(c, s)
		if err == nil {
			_, err = c.Apply(&op)
		}
		if err != nil {
			stepErr = err
			return false
		}
		ops = append(ops, op)
		return true
	}
	_ = step(casebook.Step{Action: casebook.ActRespond}) &&
		step(casebook.Step{Action: casebook.ActDispatch, To: "物业公司"}) &&
		step(casebook.Step{Action: casebook.ActResolve}) &&
		step(casebook.Step{Action: casebook.ActFeedback}) &&
		step(casebook.Step{Action: casebook.ActEvaluate,
			Solved:       []casebook.Solved{casebook.SolvedYes, casebook.SolvedYes, casebook.SolvedPartly, casebook.SolvedNo}[rng.IntN(4)],
			Satisfaction: []casebook.Satisfaction{casebook.Satisfied, casebook.Satisfied, casebook.BasicSatisfied, casebook.NotSatisfied}[rng.IntN(4)]}) &&
		step(casebook.Step{Action: casebook.ActClose})
	return ops, stepErr
}
