package hub

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
	"os"
	"path/filepath"
	"strconv"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/casebook/xlsx"
	"casebook/sync/rollup"
	"casebook/sync/wire"
)

// Admin is what the district's commands do to a hub: through the store
// directly when no hub is running on the data folder, or through the
// running hub's admin socket (a Unix socket in the data folder, reachable
// only by whoever may read the folder) when one is.
type Admin interface {
	Enroll(community string, readOnly bool, note string) (string, Token, error)
	Revoke(ref string) (Token, error)
	Tokens() ([]Token, error)
	Dispatch(ctx context.Context, community string, file []byte, dryRun bool) (xlsx.ImportReport, error)
	Export(ctx context.Context, w io.Writer, o rollup.Options) error
	// Backup writes a consistent copy of the hub's database to w and
	// returns its length.
	Backup(ctx context.Context, w io.Writer) (int64, error)
}

// backuper is a Store that writes a copy of itself (hubbolt; hubpg refuses
// with ErrNoBackup, since pg_dump does it).
type backuper interface {
	Backup(w io.Writer, sized func(int64)) (int64, error)
}

// Backup writes a consistent copy of the hub's database to w while it
// serves. Restoring it (stop the hub, put the copy in place of hub.db,
// keep hub.epoch) gives the hub a new epoch at its next start, and every
// device pushes again what the copy lacks.
func (h *Hub) Backup(ctx context.Context, w io.Writer) (int64, error) {
	return h.backup(ctx, w, nil)
}

func (h *Hub) backup(ctx context.Context, w io.Writer, sized func(int64)) (int64, error) {
	b, ok := h.st.(backuper)
	if !ok {
		return 0, fmt.Errorf("backup: %w", ErrNoBackup)
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	n, err := b.Backup(w, sized)
	if err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	h.log.Info("backup", "bytes", n)
	return n, nil
}

var _ Admin = (*Hub)(nil)

// DispatchActor is recorded as the person on work orders the hub imports.
const DispatchActor = "区12345派单"

// Dispatch imports a 12345 work-order (or callback) workbook into a
// community with the app's own import code (casebook/xlsx): the
// community's log is replayed into a scratch casebook so that work orders
// already there are recognized and numbering follows on, and the new
// operations are appended to the log as the hub's own device for that
// community. Devices receive them at their next sync.
func (h *Hub) Dispatch(ctx context.Context, community string, file []byte, dryRun bool) (xlsx.ImportReport, error) {
	c, err := h.st.AddCommunity(community, h.now())
	if err != nil {
		return xlsx.ImportReport{}, fmt.Errorf("dispatch: %w", err)
	}
	mem := store.NewMemory()
	for seq := uint64(0); ; {
		if err := ctx.Err(); err != nil {
			return xlsx.ImportReport{}, err
		}
		raws, last, _, err := h.st.Since(community, seq, 5000, 32<<20)
		if err != nil {
			return xlsx.ImportReport{}, fmt.Errorf("dispatch: %w", err)
		}
		if len(raws) == 0 {
			break
		}
		ops := make([]casebook.Op, 0, len(raws))
		for _, raw := range raws {
			var op casebook.Op
			if json.Unmarshal(raw, &op) == nil {
				ops = append(ops, op)
			}
		}
		if _, err := mem.Apply(ops...); err != nil {
			return xlsx.ImportReport{}, fmt.Errorf("dispatch: replay %s: %w", community, err)
		}
		seq = last
	}
	b, err := store.NewBook(mem, DispatchActor, h.now)
	if err != nil {
		return xlsx.ImportReport{}, fmt.Errorf("dispatch: %w", err)
	}
	t := &dispatchTarget{Target: xlsx.BookTarget(b, DispatchActor, h.now), h: h, community: community,
		author: &casebook.Author{Origin: c.Device, Actor: DispatchActor, Clock: b.Clock(), Now: h.now}}
	rep, err := xlsx.ImportInto(bytes.NewReader(file), int64(len(file)), t, xlsx.ImportOptions{DryRun: dryRun, Now: h.now(), Actor: DispatchActor})
	if err != nil {
		return rep, fmt.Errorf("dispatch to %s: %w", community, err)
	}
	h.log.Info("dispatched", "community", community, "new", rep.New, "updated", rep.Updated, "ops", rep.Applied, "dry_run", dryRun)
	return rep, nil
}

type dispatchTarget struct {
	xlsx.Target
	h         *Hub
	community string
	author    *casebook.Author
}

func (t *dispatchTarget) Author() *casebook.Author { return t.author }

func (t *dispatchTarget) Apply(ops ...casebook.Op) error {
	raws := make([]json.RawMessage, len(ops))
	for i := range ops {
		raw, err := json.Marshal(&ops[i])
		if err != nil {
			return err
		}
		raws[i] = raw
	}
	for i := 0; i < len(raws); i += wire.MaxBatchOps {
		part := raws[i:min(i+wire.MaxBatchOps, len(raws))]
		ins, werr := checkOps(part, t.community, t.h.now())
		if werr != nil {
			return werr
		}
		if _, err := t.h.st.Append(t.community, ins); err != nil {
			return err
		}
	}
	t.h.markDirty(t.community)
	return nil
}

// Export writes the roll-up workbook of every community, after bringing
// each one's views up to date.
func (h *Hub) Export(ctx context.Context, w io.Writer, o rollup.Options) error {
	if o.Now.IsZero() {
		o.Now = h.now()
	}
	ru, err := h.Rollup(ctx, o)
	if err != nil {
		return err
	}
	return rollup.Write(w, ru)
}

// Rollup computes the roll-up of every community.
func (h *Hub) Rollup(ctx context.Context, o rollup.Options) (*rollup.Rollup, error) {
	if o.Now.IsZero() {
		o.Now = h.now()
	}
	cs, err := h.st.Communities()
	if err != nil {
		return nil, fmt.Errorf("roll-up: %w", err)
	}
	return rollup.Build(func(yield func(rollup.Input) error) error {
		for _, c := range cs {
			if err := h.CatchUp(ctx, c.Name); err != nil {
				return fmt.Errorf("roll-up %s: %w", c.Name, err)
			}
			set, sums, err := h.st.Views(c.Name)
			if err != nil {
				return fmt.Errorf("roll-up %s: %w", c.Name, err)
			}
			if err := yield(rollup.Input{Name: c.Name, Settings: set, Summaries: sums}); err != nil {
				return err
			}
		}
		return nil
	}, o)
}

// Tokens lists the tokens.
func (h *Hub) Tokens() ([]Token, error) { return h.st.Tokens() }

// adminHandler serves Admin on the admin socket.
func (h *Hub) adminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /enroll", h.adminEnroll)
	mux.HandleFunc("POST /revoke", h.adminRevoke)
	mux.HandleFunc("GET /tokens", h.adminTokens)
	mux.HandleFunc("POST /dispatch", h.adminDispatch)
	mux.HandleFunc("GET /backup", h.adminBackup)
	mux.HandleFunc("GET /export", h.adminExport)
	return mux
}

// adminFail answers an admin request with an error (and a report, for a
// dispatch whose sheet has problems).
func adminFail(w http.ResponseWriter, status int, err error, report any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": err.Error(), "report": report})
}

// adminReply answers an admin request with v as JSON, or with err.
func adminReply[T any](w http.ResponseWriter, v T, err error) {
	if err != nil {
		adminFail(w, adminStatus(err), err, nil)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// adminStatus is the HTTP status of an admin error.
func adminStatus(err error) int {
	switch {
	case errors.Is(err, ErrNoToken), errors.Is(err, ErrNoCommunity):
		return http.StatusNotFound
	case errors.Is(err, casebook.ErrInvalid), errors.Is(err, xlsx.ErrProblems):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// adminRequest decodes a request's JSON body (at most 1 MiB) into req, or
// answers 400 and returns false.
func adminRequest(w http.ResponseWriter, r *http.Request, req any) bool {
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(req); err != nil {
		adminFail(w, http.StatusBadRequest, err, nil)
		return false
	}
	return true
}

func (h *Hub) adminEnroll(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Community string `json:"community"`
		ReadOnly  bool   `json:"read_only"`
		Note      string `json:"note"`
	}
	if !adminRequest(w, r, &req) {
		return
	}
	tok, t, err := h.Enroll(req.Community, req.ReadOnly, req.Note)
	adminReply(w, map[string]any{"token": tok, "info": t}, err)
}

func (h *Hub) adminRevoke(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Ref string `json:"ref"`
	}
	if !adminRequest(w, r, &req) {
		return
	}
	t, err := h.Revoke(req.Ref)
	adminReply(w, t, err)
}

func (h *Hub) adminTokens(w http.ResponseWriter, _ *http.Request) {
	ts, err := h.Tokens()
	adminReply(w, ts, err)
}

func (h *Hub) adminDispatch(w http.ResponseWriter, r *http.Request) {
	file, err := io.ReadAll(io.LimitReader(r.Body, xlsx.DefaultMaxFileBytes+1))
	if err != nil {
		adminFail(w, http.StatusBadRequest, err, nil)
		return
	}
	rep, err := h.Dispatch(r.Context(), r.URL.Query().Get("community"), file, r.URL.Query().Get("dry_run") == "1")
	if err != nil {
		adminFail(w, adminStatus(err), err, rep)
		return
	}
	adminReply(w, rep, nil)
}

// adminBackup streams the copy, not buffered (the database may be large),
// with its length announced first: a copy cut short fails at the client.
func (h *Hub) adminBackup(w http.ResponseWriter, r *http.Request) {
	started := false
	_, err := h.backup(r.Context(), w, func(n int64) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
		started = true
	})
	if err != nil && !started {
		adminFail(w, adminStatus(err), err, nil)
	}
}

func (h *Hub) adminExport(w http.ResponseWriter, r *http.Request) {
	var o rollup.Options
	for _, p := range []struct {
		key string
		t   *time.Time
	}{{"from", &o.From}, {"to", &o.To}} {
		if s := r.URL.Query().Get(p.key); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				adminFail(w, http.StatusBadRequest, err, nil)
				return
			}
			*p.t = t
		}
	}
	var buf bytes.Buffer
	if err := h.Export(r.Context(), &buf, o); err != nil {
		adminFail(w, adminStatus(err), err, nil)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}

// RemoteAdmin talks to a running hub through its admin socket.
type RemoteAdmin struct {
	c *http.Client
}

// DialAdmin connects to the admin socket of the hub running on dir.
func DialAdmin(dir string) (*RemoteAdmin, error) {
	sock := filepath.Join(dir, AdminSocket)
	if _, err := os.Stat(sock); err != nil {
		return nil, fmt.Errorf("the hub data in %s is in use, but no admin socket is there: %w", dir, ErrLocked)
	}
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", sock)
	}}
	return &RemoteAdmin{c: &http.Client{Transport: tr}}, nil
}

func (a *RemoteAdmin) do(ctx context.Context, method, path string, body io.Reader, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, "http://hub"+path, body)
	if err != nil {
		return err
	}
	resp, err := a.c.Do(req)
	if err != nil {
		return fmt.Errorf("admin socket: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error  string          `json:"error"`
			Report json.RawMessage `json:"report"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&e)
		if out != nil && len(e.Report) > 0 && string(e.Report) != "null" {
			_ = json.Unmarshal(e.Report, out)
		}
		err := errors.New(e.Error)
		switch resp.StatusCode {
		case http.StatusNotFound:
			err = fmt.Errorf("%s (%w)", e.Error, ErrNoToken)
		case http.StatusBadRequest:
			err = fmt.Errorf("%s (%w)", e.Error, casebook.ErrInvalid)
		}
		return err
	}
	if w, ok := out.(io.Writer); ok {
		_, err = io.Copy(w, resp.Body)
		return err
	}
	if out != nil {
		return json.NewDecoder(resp.Body).Decode(out)
	}
	return nil
}

func jsonBody(v any) io.Reader {
	raw, _ := json.Marshal(v)
	return bytes.NewReader(raw)
}

// Enroll makes a token on the running hub.
func (a *RemoteAdmin) Enroll(community string, readOnly bool, note string) (string, Token, error) {
	var out struct {
		Token string `json:"token"`
		Info  Token  `json:"info"`
	}
	err := a.do(context.Background(), "POST", "/enroll", jsonBody(map[string]any{"community": community, "read_only": readOnly, "note": note}), &out)
	return out.Token, out.Info, err
}

// Revoke ends a token on the running hub.
func (a *RemoteAdmin) Revoke(ref string) (Token, error) {
	var t Token
	err := a.do(context.Background(), "POST", "/revoke", jsonBody(map[string]string{"ref": ref}), &t)
	return t, err
}

// Tokens lists the running hub's tokens.
func (a *RemoteAdmin) Tokens() ([]Token, error) {
	var ts []Token
	err := a.do(context.Background(), "GET", "/tokens", nil, &ts)
	return ts, err
}

// Dispatch imports a workbook through the running hub.
func (a *RemoteAdmin) Dispatch(ctx context.Context, community string, file []byte, dryRun bool) (xlsx.ImportReport, error) {
	var rep xlsx.ImportReport
	q := url.Values{"community": {community}}
	if dryRun {
		q.Set("dry_run", "1")
	}
	err := a.do(ctx, "POST", "/dispatch?"+q.Encode(), bytes.NewReader(file), &rep)
	return rep, err
}

// Backup writes a copy of the running hub's database to w.
func (a *RemoteAdmin) Backup(ctx context.Context, w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	if err := a.do(ctx, "GET", "/backup", nil, cw); err != nil {
		return cw.n, fmt.Errorf("backup: %w", err)
	}
	return cw.n, nil
}

// countingWriter counts what passes through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Export writes the running hub's roll-up.
func (a *RemoteAdmin) Export(ctx context.Context, w io.Writer, o rollup.Options) error {
	q := url.Values{}
	if !o.From.IsZero() {
		q.Set("from", o.From.Format(time.RFC3339))
	}
	if !o.To.IsZero() {
		q.Set("to", o.To.Format(time.RFC3339))
	}
	return a.do(ctx, "GET", "/export?"+q.Encode(), nil, w)
}
