package wire

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// AppendPush encodes a Push by hand: the operations are already JSON (as
// read from the log), so they are copied, not re-encoded.
func AppendPush(dst []byte, batch string, ops []json.RawMessage) []byte {
	dst = append(dst, `{"batch":`...)
	dst = strconv.AppendQuote(dst, batch)
	dst = append(dst, `,"ops":[`...)
	for i, op := range ops {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, op...)
	}
	return append(dst, "]}\n"...)
}

var errSyntax = errors.New("malformed push body")

// MaxOpBytes bounds one operation in a push (casebook.MaxOpBytes, which
// this package does not import).
const MaxOpBytes = 64 << 10

// ReadPush reads a Push body as a stream, gunzipped first if encoding is
// "gzip", and stops at the first limit it passes: more than MaxBatchOps
// operations, an operation over MaxOpBytes, or more than MaxDecodedBytes in
// all give ErrTooLarge at once, having read only that far, so that a small
// gzip that unpacks to millions of empty operations costs what its first
// few thousand do. The body must be one JSON object; its "ops" member, an
// array, is split into its elements, each returned as its raw bytes
// (checked later, one by one, by decoding it into an operation). Other
// members are skipped. Anything it cannot read is refused.
func ReadPush(r io.Reader, encoding string) (Push, error) {
	var p Push
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return p, fmt.Errorf("decode: bad gzip: %w", err)
		}
		defer zr.Close()
		r = zr
	default:
		return p, fmt.Errorf("decode: unsupported encoding %q", encoding)
	}
	lr := &io.LimitedReader{R: r, N: MaxDecodedBytes + 1}
	ps := &pushScanner{r: bufio.NewReaderSize(lr, 32<<10)}
	err := ps.body(&p)
	if lr.N <= 0 {
		return Push{}, fmt.Errorf("decode: %w: more than %d bytes", ErrTooLarge, MaxDecodedBytes)
	}
	if err != nil {
		return Push{}, fmt.Errorf("decode: %w", err)
	}
	return p, nil
}

// pushScanner reads a push body byte by byte from a buffered stream.
type pushScanner struct {
	r   *bufio.Reader
	buf []byte // the value being read, when it is kept
}

// next returns the next byte that is not white space.
func (s *pushScanner) next() (byte, error) {
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			if err == io.EOF {
				return 0, io.ErrUnexpectedEOF
			}
			return 0, err
		}
		if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
			return c, nil
		}
	}
}

func (s *pushScanner) body(p *Push) error {
	c, err := s.next()
	if err != nil {
		return err
	}
	if c != '{' {
		return errSyntax
	}
	seenOps := false
	for first := true; ; first = false {
		c, err := s.next()
		if err != nil {
			return err
		}
		if c == '}' && first {
			break
		}
		if c != '"' {
			return errSyntax
		}
		raw, err := s.value(c, 256)
		if err != nil {
			return err
		}
		var key string
		if json.Unmarshal(raw, &key) != nil {
			return errSyntax
		}
		if c, err := s.next(); err != nil || c != ':' {
			return cmp.Or(err, errSyntax)
		}
		c, err = s.next()
		if err != nil {
			return err
		}
		switch key {
		case "ops":
			if seenOps {
				return fmt.Errorf("%w: ops given twice", errSyntax)
			}
			seenOps = true
			if err := s.ops(c, p); err != nil {
				return err
			}
		case "batch":
			raw, err := s.value(c, 1024)
			if err != nil {
				return err
			}
			_ = json.Unmarshal(raw, &p.Batch)
		default:
			if _, err := s.value(c, -1); err != nil {
				return err
			}
		}
		c, err = s.next()
		if err != nil {
			return err
		}
		if c == '}' {
			break
		}
		if c != ',' {
			return errSyntax
		}
	}
	// Nothing but white space may follow.
	if _, err := s.next(); err != io.ErrUnexpectedEOF {
		if err != nil {
			return err
		}
		return fmt.Errorf("%w: trailing data after the value", errSyntax)
	}
	return nil
}

// ops reads the ops array (or null), whose first byte is c.
func (s *pushScanner) ops(c byte, p *Push) error {
	if c == 'n' {
		raw, err := s.value(c, 8)
		if err != nil || string(raw) != "null" {
			return cmp.Or(err, errSyntax)
		}
		return nil
	}
	if c != '[' {
		return fmt.Errorf("%w: ops is not an array", errSyntax)
	}
	for first := true; ; first = false {
		c, err := s.next()
		if err != nil {
			return err
		}
		if c == ']' && first {
			return nil
		}
		if len(p.Ops) == MaxBatchOps {
			return fmt.Errorf("%w: more than %d operations in one push", ErrTooLarge, MaxBatchOps)
		}
		raw, err := s.value(c, MaxOpBytes)
		if err != nil {
			return err
		}
		p.Ops = append(p.Ops, json.RawMessage(bytes.Clone(raw)))
		if c, err = s.next(); err != nil {
			return err
		}
		if c == ']' {
			return nil
		}
		if c != ',' {
			return errSyntax
		}
	}
}

// value reads the JSON value starting with c (already read). It tracks
// strings and nesting only; each operation is validated when decoded. With
// max >= 0 the value is kept (returned, valid until the next call) and
// refused with ErrTooLarge past max bytes; with max < 0 it is skipped.
func (s *pushScanner) value(c byte, max int) ([]byte, error) {
	keep := max >= 0
	s.buf = s.buf[:0]
	put := func(c byte) error {
		if keep {
			if len(s.buf) == max {
				return fmt.Errorf("%w: a value of more than %d bytes", ErrTooLarge, max)
			}
			s.buf = append(s.buf, c)
		}
		return nil
	}
	depth, inString, escaped := 0, false, false
	for {
		if err := put(c); err != nil {
			return nil, err
		}
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
				if depth == 0 {
					return s.buf, nil
				}
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth < 0 {
				return nil, errSyntax
			}
			if depth == 0 {
				return s.buf, nil
			}
		case depth == 0:
			// A scalar (number, true, false, null): up to a delimiter.
			n, err := s.r.Peek(1)
			if err == io.EOF || (err == nil && bytes.IndexByte([]byte(",]} \n\r\t"), n[0]) >= 0) {
				return s.buf, nil
			}
			if err != nil {
				return nil, err
			}
		}
		var err error
		if c, err = s.r.ReadByte(); err != nil {
			if err == io.EOF {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
}
