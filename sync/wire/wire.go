// Package wire is the sync protocol between a casebook and the district hub:
// the endpoints, headers, limits, message types and their encoding, shared by
// sync/client and sync/hub so that both sides read one definition.
//
// # Protocol (version 2)
//
// Every request but the health check carries
//
//	Authorization: Bearer <device token>   (from `casebook-district enroll`)
//	Casebook-Protocol: 2                    (older or missing: 426 upgrade required)
//
// and push and pull also carry Casebook-Epoch: the hub epoch the client's
// cursors belong to (a different epoch: 409 epoch_changed, start over with
// hello). Bodies are JSON, gzip-compressed when sent with
// Content-Encoding: gzip (the client always compresses; the hub compresses
// when the request says Accept-Encoding: gzip).
//
//	GET  /healthz              → {"status":"ok","protocol":2}   (no token)
//	POST /v1/hello    Hello    → Welcome    who am I, which epoch, does the hub still hold my anchor
//	POST /v1/push     Push     → PushResult append operations to the token's community (idempotent)
//	GET  /v1/pull?since=N&limit=M → Pull    operations of the community after hub sequence N
//
// Errors are JSON Error bodies with a stable Code; see the Code constants.
// Operations travel as their JSON (casebook.Op), unchanged from the log they
// were read from: the hub checks each one and stores it as received.
package wire

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Protocol is the version this build speaks; MinProtocol the oldest the hub
// still serves. A client older than MinProtocol gets 426 and keeps working
// offline until it is upgraded.
//
// Version 2 carries the steps of the 12345 rules (退单, 申诉, 延期, 并单,
// 吹哨报到, callbacks without a verdict): a version-1 client would refuse
// the whole batch that brings one of them (an unknown step fails its
// checks), so it is told to upgrade instead.
const (
	Protocol    = 2
	MinProtocol = 2
)

// Headers.
const (
	HeaderProtocol = "Casebook-Protocol"
	HeaderEpoch    = "Casebook-Epoch"
	HeaderDevice   = "Casebook-Device" // the casebook's device id, for the hub's logs
)

// Endpoints.
const (
	PathHealth = "/healthz"
	PathHello  = "/v1/hello"
	PathPush   = "/v1/push"
	PathPull   = "/v1/pull"
)

// Limits. A request over any of them is refused whole, before anything is
// written.
const (
	// MaxBatchOps is the most operations one push or pull carries.
	MaxBatchOps = 5000
	// DefaultBatchOps is what the client sends per push and asks per pull.
	DefaultBatchOps = 2000
	// MaxBodyBytes bounds a request body as sent (compressed).
	MaxBodyBytes = 16 << 20
	// MaxDecodedBytes bounds a body once decompressed (a gzip bomb stops
	// here), and so what one request holds in the hub's memory: twice what
	// a client sends in one push (8 MB of operations) or the hub in one
	// pull.
	MaxDecodedBytes = 16 << 20
)

// MaxSkew is how far ahead of the hub's clock an operation's timestamp may
// be. It is tighter than casebook.DefaultMaxSkew (5 minutes), the bound a
// device applies to what it pulls, so that a device whose clock is up to 3
// minutes behind the hub can still take in everything the hub accepted.
const MaxSkew = 2 * time.Minute

// Anchor is an operation the client knows the hub held at a sequence: the
// last one it pushed or pulled. If the hub no longer has that operation at
// that sequence, it lost data (restored from a backup) and the client
// pushes everything again.
type Anchor struct {
	Seq uint64 `json:"seq"`
	ID  string `json:"id"`
}

// Hello opens a sync.
type Hello struct {
	Device string  `json:"device"`           // the casebook's device id (for logs)
	Anchor *Anchor `json:"anchor,omitempty"` // nil on a first sync with this hub epoch
}

// Welcome answers Hello: who the token is and where the hub stands.
type Welcome struct {
	Protocol  int    `json:"protocol"`
	Epoch     string `json:"epoch"`
	Community string `json:"community"`
	ReadOnly  bool   `json:"read_only"`
	Head      uint64 `json:"head"` // the community's last sequence
	// AnchorOK is false when the hub does not hold the anchor's operation at
	// its sequence: the client must push everything again and pull from 0.
	AnchorOK bool  `json:"anchor_ok"`
	HubTime  int64 `json:"hub_time"` // Unix milliseconds, so the client can tell its clock offset
	MaxBatch int   `json:"max_batch"`
	MaxSkew  int64 `json:"max_skew_ms"`
}

// Push carries operations to the hub.
type Push struct {
	Batch string            `json:"batch,omitempty"` // the client's id of the batch, for logs
	Ops   []json.RawMessage `json:"ops"`
}

// PushResult says what the hub did with a push. Every operation is in the
// community's log afterwards: Accepted new ones, Duplicates already there.
type PushResult struct {
	Accepted   int    `json:"accepted"`
	Duplicates int    `json:"duplicates"`
	Head       uint64 `json:"head"`
	HeadID     string `json:"head_id,omitempty"`
}

// Pull carries operations to the client.
type Pull struct {
	Ops    []json.RawMessage `json:"ops"`
	Last   uint64            `json:"last"`              // the sequence of the last op sent (since, if none)
	LastID string            `json:"last_id,omitempty"` // its id: the client's next anchor
	Head   uint64            `json:"head"`
	More   bool              `json:"more"`
}

// Error codes.
const (
	CodeUnauthorized    = "unauthorized"     // 401: no token or an unknown one
	CodeRevoked         = "revoked"          // 401: the token was revoked
	CodeReadOnly        = "read_only"        // 403: a read-only token tried to write
	CodeUpgradeRequired = "upgrade_required" // 426: the client's protocol is too old
	CodeEpochChanged    = "epoch_changed"    // 409: cursors of another epoch; hello again
	CodeBadRequest      = "bad_request"      // 400: malformed body or parameters
	CodeTooLarge        = "too_large"        // 413: body, batch or operation over a limit
	CodeInvalidOp       = "invalid_op"       // 422: an operation fails validation
	CodeOutOfScope      = "out_of_scope"     // 403: an operation belongs to another community
	CodeClockSkew       = "clock_skew"       // 422: an operation's timestamp is too far ahead of the hub
	CodeBusy            = "busy"             // 503: the hub is shutting down or overloaded; retry
	CodeInternal        = "internal"         // 500
)

// Error is the body of every error response.
type Error struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
	// For a refused batch: the position (0-based) and id of the first bad
	// operation, and the device it came from.
	Index  int    `json:"index,omitempty"`
	Op     string `json:"op,omitempty"`
	Origin string `json:"origin,omitempty"`
	// MinProtocol with CodeUpgradeRequired.
	MinProtocol int `json:"min_protocol,omitempty"`
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "hub: %s", e.Code)
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Op != "" {
		fmt.Fprintf(&b, " (op %d, %s", e.Index+1, e.Op)
		if e.Origin != "" {
			fmt.Fprintf(&b, " from device %s", e.Origin)
		}
		b.WriteString(")")
	}
	return b.String()
}

// Is lets errors.Is match on the code: errors.Is(err, &wire.Error{Code: wire.CodeRevoked}).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Errorf makes an error response.
func Errorf(status int, code, format string, a ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, a...)}
}

// ErrTooLarge is returned by Decode when a body is over a limit.
var ErrTooLarge = errors.New("body too large")

var gzPool = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed); return w }}

// Encode writes v as JSON, gzip-compressed if gz.
func Encode(w io.Writer, v any, gz bool) error {
	if !gz {
		return json.NewEncoder(w).Encode(v)
	}
	zw := gzPool.Get().(*gzip.Writer)
	defer gzPool.Put(zw)
	zw.Reset(w)
	if err := json.NewEncoder(zw).Encode(v); err != nil {
		return err
	}
	return zw.Close()
}

// EncodeBytes is Encode into a new slice.
func EncodeBytes(v any, gz bool) ([]byte, error) {
	var buf bytes.Buffer
	if err := Encode(&buf, v, gz); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Decode reads one JSON value from r into v: gunzipped first if encoding is
// "gzip", refused with ErrTooLarge past MaxDecodedBytes, and refused if
// anything but white space follows the value. Other encodings are refused.
func Decode(r io.Reader, encoding string, v any) error {
	return DecodeN(r, encoding, v, MaxDecodedBytes)
}

// DecodeN is Decode with a smaller limit than MaxDecodedBytes on the
// decompressed body, for small messages (a Hello).
func DecodeN(r io.Reader, encoding string, v any, max int) error {
	raw, err := readBody(r, encoding, max)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("decode: trailing data after the value")
	}
	return nil
}

// ReadBody reads a whole body, gunzipped if encoding is "gzip", refused
// with ErrTooLarge past MaxDecodedBytes. Other encodings are refused.
func ReadBody(r io.Reader, encoding string) ([]byte, error) {
	return readBody(r, encoding, MaxDecodedBytes)
}

func readBody(r io.Reader, encoding string, max int) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("decode: bad gzip: %w", err)
		}
		defer zr.Close()
		r = zr
	default:
		return nil, fmt.Errorf("decode: unsupported encoding %q", encoding)
	}
	lr := &io.LimitedReader{R: r, N: int64(max) + 1}
	raw, err := io.ReadAll(lr)
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if len(raw) > max {
		return nil, fmt.Errorf("decode: %w: more than %d bytes", ErrTooLarge, max)
	}
	return raw, nil
}

// Gzip compresses a body.
func Gzip(raw []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(raw) / 4)
	zw := gzPool.Get().(*gzip.Writer)
	defer gzPool.Put(zw)
	zw.Reset(&buf)
	_, _ = zw.Write(raw)
	_ = zw.Close()
	return buf.Bytes()
}

// WriteError writes an error response.
func WriteError(w http.ResponseWriter, e *Error) {
	if e.Status == 0 {
		e.Status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(e)
}

// ReadError turns an error response into an *Error (a body that is not one
// still gives an *Error, with the status and the start of the body).
func ReadError(resp *http.Response) *Error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	e := &Error{}
	if json.Unmarshal(raw, e) != nil || e.Code == "" {
		msg := strings.TrimSpace(strings.ToValidUTF8(string(raw), ""))
		if len(msg) > 200 {
			cut := 200
			for cut > 0 && !utf8.RuneStart(msg[cut]) {
				cut--
			}
			msg = msg[:cut]
		}
		e = &Error{Code: CodeInternal, Message: fmt.Sprintf("HTTP %d %s", resp.StatusCode, msg)}
		if resp.StatusCode == http.StatusUpgradeRequired {
			e.Code = CodeUpgradeRequired
		}
	}
	e.Status = resp.StatusCode
	return e
}

// OpHead is the part of an operation's JSON read without decoding it all.
type OpHead struct {
	ID string `json:"id"`
}

// OpID reads the id of an operation's JSON.
func OpID(raw []byte) (string, error) {
	var h OpHead
	if err := json.Unmarshal(raw, &h); err != nil {
		return "", err
	}
	return h.ID, nil
}
