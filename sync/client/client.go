// Package client syncs a casebook with the district hub (sync/wire): it
// pushes the operations the hub lacks and pulls what is new since its
// cursor, a batch at a time, with a checkpoint after each batch, so that a
// sync cut anywhere simply runs again from where it stopped. Every
// operation is idempotent on both sides; nothing is lost or applied twice.
//
// The cursors live in the casebook's device-local state (Store.PutLocal),
// per hub epoch: a hub restored from a backup has a new epoch, or no longer
// holds the device's anchor, and the device then pushes its whole log again
// and pulls from the start.
//
// The app calls Sync from its sync button and its background loop, and
// Status for the Sync page; `casebook sync` calls Sync once.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/sync/wire"
)

// Errors of Sync. The UI maps each to a translated message; the work stays
// on the device in every case.
var (
	// ErrOffline: the hub could not be reached (no network, hub down).
	ErrOffline = errors.New("hub not reachable")
	// ErrUpgradeRequired: the hub needs a newer Casebook.
	ErrUpgradeRequired = errors.New("upgrade required: the hub needs a newer version of Casebook")
	// ErrUnauthorized: the token is unknown to the hub.
	ErrUnauthorized = errors.New("the hub does not know this device's token")
	// ErrRevoked: the token was revoked.
	ErrRevoked = errors.New("this device's token was revoked")
	// ErrCommunityMismatch: the casebook belongs to another community than the token.
	ErrCommunityMismatch = errors.New("the casebook belongs to another community than the token")
	// ErrRejected: the hub refused a batch (out of scope, invalid, clock skew);
	// the error says which operation and device.
	ErrRejected = errors.New("the hub refused operations")
	// ErrClockSkew: this device's clock is too far from the hub's.
	ErrClockSkew = casebook.ErrClockSkew
	// ErrBusy: a sync of this casebook is already running.
	ErrBusy = errors.New("a sync is already running")
	// ErrNoHub: no hub address or token saved.
	ErrNoHub = errors.New("no hub address and token set")
)

// Result says what one sync did.
type Result struct {
	Pushed     int           `json:"pushed"`     // operations the hub newly took from this device
	Duplicates int           `json:"duplicates"` // operations sent that the hub already had
	Pulled     int           `json:"pulled"`     // operations newly merged into this casebook
	Conflicts  int           `json:"conflicts"`  // concurrent edits to review (sum over cases)
	Epoch      string        `json:"epoch"`
	Community  string        `json:"community"`
	ReadOnly   bool          `json:"read_only"`
	Reset      bool          `json:"reset"`        // the hub lost data or changed epoch: everything was sent again
	ClockSkew  time.Duration `json:"clock_offset"` // this device's clock minus the hub's (approximate)
	Duration   time.Duration `json:"duration"`
}

type options struct {
	batch  int
	client *http.Client
	retry  int
	now    func() time.Time
}

// Option tunes Sync.
type Option func(*options)

// WithBatch sets the operations per push and pull (default 2,000, at most
// wire.MaxBatchOps).
func WithBatch(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.batch = min(n, wire.MaxBatchOps)
		}
	}
}

// WithHTTPClient sets the HTTP client (TLS settings, timeouts).
func WithHTTPClient(c *http.Client) Option { return func(o *options) { o.client = c } }

// WithRetries sets how many times a failed request is retried (default 2).
func WithRetries(n int) Option { return func(o *options) { o.retry = max(n, 0) } }

var running sync.Map // *store.Book → *sync.Mutex

var defaultClient = &http.Client{Timeout: 2 * time.Minute}

// rawReader is the store's raw log (Bolt and Memory have it).
type rawReader interface {
	RawOpsSince(seq uint64, limit int) ([]json.RawMessage, uint64, error)
}

type session struct {
	b     *store.Book
	st    store.Store
	hub   *url.URL
	token string
	o     options
	cur   *cursor
	res   Result
	// pulled holds ops merged in this sync that may sit after the push
	// cursor; they came from the hub and are not sent back.
	pulled map[string]bool
}

// pushBytes bounds the operations' bytes in one push.
const pushBytes = 8 << 20

// Sync pushes this casebook's new operations to the hub and pulls the
// community's new ones, then records the outcome for Status. It returns
// ErrOffline when the hub cannot be reached (nothing is lost: run it again
// later), ErrUpgradeRequired, ErrUnauthorized, ErrRevoked,
// ErrCommunityMismatch, or ErrRejected/ErrClockSkew with the device and
// operation named. When pushing is refused, Sync still pulls, so the device
// receives the others' work.
func Sync(ctx context.Context, b *store.Book, hubURL, token string, opts ...Option) (res Result, err error) {
	// One sync at a time per casebook (the button and the background loop).
	mu, _ := running.LoadOrStore(b, &sync.Mutex{})
	if !mu.(*sync.Mutex).TryLock() {
		return Result{}, ErrBusy
	}
	defer mu.(*sync.Mutex).Unlock()
	start := time.Now()
	o := options{batch: wire.DefaultBatchOps, client: defaultClient, retry: 2, now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	u, err := parseHub(hubURL)
	if err != nil {
		return Result{}, err
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return Result{}, fmt.Errorf("sync: %w: no token", ErrNoHub)
	}
	cur, err := loadCursor(b.Store())
	if err != nil {
		return Result{}, err
	}
	s := &session{b: b, st: b.Store(), hub: u, token: token, o: o, cur: cur, pulled: map[string]bool{}}
	defer func() {
		s.res.Duration = time.Since(start)
		s.res.Conflicts = conflicts(b)
		res = s.res
		s.cur.LastAttempt = o.now().UTC()
		if err == nil {
			s.cur.LastSync, s.cur.LastError = s.cur.LastAttempt, ""
		} else {
			s.cur.LastError = err.Error()
		}
		if serr := s.save(); serr != nil && err == nil {
			err = serr
		}
	}()
	for attempt := 0; ; attempt++ {
		err = s.run(ctx)
		var we *wire.Error
		if attempt < 2 && errors.As(err, &we) && we.Code == wire.CodeEpochChanged {
			continue // the hub was restored during the sync: start over with hello
		}
		return s.res, err
	}
}

func parseHub(hubURL string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(hubURL), "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("sync: %w: hub address %q must look like http://host:8710 or https://host", casebook.ErrInvalid, hubURL)
	}
	return u, nil
}

func conflicts(b *store.Book) int {
	n := 0
	for _, s := range b.Store().Summaries() {
		n += s.Conflicts
	}
	return n
}

func (s *session) run(ctx context.Context) error {
	var hello wire.Hello
	hello.Device = s.st.Device()
	hubKey := s.hub.String()
	if s.cur.Hub == hubKey && s.cur.Anchor != nil {
		hello.Anchor = s.cur.Anchor
	}
	var w wire.Welcome
	sent := time.Now()
	if err := s.call(ctx, http.MethodPost, wire.PathHello, nil, &hello, &w); err != nil {
		return err
	}
	rtt := time.Since(sent)
	s.res.Epoch, s.res.Community, s.res.ReadOnly = w.Epoch, w.Community, w.ReadOnly
	if w.HubTime > 0 {
		s.res.ClockSkew = time.Since(time.UnixMilli(w.HubTime)) - rtt/2
	}
	if s.cur.Hub != hubKey || s.cur.Epoch != w.Epoch || !w.AnchorOK || s.cur.Community != w.Community {
		// A new hub, a new epoch, or a hub that lost what it had: send
		// everything, take everything (both idempotent).
		s.res.Reset = s.cur.Hub != "" || s.cur.Epoch != ""
		*s.cur = cursor{Hub: hubKey, Epoch: w.Epoch, Community: w.Community,
			LastSync: s.cur.LastSync, LastAttempt: s.cur.LastAttempt}
	}
	s.cur.ReadOnly = w.ReadOnly
	if err := s.save(); err != nil {
		return err
	}
	name := s.b.Settings().Community.Name
	if name != "" && name != w.Community {
		return fmt.Errorf("sync: %w: this casebook is %q, the token is for %q", ErrCommunityMismatch, name, w.Community)
	}
	if name == "" && w.Head == 0 && !w.ReadOnly {
		if err := s.claimName(w.Community); err != nil {
			return err
		}
	}
	var pushErr error
	if !w.ReadOnly {
		pushErr = s.push(ctx)
		if pushErr != nil && !errors.Is(pushErr, ErrRejected) {
			return pushErr
		}
	}
	if err := s.pull(ctx); err != nil {
		return err
	}
	if !w.ReadOnly {
		if s.b.Settings().Community.Name == "" {
			if err := s.claimName(w.Community); err != nil {
				return err
			}
		}
		if pushErr == nil {
			pushErr = s.push(ctx)
		}
	}
	return pushErr
}

// claimName gives a new casebook the token's community.
func (s *session) claimName(name string) error {
	set := s.b.Settings()
	set.Community.Name = name
	if err := s.b.UpdateSettings(set, casebook.SettingCommunity); err != nil {
		return fmt.Errorf("sync: take the community name: %w", err)
	}
	return nil
}

func (s *session) raw(seq uint64, limit int) ([]json.RawMessage, uint64, error) {
	if r, ok := s.st.(rawReader); ok {
		return r.RawOpsSince(seq, limit)
	}
	ops, last, err := s.st.OpsSince(seq, limit)
	if err != nil {
		return nil, seq, err
	}
	out := make([]json.RawMessage, len(ops))
	for i := range ops {
		if out[i], err = json.Marshal(&ops[i]); err != nil {
			return nil, seq, err
		}
	}
	return out, last, nil
}

// pushBatch is one batch of the push: its body, or nil when there is
// nothing to send and only the cursor moves (every op of it came from the
// hub), and the sequence of its last op.
type pushBatch struct {
	body []byte
	last uint64
	err  error
}

// pushFlight is one push request in flight.
type pushFlight struct {
	b    pushBatch
	pr   wire.PushResult
	err  error
	done chan struct{}
}

// push sends every operation after the push cursor, a batch at a time,
// moving the cursor after each batch the hub took. The next batch is read
// and compressed while the hub takes the current one, and two pushes are
// in flight: the hub checks the next batch while it commits this one.
// Results are taken in order; the cursor only moves past a batch once it
// and every batch before it were taken.
func (s *session) push(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan pushBatch, 1)
	go s.readBatches(ctx, next)
	var queue []*pushFlight
	ranges := map[uint64]uint64{} // hub sequences taken from us: first → last
	// finishAll takes the results of the flights in order; after an error
	// it waits for the rest, cancelled.
	finishAll := func(fs []*pushFlight) error {
		for i, f := range fs {
			if err := s.finishPush(f, ranges); err != nil {
				cancel()
				for _, g := range fs[i+1:] {
					<-g.done
				}
				return err
			}
		}
		return nil
	}
	for b := range next {
		if b.err != nil {
			if err := finishAll(queue); err != nil {
				return err
			}
			return b.err
		}
		queue = append(queue, s.send(ctx, b))
		if len(queue) == 2 {
			if err := finishAll(queue[:1]); err != nil {
				<-queue[1].done
				return err
			}
			queue = queue[1:]
		}
	}
	return finishAll(queue)
}

// readBatches reads and encodes the batches after the push cursor into
// next, and closes it at the end of the log, after an error, or when ctx
// ends.
func (s *session) readBatches(ctx context.Context, next chan<- pushBatch) {
	defer close(next)
	seq := s.cur.Push
	for {
		b, err := s.prepare(seq)
		if err != nil {
			b.err = err
		}
		if b.err == nil && b.last == seq { // the end of the log
			return
		}
		select {
		case next <- b:
		case <-ctx.Done():
			return
		}
		if b.err != nil {
			return
		}
		seq = b.last
	}
}

// send starts pushing a batch (a batch with nothing to send is done at once).
func (s *session) send(ctx context.Context, b pushBatch) *pushFlight {
	f := &pushFlight{b: b, done: make(chan struct{})}
	if b.body == nil {
		close(f.done)
		return f
	}
	go func() {
		defer close(f.done)
		f.err = s.call(ctx, http.MethodPost, wire.PathPush, nil, b.body, &f.pr)
	}()
	return f
}

// finishPush waits for a push and takes its result: a refusal becomes
// ErrRejected; what the hub took moves the cursors, and they are saved.
func (s *session) finishPush(f *pushFlight, ranges map[uint64]uint64) error {
	<-f.done
	if f.err != nil {
		var we *wire.Error
		if errors.As(f.err, &we) {
			switch we.Code {
			case wire.CodeOutOfScope, wire.CodeInvalidOp, wire.CodeTooLarge:
				return fmt.Errorf("sync: push: %w: %v", ErrRejected, we)
			case wire.CodeClockSkew:
				return fmt.Errorf("sync: push: %w: %w: %v", ErrRejected, ErrClockSkew, we)
			}
		}
		return f.err
	}
	if f.b.body != nil {
		s.took(f.pr, ranges)
	}
	s.cur.Push = f.b.last
	return s.save() // checkpoint
}

// took counts what the hub took of a push. The hub's sequences of the ops
// it took are ours, which we have: the pull cursor moves over them when
// nobody else's operations lie between.
func (s *session) took(pr wire.PushResult, ranges map[uint64]uint64) {
	s.res.Pushed += pr.Accepted
	s.res.Duplicates += pr.Duplicates
	if pr.Accepted > 0 {
		ranges[pr.Head-uint64(pr.Accepted)+1] = pr.Head
	}
	for {
		e, ok := ranges[s.cur.Pull+1]
		if !ok {
			break
		}
		delete(ranges, s.cur.Pull+1)
		s.cur.Pull = e
	}
	if pr.HeadID != "" && (s.cur.Anchor == nil || pr.Head > s.cur.Anchor.Seq) {
		s.cur.Anchor = &wire.Anchor{Seq: pr.Head, ID: pr.HeadID}
	}
}

// prepare reads the next batch after seq and encodes its push body.
func (s *session) prepare(seq uint64) (b pushBatch, err error) {
	raws, last, err := s.raw(seq, s.o.batch)
	if err != nil {
		return b, fmt.Errorf("sync: read the log: %w", err)
	}
	b.last = last
	if len(raws) == 0 {
		b.last = seq
		return b, nil
	}
	size, n := 0, 0
	for n < len(raws) && (n == 0 || size+len(raws[n]) <= pushBytes) {
		size += len(raws[n])
		n++
	}
	if n < len(raws) { // cut by size: find the sequence of the last one sent
		if raws, b.last, err = s.raw(seq, n); err != nil {
			return b, fmt.Errorf("sync: read the log: %w", err)
		}
	}
	send := raws
	if len(s.pulled) > 0 {
		send = make([]json.RawMessage, 0, len(raws))
		for _, raw := range raws {
			if id, _ := wire.OpID(raw); !s.pulled[id] {
				send = append(send, raw)
			}
		}
	}
	if len(send) > 0 {
		b.body = wire.Gzip(wire.AppendPush(make([]byte, 0, size+64), strconv.FormatUint(b.last, 10), send))
	}
	return b, nil
}

// pull merges the community's operations after the pull cursor, a batch at
// a time, each batch through Book.Merge (bounded clock skew) and then
// checkpointed.
func (s *session) pull(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan pullPage, 1)
	go s.fetch(ctx, s.cur.Pull, pages)
	for pg := range pages {
		if pg.err != nil {
			return pg.err
		}
		p := &pg.p
		if len(pg.ops) > 0 {
			applied, err := s.b.Merge(pg.ops...)
			if err != nil {
				if errors.Is(err, casebook.ErrClockSkew) {
					return fmt.Errorf("sync: pull: %w: this device's clock is about %s behind the hub's; set the clock right and sync again (%v)",
						ErrClockSkew, (-s.res.ClockSkew).Round(time.Second), err)
				}
				return fmt.Errorf("sync: pull: %w", err)
			}
			s.res.Pulled += len(applied)
			for i := range applied {
				s.pulled[applied[i].ID] = true
			}
			if err := s.skipPulled(); err != nil {
				return err
			}
		}
		if p.Last > s.cur.Pull {
			s.cur.Pull = p.Last
		}
		if p.LastID != "" {
			s.cur.Anchor = &wire.Anchor{Seq: p.Last, ID: p.LastID}
		}
		if err := s.save(); err != nil { // checkpoint
			return err
		}
	}
	return nil
}

// pullPage is one pull response with its operations decoded (those this
// casebook has are left out), or the error that ended the pulling.
type pullPage struct {
	p   wire.Pull
	ops []casebook.Op
	err error
}

// fetch pulls the pages after since, one ahead of the merging (the hub
// reads and sends the next page, and it is decoded, while this device
// merges the last), until the last page or an error, which it sends and
// stops. It closes pages.
func (s *session) fetch(ctx context.Context, since uint64, pages chan<- pullPage) {
	defer close(pages)
	for {
		var pg pullPage
		q := url.Values{"since": {strconv.FormatUint(since, 10)}, "limit": {strconv.Itoa(s.o.batch)}}
		if pg.err = s.call(ctx, http.MethodGet, wire.PathPull, q, nil, &pg.p); pg.err == nil {
			pg.ops = make([]casebook.Op, 0, len(pg.p.Ops))
			for i, raw := range pg.p.Ops {
				var op casebook.Op
				if err := json.Unmarshal(raw, &op); err != nil {
					pg.err = fmt.Errorf("sync: pull: %w: operation %d from the hub does not decode", casebook.ErrInvalid, i+1)
					break
				}
				// (One being merged just now is merged again: idempotent.)
				if !s.st.HasOp(op.ID) {
					pg.ops = append(pg.ops, op)
				}
			}
			pg.p.Ops = nil // decoded: let the bytes go
		}
		select {
		case pages <- pg:
		case <-ctx.Done():
			return
		}
		if pg.err != nil || !pg.p.More || pg.p.Last <= since {
			return
		}
		since = pg.p.Last
	}
}

// skipPulled moves the push cursor over operations just pulled (they came
// from the hub), stopping at the first operation made here.
func (s *session) skipPulled() error {
	for {
		raws, _, err := s.raw(s.cur.Push, 1000)
		if err != nil {
			return fmt.Errorf("sync: read the log: %w", err)
		}
		k := 0
		for k < len(raws) {
			if id, _ := wire.OpID(raws[k]); !s.pulled[id] {
				break
			}
			k++
		}
		if k == 0 {
			return nil
		}
		_, last, err := s.raw(s.cur.Push, k)
		if err != nil {
			return err
		}
		s.cur.Push = last
		if k < len(raws) {
			return nil
		}
		if len(raws) < 1000 {
			clear(s.pulled) // caught up with the log: all of them passed
			return nil
		}
	}
}

// call does one request with retries of transient failures.
func (s *session) call(ctx context.Context, method, path string, q url.Values, in, out any) error {
	var body []byte
	switch v := in.(type) {
	case nil:
	case []byte: // gzipped JSON already
		body = v
	default:
		var err error
		if body, err = wire.EncodeBytes(in, true); err != nil {
			return err
		}
	}
	var err error
	for attempt := 0; attempt <= s.o.retry; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(attempt*attempt) * 250 * time.Millisecond):
			}
		}
		err = s.once(ctx, method, path, q, body, out)
		var we *wire.Error
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.As(err, &we):
			if we.Status < 500 {
				return mapError(we)
			}
		}
	}
	return err
}

func mapError(we *wire.Error) error {
	switch we.Code {
	case wire.CodeUpgradeRequired:
		return fmt.Errorf("sync: %w (%v)", ErrUpgradeRequired, we)
	case wire.CodeUnauthorized:
		return fmt.Errorf("sync: %w (%v)", ErrUnauthorized, we)
	case wire.CodeRevoked:
		return fmt.Errorf("sync: %w (%v)", ErrRevoked, we)
	}
	return we
}

func (s *session) once(ctx context.Context, method, path string, q url.Values, body []byte, out any) error {
	u := *s.hub
	u.Path = strings.TrimRight(u.Path, "/") + path
	if q != nil {
		u.RawQuery = q.Encode()
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, method, u.String(), rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set(wire.HeaderProtocol, strconv.Itoa(wire.Protocol))
	req.Header.Set(wire.HeaderDevice, s.st.Device())
	req.Header.Set(wire.HeaderEpoch, s.cur.Epoch)
	req.Header.Set("Accept-Encoding", "gzip")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := s.o.client.Do(req)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "connection") {
			return fmt.Errorf("sync: %w: %v", ErrOffline, err)
		}
		return fmt.Errorf("sync: %w: %v", ErrOffline, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return wire.ReadError(resp)
	}
	if err := wire.Decode(resp.Body, resp.Header.Get("Content-Encoding"), out); err != nil {
		return fmt.Errorf("sync: %w: bad answer from the hub: %v", ErrOffline, err)
	}
	return nil
}
