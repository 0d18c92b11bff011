package hub

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"casebook/casebook"
	"casebook/sync/wire"
)

// Options tunes a Hub.
type Options struct {
	Logger *slog.Logger
	Now    func() time.Time // the hub's clock (time.Now)
	// MaterializeDelay is how long a community's log must be quiet before
	// its views are brought up to date in the background (default 2 s), so
	// that a large first sync is not slowed by it.
	MaterializeDelay time.Duration
	// Workers bounds the pushes and pulls decoded at once (default 4), which
	// bounds the hub's memory however many devices sync together.
	Workers int
	// Readers bounds the push bodies being received at once (default twice
	// Workers): a body is read whole, within its deadline, before its push
	// waits for a worker, so that a device sending slowly holds a reader,
	// never a worker. Each holds at most wire.MaxDecodedBytes.
	Readers int
	// PerToken bounds the requests of one device token at once (default 2:
	// the client keeps two pushes in flight); more are refused at once
	// with 503 busy, so that one device cannot take every reader.
	PerToken int
}

// Hub serves sync for every community on a Store.
type Hub struct {
	st   Store
	log  *slog.Logger
	now  func() time.Time
	opts Options
	work chan struct{}
	read chan struct{} // reader slots (Options.Readers)

	mu     sync.Mutex
	dirty  map[string]time.Time // community → last append, waiting to be materialized
	active map[string]int       // token id → its requests running

	stop   chan struct{}
	done   chan struct{}
	closed atomic.Bool
}

// New starts a hub on a store (and its background materializer). Close
// stops it; the store is the caller's to close after.
func New(st Store, o Options) *Hub {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaterializeDelay <= 0 {
		o.MaterializeDelay = 2 * time.Second
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.Readers <= 0 {
		o.Readers = 2 * o.Workers
	}
	if o.PerToken <= 0 {
		o.PerToken = 2
	}
	h := &Hub{st: st, log: o.Logger, now: o.Now, opts: o, work: make(chan struct{}, o.Workers),
		read: make(chan struct{}, o.Readers), dirty: map[string]time.Time{}, active: map[string]int{},
		stop: make(chan struct{}), done: make(chan struct{})}
	// Views behind their logs (a crash, an old version) are caught up too
	// (a Shared store lists them itself).
	if _, shared := st.(Shared); !shared {
		if cs, err := st.Communities(); err == nil {
			for _, c := range cs {
				h.dirty[c.Name] = time.Time{}
			}
		}
	}
	go h.materializer()
	return h
}

// Store is the hub's store.
func (h *Hub) Store() Store { return h.st }

// Close stops the background work. It does not close the store.
func (h *Hub) Close() {
	if h.closed.CompareAndSwap(false, true) {
		close(h.stop)
		<-h.done
	}
}

// markDirty notes that a community's log grew (see due).
func (h *Hub) markDirty(community string) {
	if _, ok := h.st.(Shared); ok {
		return
	}
	h.mu.Lock()
	h.dirty[community] = h.now()
	h.mu.Unlock()
}

// materializer brings views up to date in the background, a community at
// a time once its log has been quiet for MaterializeDelay.
func (h *Hub) materializer() {
	defer close(h.done)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-tick.C:
		}
		for _, c := range h.due() {
			done, err := h.st.Materialize(c, 2000)
			switch {
			case errors.Is(err, ErrBusy): // another hub is at it
			case err != nil:
				h.log.Error("materialize", "community", c, "err", err)
			}
			if done || (err != nil && !errors.Is(err, ErrBusy)) {
				h.mu.Lock()
				if at, ok := h.dirty[c]; ok && h.now().Sub(at) >= h.opts.MaterializeDelay {
					delete(h.dirty, c)
				}
				h.mu.Unlock()
			}
			select {
			case <-h.stop:
				return
			default:
			}
		}
	}
}

// due lists the communities whose views to bring up to date now. On a
// store several hubs share, the store says (every hub's pushes, and those
// of a hub that stopped, are there); otherwise this hub's own record of
// what it appended.
func (h *Hub) due() []string {
	if sh, ok := h.st.(Shared); ok {
		cs, err := sh.Pending(h.opts.MaterializeDelay, 100)
		if err != nil {
			h.log.Error("materialize", "err", err)
		}
		return cs
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	var due []string
	for c, at := range h.dirty {
		if h.now().Sub(at) >= h.opts.MaterializeDelay {
			due = append(due, c)
		}
	}
	return due
}

// CatchUp brings a community's views up to date now (waiting for another
// hub that is at it).
func (h *Hub) CatchUp(ctx context.Context, community string) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		done, err := h.st.Materialize(community, 5000)
		if errors.Is(err, ErrBusy) {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(20 * time.Millisecond):
			}
			continue
		}
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// TokenPrefix starts every device token.
const TokenPrefix = "cbk_"

// HashToken is how a token is stored and looked up.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Enroll makes a device token for a community (registered if new). The
// token is returned once; the hub keeps only its hash.
func (h *Hub) Enroll(community string, readOnly bool, note string) (string, Token, error) {
	community = strings.TrimSpace(community)
	if community == "" || len(community) > 200 {
		return "", Token{}, fmt.Errorf("enroll: %w: a community name is needed (at most 200 bytes)", casebook.ErrInvalid)
	}
	if _, err := h.st.AddCommunity(community, h.now()); err != nil {
		return "", Token{}, fmt.Errorf("enroll: %w", err)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", Token{}, err
	}
	tok := TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	hash := HashToken(tok)
	t := Token{ID: hash[:12], Hash: hash, Community: community, ReadOnly: readOnly, Note: note, Created: h.now().UTC()}
	if err := h.st.AddToken(t); err != nil {
		return "", Token{}, fmt.Errorf("enroll: %w", err)
	}
	h.log.Info("enrolled", "community", community, "token", t.ID, "read_only", readOnly)
	return tok, t, nil
}

// Revoke ends a token, by the token itself, its id or its hash.
func (h *Hub) Revoke(ref string) (Token, error) {
	ref = strings.TrimSpace(ref)
	if strings.HasPrefix(ref, TokenPrefix) {
		ref = HashToken(ref)
	}
	t, err := h.st.RevokeToken(ref, h.now())
	if err != nil {
		return Token{}, err
	}
	h.log.Info("revoked", "community", t.Community, "token", t.ID)
	return t, nil
}

// reqInfo collects what the access log says about a request.
type reqInfo struct {
	community, token, device string
	ops, dups                int
	code                     string
}

type ctxKey struct{}

func info(r *http.Request) *reqInfo {
	if i, ok := r.Context().Value(ctxKey{}).(*reqInfo); ok {
		return i
	}
	return &reqInfo{}
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
	w.ResponseWriter.WriteHeader(s)
}

// Unwrap lets http.ResponseController reach the connection (read deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Handler is the sync API (see sync/wire).
func (h *Hub) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+wire.PathHealth, h.health)
	mux.HandleFunc("POST "+wire.PathHello, h.hello)
	mux.HandleFunc("POST "+wire.PathPush, h.push)
	mux.HandleFunc("GET "+wire.PathPull, h.pull)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ri := &reqInfo{device: clip(r.Header.Get(wire.HeaderDevice))}
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				h.log.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(p))
				if sw.status == 0 {
					wire.WriteError(sw, wire.Errorf(http.StatusInternalServerError, wire.CodeInternal, "internal error"))
				}
			}
			if r.URL.Path == wire.PathHealth {
				return
			}
			lvl := slog.LevelInfo
			if sw.status >= 400 {
				lvl = slog.LevelWarn
			}
			// Never the operations' contents: counts, community, device, token id.
			h.log.Log(r.Context(), lvl, "request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
				"ms", time.Since(start).Milliseconds(), "community", ri.community, "token", ri.token,
				"device", ri.device, "ops", ri.ops, "duplicates", ri.dups, "code", ri.code)
		}()
		mux.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), ctxKey{}, ri)))
	})
}

func (h *Hub) fail(w http.ResponseWriter, r *http.Request, e *wire.Error) {
	info(r).code = e.Code
	wire.WriteError(w, e)
}

func (h *Hub) health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = fmt.Fprintf(w, `{"status":"ok","protocol":%d}`+"\n", wire.Protocol)
}

// auth checks the protocol version and the token. Deny by default: any
// failure ends the request.
func (h *Hub) auth(w http.ResponseWriter, r *http.Request) (Token, bool) {
	pv, err := strconv.Atoi(r.Header.Get(wire.HeaderProtocol))
	if err != nil || pv < wire.MinProtocol {
		e := wire.Errorf(http.StatusUpgradeRequired, wire.CodeUpgradeRequired,
			"upgrade required: this hub speaks sync protocol %d to %d; update Casebook (it keeps working offline meanwhile)", wire.MinProtocol, wire.Protocol)
		e.MinProtocol = wire.MinProtocol
		w.Header().Set("Upgrade", fmt.Sprintf("casebook-sync/%d", wire.Protocol))
		h.fail(w, r, e)
		return Token{}, false
	}
	if pv > wire.Protocol {
		h.fail(w, r, wire.Errorf(http.StatusBadRequest, wire.CodeBadRequest, "the hub speaks protocol %d, older than this Casebook (%d): the hub must be updated", wire.Protocol, pv))
		return Token{}, false
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	tok = strings.TrimSpace(tok)
	if !ok || tok == "" || len(tok) > 200 {
		h.fail(w, r, wire.Errorf(http.StatusUnauthorized, wire.CodeUnauthorized, "no device token"))
		return Token{}, false
	}
	t, err := h.st.TokenByHash(HashToken(tok))
	if err != nil {
		if !errors.Is(err, ErrNoToken) {
			// The store failed (a database away longer than the store
			// waits for it): a token it could not look up is not an
			// unknown one, and the device must not be told so.
			h.log.Error("token lookup", "err", err)
			w.Header().Set("Retry-After", "5")
			h.fail(w, r, wire.Errorf(http.StatusServiceUnavailable, wire.CodeBusy, "the hub cannot reach its data; try again"))
			return Token{}, false
		}
		h.fail(w, r, wire.Errorf(http.StatusUnauthorized, wire.CodeUnauthorized, "unknown device token"))
		return Token{}, false
	}
	ri := info(r)
	ri.community, ri.token = t.Community, t.ID
	if !t.Revoked.IsZero() {
		h.fail(w, r, wire.Errorf(http.StatusUnauthorized, wire.CodeRevoked, "this device's token was revoked; ask the district for a new one"))
		return Token{}, false
	}
	return t, true
}

// admit counts a request against its token's limit (Options.PerToken),
// refusing it at once past the limit. done must be called when it ends.
func (h *Hub) admit(w http.ResponseWriter, r *http.Request, t Token) (done func(), ok bool) {
	h.mu.Lock()
	n := h.active[t.ID]
	if n >= h.opts.PerToken {
		h.mu.Unlock()
		w.Header().Set("Retry-After", "1")
		h.fail(w, r, wire.Errorf(http.StatusServiceUnavailable, wire.CodeBusy,
			"this device already has %d requests running; try again when they end", n))
		return nil, false
	}
	h.active[t.ID] = n + 1
	h.mu.Unlock()
	return func() {
		h.mu.Lock()
		if h.active[t.ID]--; h.active[t.ID] <= 0 {
			delete(h.active, t.ID)
		}
		h.mu.Unlock()
	}, true
}

// Body deadlines: a body must arrive within bodyGrace plus its length at
// bodyRate (a slow rural line sends a few hundred KB/s; 16 KB/s is well
// below), and never later than bodyMax after the request.
const (
	bodyGrace = 10 * time.Second
	bodyRate  = 16 << 10 // bytes a second
	bodyMax   = 2 * time.Minute
	helloMax  = 64 << 10 // a Hello's decoded body
)

// bodyDeadline sets the time by which the request's body must be read.
func bodyDeadline(w http.ResponseWriter, r *http.Request) {
	d := bodyMax
	if r.ContentLength >= 0 {
		d = min(bodyGrace+time.Duration(r.ContentLength/bodyRate)*time.Second, bodyMax)
	}
	// Not supported by test recorders: the server's ReadTimeout still holds.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(d))
}

func (h *Hub) checkEpoch(w http.ResponseWriter, r *http.Request) bool {
	if got, want := r.Header.Get(wire.HeaderEpoch), h.st.Epoch(); got != want {
		h.fail(w, r, wire.Errorf(http.StatusConflict, wire.CodeEpochChanged, "the hub's epoch changed (restored from a backup?); sync again from hello"))
		return false
	}
	return true
}

// acquire takes a worker slot, waiting at most 30 s.
func (h *Hub) acquire(w http.ResponseWriter, r *http.Request) bool { return h.take(w, r, h.work) }

// take takes a slot of sem, waiting at most 30 s.
func (h *Hub) take(w http.ResponseWriter, r *http.Request, sem chan struct{}) bool {
	t := time.NewTimer(30 * time.Second)
	defer t.Stop()
	select {
	case sem <- struct{}{}:
		return true
	case <-r.Context().Done():
	case <-t.C:
	}
	h.fail(w, r, wire.Errorf(http.StatusServiceUnavailable, wire.CodeBusy, "the hub is busy; try again"))
	return false
}

func (h *Hub) release() { <-h.work }

// readBody reads a request's body into v (a *wire.Push is read as a
// stream, see wire.ReadPush) within its deadline and limits.
func (h *Hub) readBody(w http.ResponseWriter, r *http.Request, v any) bool {
	bodyDeadline(w, r)
	body := http.MaxBytesReader(w, r.Body, wire.MaxBodyBytes)
	var err error
	if p, ok := v.(*wire.Push); ok {
		*p, err = wire.ReadPush(body, r.Header.Get("Content-Encoding"))
	} else {
		err = wire.DecodeN(body, r.Header.Get("Content-Encoding"), v, helloMax)
	}
	if err != nil {
		var mbe *http.MaxBytesError
		var ne net.Error
		switch {
		case errors.As(err, &mbe):
			h.fail(w, r, wire.Errorf(http.StatusRequestEntityTooLarge, wire.CodeTooLarge, "request body over the limit (%d bytes sent)", wire.MaxBodyBytes))
		case errors.Is(err, wire.ErrTooLarge):
			h.fail(w, r, wire.Errorf(http.StatusRequestEntityTooLarge, wire.CodeTooLarge, "%s", clipN(err.Error(), 200)))
		case errors.As(err, &ne) && ne.Timeout():
			h.fail(w, r, wire.Errorf(http.StatusRequestTimeout, wire.CodeBadRequest, "the request body did not arrive in time"))
		default:
			h.fail(w, r, wire.Errorf(http.StatusBadRequest, wire.CodeBadRequest, "%s", clipN(err.Error(), 200)))
		}
		return false
	}
	return true
}

func (h *Hub) reply(w http.ResponseWriter, r *http.Request, v any) {
	gz := strings.Contains(r.Header.Get("Accept-Encoding"), "gzip")
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set(wire.HeaderEpoch, h.st.Epoch())
	if gz {
		w.Header().Set("Content-Encoding", "gzip")
	}
	if err := wire.Encode(w, v, gz); err != nil {
		h.log.Debug("reply", "err", err)
	}
}

func (h *Hub) hello(w http.ResponseWriter, r *http.Request) {
	t, ok := h.auth(w, r)
	if !ok {
		return
	}
	done, ok := h.admit(w, r, t)
	if !ok {
		return
	}
	defer done()
	var req wire.Hello
	if !h.readBody(w, r, &req) {
		return
	}
	head, err := h.st.Head(t.Community)
	if err != nil {
		h.log.Error("hello", "community", t.Community, "err", err)
		h.fail(w, r, wire.Errorf(http.StatusInternalServerError, wire.CodeInternal, "hub store error"))
		return
	}
	anchorOK := true
	if a := req.Anchor; a != nil && a.Seq > 0 {
		id, err := h.st.OpAt(t.Community, a.Seq)
		anchorOK = err == nil && id == a.ID
		if !anchorOK {
			h.log.Warn("device anchor not found: it will push everything again", "community", t.Community, "device", info(r).device, "anchor_seq", a.Seq)
		}
	}
	h.reply(w, r, wire.Welcome{Protocol: wire.Protocol, Epoch: h.st.Epoch(), Community: t.Community, ReadOnly: t.ReadOnly,
		Head: head, AnchorOK: anchorOK, HubTime: h.now().UnixMilli(), MaxBatch: wire.MaxBatchOps, MaxSkew: wire.MaxSkew.Milliseconds()})
}

func (h *Hub) push(w http.ResponseWriter, r *http.Request) {
	t, ok := h.auth(w, r)
	if !ok {
		return
	}
	if t.ReadOnly {
		h.fail(w, r, wire.Errorf(http.StatusForbidden, wire.CodeReadOnly, "this token is read-only: it cannot write to %s", t.Community))
		return
	}
	if !h.checkEpoch(w, r) {
		return
	}
	// The body is read and checked first, holding a reader slot and the
	// token's count but no worker: a device that sends slowly or too much
	// delays only itself.
	done, ok := h.admit(w, r, t)
	if !ok {
		return
	}
	defer done()
	if !h.take(w, r, h.read) {
		return
	}
	defer func() { <-h.read }()
	var req wire.Push
	if !h.readBody(w, r, &req) || !h.acquire(w, r) {
		return
	}
	defer h.release()
	ri := info(r)
	ri.ops = len(req.Ops)
	ins, werr := checkOps(req.Ops, t.Community, h.now())
	if werr != nil {
		h.fail(w, r, werr)
		return
	}
	res, err := h.st.Append(t.Community, ins)
	var se *ScopeError
	switch {
	case errors.As(err, &se):
		e := wire.Errorf(http.StatusForbidden, wire.CodeOutOfScope, "record %s belongs to another community", se.Entity)
		e.Index, e.Op, e.Origin = se.Index, se.Op, clip(se.Origin)
		h.fail(w, r, e)
		return
	case err != nil:
		h.log.Error("append", "community", t.Community, "err", err)
		h.fail(w, r, wire.Errorf(http.StatusInternalServerError, wire.CodeInternal, "hub store error"))
		return
	}
	ri.dups = res.Duplicates
	if res.Accepted > 0 {
		h.markDirty(t.Community)
	}
	h.reply(w, r, wire.PushResult{Accepted: res.Accepted, Duplicates: res.Duplicates, Head: res.Head, HeadID: res.HeadID})
}

// pullBytes bounds the operations' bytes in one pull response.
const pullBytes = 8 << 20

func (h *Hub) pull(w http.ResponseWriter, r *http.Request) {
	t, ok := h.auth(w, r)
	if !ok || !h.checkEpoch(w, r) {
		return
	}
	done, ok := h.admit(w, r, t)
	if !ok {
		return
	}
	defer done()
	q := r.URL.Query()
	since, err := strconv.ParseUint(q.Get("since"), 10, 64)
	if err != nil && q.Get("since") != "" {
		h.fail(w, r, wire.Errorf(http.StatusBadRequest, wire.CodeBadRequest, "since must be a sequence number"))
		return
	}
	limit := wire.DefaultBatchOps
	if s := q.Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 1 {
			h.fail(w, r, wire.Errorf(http.StatusBadRequest, wire.CodeBadRequest, "limit must be a positive number"))
			return
		}
	}
	limit = min(limit, wire.MaxBatchOps)
	if !h.acquire(w, r) {
		return
	}
	defer h.release()
	ops, last, head, err := h.st.Since(t.Community, since, limit, pullBytes)
	if err != nil {
		h.log.Error("pull", "community", t.Community, "err", err)
		h.fail(w, r, wire.Errorf(http.StatusInternalServerError, wire.CodeInternal, "hub store error"))
		return
	}
	info(r).ops = len(ops)
	p := wire.Pull{Ops: ops, Last: last, Head: head, More: last < head}
	if p.Ops == nil {
		p.Ops = []json.RawMessage{}
	}
	if len(ops) > 0 {
		p.LastID, _ = opID(ops[len(ops)-1])
	}
	h.reply(w, r, p)
}
