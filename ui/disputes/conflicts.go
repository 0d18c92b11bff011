package disputes

import (
	"encoding/json"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"casebook/casebook"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// Conflicts: concurrent edits of one value on two devices, shown for the
// secretary to settle. Cases and disputes list them in the same box; what
// differs is how a value is named and how the chosen one is written.

// disputeRegister is what a register key of a dispute stands for. It is
// found by building the keys with the domain's own PartyKey and TaskDoneKey
// rather than by reading the key, so that the UI does not depend on how
// keys are spelled.
type disputeRegister struct {
	party *casebook.Party // set for a party's field
	task  *casebook.Task  // set for a task's done mark
	field string          // the dispute's or the party's field code
}

func disputeRegisters(d *casebook.Dispute) map[string]disputeRegister {
	out := map[string]disputeRegister{}
	for _, f := range casebook.DisputeFields {
		out[f] = disputeRegister{field: f}
	}
	for _, p := range d.Parties() {
		for _, f := range casebook.PartyFields {
			out[casebook.PartyKey(p.ID, f)] = disputeRegister{party: &p, field: f}
		}
	}
	for _, t := range d.Tasks() {
		out[casebook.TaskDoneKey(t.ID)] = disputeRegister{task: &t}
	}
	return out
}

// disputeConflictStuck says why a conflict of dispute d cannot be settled in
// its present status, or "" if it can. A task's done mark and the agreement
// are written only by the steps that make them (SetTaskDone, Agree), which
// the status may not allow; the dispute's and parties' fields can always be
// written.
func disputeConflictStuck(d *casebook.Dispute, reg disputeRegister, field string) string {
	switch {
	case field == casebook.AgreementField:
		if _, err := casebook.NextDispute(d.Status, casebook.DisputeActAgree); err != nil {
			return lang.X("dispute.conflict.agree_stuck", "It is settled by recording the chosen agreement again, which the dispute's status does not allow now; the agreement shown is the one in force.")
		}
	case reg.task != nil:
		if _, err := casebook.NextDispute(d.Status, casebook.DisputeActTaskDone); err != nil {
			return lang.X("dispute.conflict.task_stuck", "A task's mark can be changed only while the agreement is carried out; the mark shown counts.")
		}
	}
	return ""
}

// SettleableConflicts counts the conflicts of d that can be settled now:
// Today lists a dispute only if there is something to do in it.
func SettleableConflicts(d *casebook.Dispute) int {
	cs := d.Conflicts()
	if len(cs) == 0 {
		return 0
	}
	regs := disputeRegisters(d)
	n := 0
	for _, cf := range cs {
		if disputeConflictStuck(d, regs[cf.Field], cf.Field) == "" {
			n++
		}
	}
	return n
}

// conflicts lists the dispute's conflicts in the shared box, nil if there
// are none.
func (v *disputeView) conflicts() fyne.CanvasObject {
	d := v.d
	cs := d.Conflicts()
	if len(cs) == 0 {
		return nil
	}
	regs := disputeRegisters(d)
	heads := d.Agreements.Heads()
	rows := make([]widgets.ConflictRow, 0, len(cs))
	for _, cf := range cs {
		reg := regs[cf.Field]
		r := widgets.ConflictRow{Stuck: disputeConflictStuck(d, reg, cf.Field)}
		switch {
		case cf.Field == casebook.AgreementField:
			// Conflict describes agreements in Chinese only; the versions
			// themselves say it in the current language and are what is
			// written back.
			shown, other, ok := agreementHeads(heads, cf)
			if !ok {
				continue
			}
			r.Field = lang.X("dispute.agreement", "Agreement")
			r.Shown, r.Other = v.agreementText(shown), v.agreementText(other)
			r.Keep = func() { v.settle(func() error { return v.reagree(shown) }) }
			r.Use = func() { v.settle(func() error { return v.reagree(other) }) }
		case reg.task != nil:
			id := reg.task.ID
			r.Field = lang.X("dispute.conflict.task", "Task “{{.Title}}” done", map[string]any{"Title": reg.task.Title})
			r.Shown, r.Other = doneText(cf.Shown), doneText(cf.Value)
			r.Keep = func() { v.settle(func() error { return v.settleTaskDone(id, cf.Shown) }) }
			r.Use = func() { v.settle(func() error { return v.settleTaskDone(id, cf.Value) }) }
		case reg.party != nil:
			id, f := reg.party.ID, reg.field
			r.Field = lang.X("dispute.conflict.party", "Party {{.Name}}, {{.Field}}",
				map[string]any{"Name": reg.party.Name, "Field": partyFieldName(f)})
			r.Shown, r.Other = partyFieldValue(f, cf.Shown), partyFieldValue(f, cf.Value)
			write := func(val string) error {
				_, err := v.a.Book.SetParty(d.ID, id, map[string]string{f: val})
				return err
			}
			r.Keep = func() { v.settle(func() error { return write(cf.Shown) }) }
			r.Use = func() { v.settle(func() error { return write(cf.Value) }) }
		case reg.field != "":
			f := reg.field
			r.Field = disputeFieldName(f)
			r.Shown, r.Other = cf.Shown, cf.Value
			write := func(val string) error {
				_, err := v.a.Book.SetDisputeFields(d.ID, map[string]string{f: val})
				return err
			}
			r.Keep = func() { v.settle(func() error { return write(cf.Shown) }) }
			r.Use = func() { v.settle(func() error { return write(cf.Value) }) }
		default:
			continue // a register this version of the app does not know
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil
	}
	return widgets.ConflictsBox(rows)
}

// settle runs the write that settles a conflict and rebuilds the workspace.
// The domain's writes cite every current version of the value they write,
// so writing either value settles the conflict.
func (v *disputeView) settle(write func() error) {
	if err := write(); err != nil {
		dialog.ShowError(errors.New(words.DisputeErrorMessage(err)), v.a.Win)
		return
	}
	v.a.Notify.Info(lang.X("conflict.settled", "Conflict settled."))
	v.reload()
}

// settleTaskDone writes a task's done mark as value ("" or an RFC 3339
// time). SetTaskDone cites every current version of the mark, but refuses
// to write the mark the task already shows; keeping it (or taking the other
// device's time for a task done on both) therefore takes two writes in one
// batch: the opposite mark, which supersedes every version, then the chosen
// one on top of it.
func (v *disputeView) settleTaskDone(taskID, value string) error {
	want := value != ""
	var at time.Time
	if want {
		t, err := time.Parse(time.RFC3339, value)
		if err != nil {
			return err
		}
		at = t
	}
	book := v.a.Book
	_, err := book.ApplyBatch(func(a *casebook.Author, _ func(time.Time) string) ([]casebook.Op, error) {
		d, err := book.Store().Dispute(v.d.ID)
		if err != nil {
			return nil, err
		}
		t, ok := d.Task(taskID)
		if !ok {
			return nil, casebook.ErrNotFound
		}
		var ops []casebook.Op
		if t.Done == want {
			op, err := a.SetTaskDone(d, taskID, !want, time.Time{})
			if err != nil {
				return nil, err
			}
			if _, err := d.Apply(&op); err != nil {
				return nil, err
			}
			ops = append(ops, op)
		}
		op, err := a.SetTaskDone(d, taskID, want, at)
		if err != nil {
			return nil, err
		}
		return append(ops, op), nil
	})
	return err
}

// agreementHeads finds the two agreements a conflict is between: the one in
// force and the other device's, named by its origin and clock.
func agreementHeads(heads []casebook.Version, cf casebook.Conflict) (shown, other casebook.Agreement, ok bool) {
	if len(heads) < 2 || json.Unmarshal([]byte(heads[0].Value), &shown) != nil {
		return shown, other, false
	}
	for _, h := range heads[1:] {
		if h.Origin == cf.Origin && h.HLC == cf.HLC {
			return shown, other, json.Unmarshal([]byte(h.Value), &other) == nil
		}
	}
	return shown, other, false
}

// reagree records agreement ag again. Agree cites every agreement in force,
// so the new one supersedes both sides of the conflict; it keeps the
// original time, which is when the sides signed.
func (v *disputeView) reagree(ag casebook.Agreement) error {
	_, err := v.a.Book.Agree(v.d.ID, ag.Plan, ag.SignedOff, ag.At)
	return err
}

// agreementText says which plan version an agreement is on, when, and who
// signed off.
func (v *disputeView) agreementText(ag casebook.Agreement) string {
	n := ""
	if p, ok := v.d.Plan(ag.Plan); ok {
		n = words.FmtInt(p.N)
	}
	return lang.X("dispute.conflict.agreement", "version {{.N}} of {{.Day}}, signed off by {{.Names}}",
		map[string]any{"N": n, "Day": words.FmtDay(ag.At), "Names": words.Enum(ag.SignedOff)})
}

// doneText is a task's done mark in
func doneText(v string) string {
	if v == "" {
		return lang.X("dispute.conflict.not_done", "not done")
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		v = words.FmtTime(t)
	}
	return lang.X("dispute.task.done", "done {{.Day}}", map[string]any{"Day": v})
}

// disputeFieldName names one of the dispute's own fields, as its form does.
func disputeFieldName(f string) string {
	switch f {
	case casebook.DisputeFieldTitle:
		return lang.X("disputes.f.title", "Title")
	case casebook.DisputeFieldPlace:
		return lang.X("disputes.f.place", "Place")
	case casebook.DisputeFieldSummary:
		return lang.X("disputes.f.summary", "Summary")
	}
	return f
}

// partyFieldName names a party field, as the party form does.
func partyFieldName(f string) string {
	switch f {
	case casebook.PartyFieldName:
		return lang.X("dispute.f.party", "Name")
	case casebook.PartyFieldKind:
		return lang.X("dispute.f.kind", "Kind")
	case casebook.PartyFieldBuilding:
		return lang.X("dispute.f.building", "Building")
	case casebook.PartyFieldSide:
		return lang.X("dispute.f.side", "Side")
	case casebook.PartyFieldPosition:
		return lang.X("dispute.f.position", "Asks for")
	case casebook.PartyFieldInterest:
		return lang.X("dispute.f.interest", "Because (the interest behind it)")
	}
	return f
}

// partyFieldValue shows a party field's stored value: the kind by its name.
func partyFieldValue(f, v string) string {
	if f == casebook.PartyFieldKind && v != "" {
		return partyKindName(casebook.PartyKind(v))
	}
	return v
}
