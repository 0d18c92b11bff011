// Package demo fills a casebook with a realistic but entirely fictional
// community, so that a new user, a screenshot or a test sees what a term of
// work looks like: about 2,100 households in buildings 1号楼 to 30号楼, a
// governance secretary's term from December to October, and some 1,200
// appeals from every channel walked round the closed loop at plausible
// times, with rates that improve month by month, a backlog of open and
// overdue items as of Now, escalations, duplicates and recurrences, and
// disputes: the footpath between buildings 14 and 15 told in DOMAIN.md
// (resolved, its appeals closed out with it), a car-park dispute still
// being negotiated and a square-dance noise dispute that stalled.
//
// Every name, phone number and work-order number is invented. The data is
// deterministic for a seed (record ids aside, which are made fresh).
package demo

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"
)

// Defaults of Options and the demo community's profile.
const (
	DefaultCommunity = "示例社区"
	DefaultCases     = 1200
	Households       = 2100
	Buildings        = 30
	Secretary        = "王明"
	Street           = "示例街道"
	District         = "示例区"
)

// Baseline rates of the community before the term (fictional 12345 figures).
const (
	BaselineResponse     = 0.86
	BaselineResolution   = 0.62
	BaselineSatisfaction = 0.70
)

// Options says what to generate.
type Options struct {
	Community string    // community name; DefaultCommunity when empty
	Seed      int64     // the same seed gives the same appeals
	Now       time.Time // "today": appeals are received before it, and steps after it are left undone; time.Now when zero
	Cases     int       // number of appeals; DefaultCases when zero, at most MaxCases
	// Progress, if set, is told how many appeals are written so far, of
	// how many, after each transaction.
	Progress func(done, total int)
}

// MaxCases is the most appeals Generate makes: a city district's year.
const MaxCases = 1_000_000

// Stats reports what was generated, as of Options.Now.
type Stats struct {
	Cases        int `json:"cases"`
	Open         int `json:"open"`
	Overdue      int `json:"overdue"`
	Disputes     int `json:"disputes"`
	OpenDisputes int `json:"open_disputes"` // not resolved
}

// Term returns the demo term for a day: December 1 to October 31 of the
// next year, the latest such term that began at least two months before now.
func Term(now time.Time) (start, end casebook.Date) {
	d := casebook.DateOf(now).AddDays(-60)
	y := d.Year
	if d.Month < time.December {
		y--
	}
	return casebook.Date{Year: y, Month: time.December, Day: 1}, casebook.Date{Year: y + 1, Month: time.October, Day: 31}
}

// Generate writes the demo community's settings and appeals into b. It is
// meant for a new, empty casebook; it adds to whatever is there otherwise.
// opts.Now must not be ahead of the computer's clock.
//
// The appeals are made in the order received and authored as they are
// made, through casebook.Author (the same checks as a user's steps), on b's
// device, and merged into b in large batches, a few transactions in all
// rather than one per step: on a Bolt file that is the difference between
// seconds and most of a minute, and a million appeals never sit in memory
// at once. The disputes' appeals and the disputes go through a scratch
// casebook, where the dispute scripts find them, and are merged at the end
// re-stamped with b's device, so the casebook reads as if it had all been
// typed on this computer.
func Generate(b *store.Book, opts Options) (Stats, error) {
	if b == nil {
		return Stats{}, errors.New("demo: no casebook")
	}
	if err := opts.fill(); err != nil {
		return Stats{}, err
	}
	now := opts.Now.UTC()
	s, err := demoSettings(b, opts.Community, now)
	if err != nil {
		return Stats{}, err
	}
	if err := write(b, s, opts, now); err != nil {
		return Stats{}, err
	}
	return count(b, now)
}

// fill sets the defaults of the options and checks them.
func (opts *Options) fill() error {
	if opts.Community == "" {
		opts.Community = DefaultCommunity
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Now.After(time.Now().Add(casebook.DefaultMaxSkew)) {
		return fmt.Errorf("demo: %w: now (%s) is in the future", casebook.ErrInvalid, opts.Now.Format(time.RFC3339))
	}
	if opts.Cases == 0 {
		opts.Cases = DefaultCases
	}
	if opts.Cases < 0 || opts.Cases > MaxCases {
		return fmt.Errorf("demo: %w: %d appeals is outside 0–%d", casebook.ErrInvalid, opts.Cases, MaxCases)
	}
	return nil
}

// demoSettings writes the community, the term and any category the demo
// uses that b lacks straight to b, and returns b's settings after.
func demoSettings(b *store.Book, community string, now time.Time) (casebook.Settings, error) {
	s := b.Settings()
	start, end := Term(now)
	s.Community = casebook.Community{Name: community, Street: Street, District: District, Households: Households}
	for i := 1; i <= Buildings; i++ {
		s.Community.Buildings = append(s.Community.Buildings, building(i))
	}
	s.Term = casebook.Term{Secretary: Secretary, Start: start, End: end, Baseline: casebook.Rates{
		Response: ptr(BaselineResponse), Resolution: ptr(BaselineResolution), Satisfaction: ptr(BaselineSatisfaction)}}
	keys := []string{casebook.SettingCommunity, casebook.SettingTerm}
	for _, c := range categories {
		if !slices.Contains(s.Categories, c.name) {
			s.Categories = append(s.Categories, c.name)
			if len(keys) == 2 {
				keys = append(keys, casebook.SettingCategories)
			}
		}
	}
	if err := b.UpdateSettings(s, keys...); err != nil {
		return s, fmt.Errorf("demo: settings: %w", err)
	}
	return b.Settings(), nil
}

// write makes every appeal, step, link and dispute of the demo with the
// settings s and writes them into b (writer): the ordinary appeals as they
// are made, the disputes' appeals and the disputes through a scratch
// casebook, merged at the end.
func write(b *store.Book, s casebook.Settings, opts Options, now time.Time) error {
	mem := store.NewMemory()
	mb, err := store.NewBook(mem, Secretary, time.Now)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := mb.UpdateSettings(s, casebook.SettingCommunity, casebook.SettingTerm, casebook.SettingPolicy,
		casebook.SettingCategories, casebook.SettingWeights); err != nil {
		return fmt.Errorf("demo: settings: %w", err)
	}
	g := newGen(opts.Seed, s.Term.Start.Time(), now, &s.Policy)
	fixed, fixedLinks := g.fixedPlans(opts.Cases)
	w := &writer{b: b, mb: mb, cats: s.Categories, total: opts.Cases, progress: opts.Progress,
		author: casebook.Author{Origin: b.Store().Device(), Actor: Secretary, Clock: b.Clock(), Now: time.Now}}
	if err := g.appeals(opts.Cases, fixed, w.add); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	for _, l := range fixedLinks {
		if err := mb.Link(l.from.id, l.to.id, l.kind); err != nil {
			return fmt.Errorf("demo: link: %w", err)
		}
	}
	if err := g.runDisputes(mem); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := w.flush(); err != nil {
		return err
	}
	return w.mergeScratch(mem)
}

// count is the Stats of b as of now.
func count(b *store.Book, now time.Time) (Stats, error) {
	var st Stats
	for _, sum := range b.List(casebook.Filter{}, now) {
		st.Cases++
		if sum.Status.Open() {
			st.Open++
		}
		if sum.Overdue(now) {
			st.Overdue++
		}
	}
	ds, err := b.ListDisputes(now)
	if err != nil {
		return Stats{}, fmt.Errorf("demo: %w", err)
	}
	for _, d := range ds {
		st.Disputes++
		if d.Status.Open() {
			st.OpenDisputes++
		}
	}
	return st, nil
}

// mergeBatch is how many operations are merged in one transaction: large
// enough that a million appeals take a few thousand commits, small enough
// to hold a batch in memory at once.
const mergeBatch = 10000

// writer writes the appeals as they are made: the ordinary ones authored
// here, case by case, through the same Author checks as a user's steps
// (casebook.Author), and merged into b a batch at a time; the disputes'
// fixed appeals through the scratch book, where the dispute scripts find
// them. Appeals are numbered per day in the order received, as AddCase
// numbers them.
type writer struct {
	b, mb    *store.Book
	author   casebook.Author
	cats     []string
	ops      []casebook.Op
	day      string // the day of the last number, and its sequence
	seq      int
	done     int
	total    int
	progress func(done, total int)
}

// add writes an appeal with its steps and, for a follower, its link to the
// original in both directions (as Book.Link does).
func (w *writer) add(p *plan, l *link) error {
	if day := p.in.Received.In(casebook.Shanghai).Format("20060102"); day != w.day {
		w.day, w.seq = day, 0
	}
	w.seq++
	p.in.Number = fmt.Sprintf("%s-%03d", w.day, w.seq)
	if p.fixed {
		return w.addScratch(p)
	}
	op, err := w.author.Create(p.in, w.cats)
	if err != nil {
		return fmt.Errorf("add case %q: %w", p.in.Summary, err)
	}
	c := casebook.NewCase(op.Entity)
	if _, err := c.Apply(&op); err != nil {
		return err
	}
	w.ops = append(w.ops, op)
	for _, st := range p.steps {
		op, err := w.author.Step(c, st)
		if err != nil {
			return fmt.Errorf("case %s (%s): %w", c.Number(), p.in.Summary, err)
		}
		if _, err := c.Apply(&op); err != nil {
			return err
		}
		w.ops = append(w.ops, op)
	}
	p.id, p.steps = c.ID, nil
	if l != nil {
		there, err := w.author.Link(c, l.to.id, l.kind)
		if err != nil {
			return fmt.Errorf("link: %w", err)
		}
		back, err := w.author.Link(&casebook.Case{ID: l.to.id}, c.ID, l.kind)
		if err != nil {
			return fmt.Errorf("link: %w", err)
		}
		w.ops = append(w.ops, there, back)
	}
	w.done++
	if len(w.ops) >= mergeBatch {
		return w.flush()
	}
	return nil
}

// addScratch adds a dispute's fixed appeal to the scratch book.
func (w *writer) addScratch(p *plan) error {
	c, err := w.mb.AddCase(p.in)
	if err != nil {
		return fmt.Errorf("add case %q: %w", p.in.Summary, err)
	}
	p.id = c.ID
	for _, st := range p.steps {
		if _, err := w.mb.Step(p.id, st); err != nil {
			return fmt.Errorf("case %s (%s): %w", c.Number(), p.in.Summary, err)
		}
	}
	w.done++
	return nil
}

// flush merges the operations written so far into b.
func (w *writer) flush() error {
	if len(w.ops) > 0 {
		if _, err := w.b.Merge(w.ops...); err != nil {
			return fmt.Errorf("demo: save: %w", err)
		}
		w.ops = w.ops[:0]
	}
	if w.progress != nil {
		w.progress(w.done, w.total)
	}
	return nil
}

// mergeScratch merges the scratch book's appeals and disputes into b, in
// batches, re-stamped with b's device as their origin.
func (w *writer) mergeScratch(mem *store.Memory) error {
	device := w.b.Store().Device()
	for seq := uint64(0); ; {
		ops, next, err := mem.OpsSince(seq, mergeBatch)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if len(ops) == 0 {
			return nil
		}
		seq = next
		keep := ops[:0]
		for _, op := range ops {
			if op.Kind == casebook.OpSettings {
				continue // already written to b
			}
			op.Origin = device
			keep = append(keep, op)
		}
		if _, err := w.b.Merge(keep...); err != nil {
			return fmt.Errorf("demo: save: %w", err)
		}
	}
}

func ptr(f float64) *float64 { return &f }

func building(i int) string { return strconv.Itoa(i) + "号楼" }

// plan is one appeal to add and the steps to take on it.
type plan struct {
	in    casebook.CaseInput
	steps []casebook.Step
	id    string // set when added
	fixed bool   // one of a dispute's appeals (fixedSets)
}

type link struct {
	from, to *plan
	kind     casebook.LinkKind
}

// gen makes the appeals. All randomness comes from rng, in a fixed order,
// so a seed gives the same appeals every time.
type gen struct {
	rng        *rand.Rand
	from, now  time.Time
	policy     *casebook.DeadlinePolicy
	workOrders map[string]bool
	sets       map[string][]*plan // the fixed appeals of each story (fixedSets), by index
}

func newGen(seed int64, from, now time.Time, p *casebook.DeadlinePolicy) *gen {
	return &gen{
		rng:  rand.New(rand.NewPCG(uint64(seed), 0x636173656b6f6f6b)),
		from: from, now: now, policy: p, workOrders: map[string]bool{}, sets: map[string][]*plan{},
	}
}

// progress is how far into the period t is, 0 to 1: the secretary's work
// improves every rate as it goes on.
func (g *gen) progress(t time.Time) float64 {
	span := g.now.Sub(g.from)
	if span <= 0 {
		return 1
	}
	return math.Max(0, math.Min(1, float64(t.Sub(g.from))/float64(span)))
}

func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

func (g *gen) intn(n int) int { return g.rng.IntN(n) }

// between returns a random duration in [lo, hi).
func (g *gen) between(lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(g.rng.Int64N(int64(hi-lo)))
}

func pick[T any](g *gen, xs []T) T { return xs[g.intn(len(xs))] }

// weighted picks an index by weight.
func (g *gen) weighted(ws []float64) int {
	total := 0.0
	for _, w := range ws {
		total += w
	}
	r := g.rng.Float64() * total
	for i, w := range ws {
		if r < w {
			return i
		}
		r -= w
	}
	return len(ws) - 1
}

// hourWeights is when appeals arrive over a day (Shanghai time).
var hourWeights = [24]float64{
	0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.2, 0.5, 1, 1, 1, 0.9,
	0.6, 0.7, 0.9, 0.95, 0.9, 0.8, 0.6, 0.6, 0.55, 0.4, 0.25, 0.1,
}

// receivedTimes draws n arrival times in [from, now−1h), fewer at night and
// at weekends, and slowly fewer as recurring problems get solved.
func (g *gen) receivedTimes(n int) []time.Time {
	end := g.now.Add(-time.Hour)
	span := end.Sub(g.from)
	out := make([]time.Time, 0, n)
	for span > 0 && len(out) < n {
		t := g.from.Add(time.Duration(g.rng.Int64N(int64(span)))).Truncate(time.Minute)
		local := t.In(casebook.Shanghai)
		w := hourWeights[local.Hour()] * (1.15 - 0.3*g.progress(t))
		if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
			w *= 0.55
		}
		if g.rng.Float64()*1.15 < w {
			out = append(out, t.UTC())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// fixedPlans plans the disputes' fixed appeals (for 50 or more appeals),
// in the order received, and the links between them.
func (g *gen) fixedPlans(n int) ([]*plan, []link) {
	var plans []*plan
	var links []link
	if n >= 50 {
		for _, set := range fixedSets {
			indexed, ps, ls := g.fixed(set)
			g.sets[set.name] = indexed
			plans = append(plans, ps...)
			links = append(links, ls...)
		}
	}
	for _, p := range plans {
		p.fixed = true
	}
	sort.SliceStable(plans, func(i, j int) bool { return plans[i].in.Received.Before(plans[j].in.Received) })
	return plans, links
}

// followWindow is how far back a duplicate or recurrence finds its
// original; older appeals are let go.
const followWindow = 120 * 24 * time.Hour

// appeals makes n appeals, the fixed ones among them, and gives each to fn
// in the order received (a fixed appeal before an ordinary one received
// at the same moment), with some duplicates and recurrences of earlier
// ones: those come with the link to their original, which fn has had.
// Only the appeals of the last followWindow are held, so a million take
// little memory.
func (g *gen) appeals(n int, fixed []*plan, fn func(p *plan, l *link) error) error {
	times := g.receivedTimes(n - len(fixed))
	var made []*plan // ordinary appeals within followWindow of the latest, in order
	emitFixed := func(until time.Time, all bool) error {
		for len(fixed) > 0 && (all || !fixed[0].in.Received.After(until)) {
			if err := fn(fixed[0], nil); err != nil {
				return err
			}
			fixed = fixed[1:]
		}
		return nil
	}
	for _, t := range times {
		if err := emitFixed(t, false); err != nil {
			return err
		}
		if drop := windowStart(made, t.Add(-followWindow)); drop > 4096 && drop > len(made)/2 && drop < len(made) {
			made = slices.Clone(made[drop:])
		}
		p, l := g.next(made, t)
		made = append(made, p)
		if err := fn(p, l); err != nil {
			return err
		}
	}
	return emitFixed(time.Time{}, true)
}

// windowStart is the first of made received at or after t.
func windowStart(made []*plan, t time.Time) int {
	return sort.Search(len(made), func(i int) bool { return !made[i].in.Received.Before(t) })
}

// next makes the ordinary appeal received at t: a duplicate of a recent
// appeal (the same problem filed by another resident within days), a
// recurrence (the same problem back weeks or months later), or a new one.
func (g *gen) next(made []*plan, t time.Time) (*plan, *link) {
	p := g.progress(t)
	if len(made) > 0 && g.chance(0.03) {
		if orig := g.recent(made, t, 0, 3*24*time.Hour); orig != nil {
			return g.follow(orig, t, false), &link{to: orig, kind: casebook.LinkDuplicate}
		}
	}
	if len(made) > 0 && g.chance(0.025) {
		if orig := g.recent(made, t, 20*24*time.Hour, followWindow); orig != nil && orig.in.Building != "" {
			return g.follow(orig, t, true), &link{to: orig, kind: casebook.LinkRecurring}
		}
	}
	cat := g.category(t)
	tp := g.template(cat, t)
	in := g.input(cat, tp, t, p)
	return &plan{in: in, steps: g.lifecycle(&in, cat, tp.to, p)}, nil
}

// recent picks an earlier appeal received between min and max before t
// (made is in the order received; every appeal has a category).
func (g *gen) recent(made []*plan, t time.Time, min, max time.Duration) *plan {
	lo := windowStart(made, t.Add(-max))
	hi := sort.Search(len(made), func(i int) bool { return made[i].in.Received.After(t.Add(-min)) })
	if hi <= lo {
		return nil
	}
	// The latest first, as the candidates were once listed.
	return made[hi-1-g.intn(hi-lo)]
}

// follow makes a duplicate or recurrence of orig received at t.
func (g *gen) follow(orig *plan, t time.Time, recurring bool) *plan {
	in := orig.in
	in.Received = t
	in.Number = ""
	in.Channel = string(g.channel(false, g.progress(t)))
	if recurring && in.Channel == string(casebook.ChannelProactive) {
		in.Channel = string(casebook.ChannelWalkIn)
	}
	in.WorkOrder = ""
	if in.Channel == string(casebook.Channel12345) {
		in.WorkOrder = g.workOrder(t)
	}
	in.Complainant, in.Phone = g.person()
	in.Handler = g.handler()
	if recurring {
		in.Summary = clipRunes("居民再次反映："+orig.in.Summary, casebook.MaxSummaryRunes)
	}
	in.Details = details(casebook.Channel(in.Channel), in.Summary)
	var cat *category
	for i := range categories {
		if categories[i].name == in.Category {
			cat = &categories[i]
		}
	}
	return &plan{in: in, steps: g.lifecycle(&in, cat, "", g.progress(t))}
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// category picks a category by its share and season.
func (g *gen) category(t time.Time) *category {
	m := t.In(casebook.Shanghai).Month()
	ws := make([]float64, len(categories))
	for i, c := range categories {
		ws[i] = c.weight * c.season(m)
	}
	return &categories[g.weighted(ws)]
}

// template picks one of the category's templates in season.
func (g *gen) template(c *category, t time.Time) *tmpl {
	m := t.In(casebook.Shanghai).Month()
	var cands []*tmpl
	for i := range c.tmpls {
		tp := &c.tmpls[i]
		if tp.months == nil || containsMonth(tp.months, m) {
			cands = append(cands, tp)
		}
	}
	return pick(g, cands)
}

func containsMonth(ms []time.Month, m time.Month) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

// channel picks an intake channel: 12345 dispatches dominate, and proactive
// finds (未诉先办) grow over the term. Only a problem visible on a walk round
// can come from a grid worker or be found proactively.
func (g *gen) channel(patrol bool, p float64) casebook.Channel {
	chs := []casebook.Channel{casebook.Channel12345, casebook.ChannelWalkIn, casebook.ChannelOnline, casebook.ChannelBox,
		casebook.ChannelReport, casebook.ChannelDeliberation, casebook.ChannelGrid, casebook.ChannelProactive}
	ws := []float64{46 - 12*p, 15, 10, 5, 1.5, 1.5, 0, 0}
	if patrol {
		ws[6], ws[7] = 14, 3+14*p
	}
	return chs[g.weighted(ws)]
}

func (g *gen) workOrder(t time.Time) string {
	day := t.In(casebook.Shanghai).Format("20060102")
	for {
		wo := day + fmt.Sprintf("%08d", g.intn(100000000))
		if !g.workOrders[wo] {
			g.workOrders[wo] = true
			return wo
		}
	}
}

// person makes a fictional resident and a fictional mobile number.
func (g *gen) person() (name, phone string) {
	sn := pick(g, surnames)
	switch r := g.rng.Float64(); {
	case r < 0.15:
		name = sn + "某"
	case r < 0.25:
		name = sn + "某某"
	case r < 0.40:
		name = sn + pick(g, []string{"女士", "先生", "阿姨", "大爷"})
	case r < 0.65:
		name = sn + string(pick(g, givenChars))
	default:
		name = sn + string(pick(g, givenChars)) + string(pick(g, givenChars))
	}
	return name, fmt.Sprintf("138%08d", g.intn(100000000))
}

func (g *gen) handler() string {
	ws := make([]float64, len(staff))
	for i, s := range staff {
		ws[i] = s.weight
	}
	return staff[g.weighted(ws)].name
}

func details(ch casebook.Channel, summary string) string {
	switch ch {
	case casebook.Channel12345:
		return "12345热线派单：市民来电反映" + summary + "，请社区核实处理并及时回复。"
	case casebook.ChannelWalkIn:
		return "居民到社区服务站反映：" + summary + "。"
	case casebook.ChannelGrid:
		return "网格员巡查发现：" + summary + "，已拍照留存。"
	case casebook.ChannelProactive:
		return "社区工作人员走访巡查中发现：" + summary + "，主动登记办理。"
	case casebook.ChannelOnline:
		return "居民在社区微信群反映：" + summary + "。"
	case casebook.ChannelBox:
		return "说事箱留言：" + summary + "。"
	}
	return summary + "。"
}

// input fills in an appeal from a template.
func (g *gen) input(cat *category, tp *tmpl, t time.Time, p float64) casebook.CaseInput {
	bn := 1 + g.intn(Buildings)
	if tp.old && g.chance(0.8) {
		bn = 1 + g.intn(12)
	}
	b2 := bn + 1
	if b2 > Buildings {
		b2 = bn - 1
	}
	unit := strconv.Itoa(1+g.intn(4)) + "单元"
	room := strconv.Itoa(1+g.intn(6)) + "0" + strconv.Itoa(1+g.intn(3))
	gate := pick(g, gates)
	place := pick(g, places)
	text := strings.NewReplacer("{b}", building(bn), "{b2}", building(b2), "{u}", unit, "{r}", room,
		"{g}", gate, "{p}", place).Replace(tp.text)

	in := casebook.CaseInput{Received: t, Category: cat.name, Type: string(tp.typ), Summary: text, Handler: g.handler()}
	switch {
	case strings.Contains(tp.text, "{b}"):
		in.Building = building(bn)
		switch {
		case strings.Contains(tp.text, "{r}"):
			in.Unit = unit + room
			in.Location = building(bn) + unit + room
		case strings.Contains(tp.text, "{u}"):
			in.Unit = unit
			in.Location = building(bn) + unit
		default:
			in.Location = building(bn)
		}
	case strings.Contains(tp.text, "{g}"):
		in.Location = "小区" + gate
	case strings.Contains(tp.text, "{p}"):
		in.Location = place
	}
	urg := tp.urgency
	if urg == general && tp.typ == complaint && !tp.patrol && g.chance(0.06) {
		urg = complexU
	}
	if urg == general {
		urg = casebook.UrgencyGeneral
	}
	in.Urgency = string(urg)
	ch := g.channel(tp.patrol, p)
	if urg == emergency || urg == utility {
		// Emergencies come by phone.
		ch = pick(g, []casebook.Channel{casebook.Channel12345, casebook.Channel12345, casebook.ChannelWalkIn})
	}
	in.Channel = string(ch)
	if ch == casebook.Channel12345 {
		in.WorkOrder = g.workOrder(t)
	}
	if ch != casebook.ChannelProactive && ch != casebook.ChannelGrid && !g.chance(0.05) {
		in.Complainant, in.Phone = g.person()
	}
	in.Details = details(ch, text)
	return in
}

// steps builds a case's timeline, never going back in time, and drops every
// step at or after now: those have not happened yet.
type steps struct {
	g   *gen
	at  time.Time
	out []casebook.Step
	cut bool
}

func (s *steps) add(a casebook.Action, t time.Time, note, to string) {
	if s.cut {
		return
	}
	if !t.After(s.at) {
		t = s.at.Add(time.Minute)
	}
	t = t.Truncate(time.Minute)
	if !t.After(s.at) {
		t = s.at.Add(time.Minute).Truncate(time.Minute)
	}
	if !t.Before(s.g.now) {
		s.cut = true
		return
	}
	s.at = t
	s.out = append(s.out, casebook.Step{Action: a, At: t, Note: note, To: to})
}

func (s *steps) evaluate(t time.Time, solved casebook.Solved, sat casebook.Satisfaction) {
	n := len(s.out)
	s.add(casebook.ActEvaluate, t, "", "")
	if len(s.out) > n {
		s.out[n].Solved, s.out[n].Satisfaction = solved, sat
	}
}

// office moves a time at night to the next morning, when the office answers.
func (g *gen) office(t time.Time) time.Time {
	l := t.In(casebook.Shanghai)
	switch h := l.Hour(); {
	case h >= 20:
		l = time.Date(l.Year(), l.Month(), l.Day()+1, 8, 30, 0, 0, casebook.Shanghai)
	case h < 8:
		l = time.Date(l.Year(), l.Month(), l.Day(), 8, 30, 0, 0, casebook.Shanghai)
	default:
		return t
	}
	return l.Add(g.between(0, 90*time.Minute)).UTC()
}

// lifecycle plans how an appeal goes round the loop. p is the progress of
// the term when it was received: later appeals are handled faster and the
// residents are more often satisfied.
func (g *gen) lifecycle(in *casebook.CaseInput, cat *category, target string, p float64) []casebook.Step {
	t0 := in.Received
	urg := casebook.Urgency(in.Urgency)
	l := &life{g: g, s: &steps{g: g, at: t0}, t0: t0, urg: urg, p: p,
		respondDue: g.policy.Due(t0, g.policy.Respond), handleDue: g.policy.Due(t0, g.policy.HandleLimit(urg))}
	l.respond()
	// Consultations are answered on the spot.
	if casebook.AppealType(in.Type) == consultation {
		s := l.s
		s.add(casebook.ActResolve, s.at.Add(g.between(5*time.Minute, 2*time.Hour)), "已解答相关政策并告知办理流程", "")
		s.add(casebook.ActFeedback, s.at.Add(g.between(time.Minute, 10*time.Minute)), "", "")
		g.callback(s, in, p, false, false)
		return s.out
	}
	if target == "" && cat != nil {
		target = pick(g, cat.targets)
	}
	if target == "" {
		target = "社区居委会"
	}
	l.s.add(casebook.ActDispatch, l.s.at.Add(g.between(10*time.Minute, 3*time.Hour)), "", target)
	escalated := l.escalate()
	unresolvable := g.chance(0.025) || (cat != nil && (cat.name == "群租" || cat.name == "邻里纠纷") && g.chance(0.06))
	// Some older appeals are stuck: waiting on money, a contractor or the
	// other side; they stay on the ledger as of now.
	stuck := urg == complexU && g.chance(0.07) ||
		urg == casebook.UrgencyGeneral && g.now.Sub(t0) < 45*day && g.chance(0.12)
	done, late := l.handle()
	if stuck {
		done = g.now.Add(g.between(day, 60*day))
	}
	if urg != complexU && l.soon(l.handleDue) {
		done = l.pending(l.handleDue)
	}
	if escalated && done.Sub(t0) < 20*day {
		done = t0.Add(g.between(20*day, 50*day))
	}
	l.close(in, cat, done, late, unresolvable)
	return l.s.out
}

const day = 24 * time.Hour

// life is the making of one appeal's steps by lifecycle.
type life struct {
	g                     *gen
	s                     *steps
	t0                    time.Time // received
	urg                   casebook.Urgency
	p                     float64 // how far into the term: the secretary gets better
	respondDue, handleDue time.Time
}

// soon: work due within the next day is often still on the desk as of
// now: the secretary's "due soon" list.
func (l *life) soon(due time.Time) bool {
	g := l.g
	return due.After(g.now) && due.Sub(g.now) <= g.policy.DueSoon && g.chance(0.6)
}

// pending is when work due soon will be done, after now.
func (l *life) pending(due time.Time) time.Time {
	g := l.g
	return g.now.Add(g.between(10*time.Minute, max(20*time.Minute, due.Sub(g.now))))
}

// respond adds the signing for (签收).
func (l *life) respond() {
	g, s, t0 := l.g, l.s, l.t0
	switch {
	case l.urg != emergency && l.soon(l.respondDue):
		s.add(casebook.ActRespond, l.pending(l.respondDue), "", "")
	case l.urg == emergency:
		s.add(casebook.ActRespond, t0.Add(g.between(3*time.Minute, 20*time.Minute)), "", "")
	case g.chance(0.86 + 0.13*l.p):
		t := g.office(t0.Add(g.between(10*time.Minute, 3*time.Hour)))
		if !t.Before(l.respondDue) {
			t = l.respondDue.Add(-g.between(30*time.Minute, 3*time.Hour))
		}
		s.add(casebook.ActRespond, t, pick(g, []string{"", "", "已联系诉求人了解情况"}), "")
	default:
		s.add(casebook.ActRespond, l.respondDue.Add(g.between(time.Hour, 30*time.Hour)), "", "")
	}
}

// escalate sometimes sends a complex appeal up to the street, and on.
func (l *life) escalate() bool {
	g, s := l.g, l.s
	if l.urg != complexU || !g.chance(0.08) {
		return false
	}
	s.add(casebook.ActEscalate, s.at.Add(g.between(day, 5*day)), "涉及多个部门，社区层面难以协调，提级至街道办理", string(casebook.LevelStreet))
	if g.chance(0.25) {
		s.add(casebook.ActEscalate, s.at.Add(g.between(5*day, 15*day)), "需区级部门协调资金和审批，提级至区", string(casebook.LevelDistrict))
	}
	return true
}

// handle adds the handling by urgency and says when it is done and
// whether late.
func (l *life) handle() (done time.Time, late bool) {
	g, s, t0 := l.g, l.s, l.t0
	hour := time.Hour
	switch l.urg {
	case emergency:
		done = t0.Add(g.between(40*time.Minute, 110*time.Minute))
		if g.chance(0.08) {
			done, late = t0.Add(g.between(150*time.Minute, 6*hour)), true
		}
	case utility:
		done = t0.Add(g.between(2*hour, 20*hour))
		if !g.chance(0.85 + 0.13*l.p) {
			done, late = t0.Add(g.between(26*hour, 60*hour)), true
		}
	case complexU:
		late = l.plan()
		done = t0.Add(g.between(16*day, 60*day))
	default:
		switch {
		case !g.chance(0.78 + 0.20*l.p):
			done, late = l.handleDue.Add(g.between(6*hour, 8*day)), true
		case g.chance(0.25):
			// Done at the last moment, as so much work is.
			done = l.handleDue.Add(-g.between(2*hour, 40*hour))
		default:
			limit := l.handleDue.Sub(s.at) - hour
			done = s.at.Add(g.between(3*hour, max(4*hour, min(limit, 5*day))))
		}
		if g.chance(0.35) {
			s.add(casebook.ActProgress, s.at.Add(done.Sub(s.at)/2), pick(g, progressNotes), "")
		}
	}
	return done, late
}

// plan adds a complex appeal's progress and its plan, owed within 15 days
// (the work takes longer), and says whether the plan was late.
func (l *life) plan() (late bool) {
	g, s, t0 := l.g, l.s, l.t0
	plan := t0.Add(g.between(3*day, 13*day))
	if !g.chance(0.74 + 0.24*l.p) {
		plan, late = l.handleDue.Add(g.between(day, 10*day)), true
	}
	if l.soon(l.handleDue) {
		plan = l.pending(l.handleDue)
	}
	s.add(casebook.ActProgress, t0.Add(g.between(day, 3*day)), pick(g, progressNotes), "")
	s.add(casebook.ActFeedback, plan, pick(g, planNotes), "")
	for i := g.intn(3); i > 0; i-- {
		s.add(casebook.ActProgress, s.at.Add(g.between(2*day, 10*day)), pick(g, progressNotes), "")
	}
	return late
}

// close adds the result at done, the feedback and the callback.
func (l *life) close(in *casebook.CaseInput, cat *category, done time.Time, late, unresolvable bool) {
	g, s := l.g, l.s
	if unresolvable {
		s.add(casebook.ActUnresolvable, done, pick(g, unresolvableNotes), "")
	} else {
		note := "已处理完毕"
		if cat != nil {
			note = pick(g, cat.resolve)
		}
		s.add(casebook.ActResolve, done, note, "")
	}
	s.add(casebook.ActFeedback, g.office(s.at.Add(g.between(10*time.Minute, 20*time.Hour))), pick(g, feedbackNotes), "")
	g.callback(s, in, l.p, late, unresolvable)
}

// callback is the evaluation (回访) and close-out. Solved and satisfied
// grow with p; a late or unresolvable case fares worse.
func (g *gen) callback(s *steps, in *casebook.CaseInput, p float64, late, unresolvable bool) {
	day := 24 * time.Hour
	if !g.chance(0.9) {
		// The resident could not be reached.
		s.add(casebook.ActClose, s.at.Add(g.between(3*day, 6*day)), closeNoReach, "")
		return
	}
	yes := 0.70 + 0.27*p
	if late {
		yes -= 0.15
	}
	var solved casebook.Solved
	switch r := g.rng.Float64(); {
	case unresolvable:
		solved = casebook.SolvedNo
		if r < 0.3 {
			solved = casebook.SolvedPartly
		}
	case r < yes:
		solved = casebook.SolvedYes
	case r < yes+(1-yes)*0.5:
		solved = casebook.SolvedPartly
	default:
		solved = casebook.SolvedNo
	}
	var ws []float64 // satisfied, basic, unsatisfied
	switch solved {
	case casebook.SolvedYes:
		ws = []float64{0.6 + 0.33*p, 0.3 - 0.24*p, 0.1 - 0.09*p}
	case casebook.SolvedPartly:
		ws = []float64{0.15, 0.5, 0.35}
	default:
		ws = []float64{0.03, 0.2, 0.77}
	}
	sat := []casebook.Satisfaction{casebook.Satisfied, casebook.BasicSatisfied, casebook.NotSatisfied}[g.weighted(ws)]
	s.evaluate(s.at.Add(g.between(2*time.Hour, 3*day)), solved, sat)
	if g.chance(0.995) {
		s.add(casebook.ActClose, s.at.Add(g.between(time.Hour, 3*day)), "", "")
	}
}
