package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
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

// ParsePush reads a Push body without decoding each operation: the body
// must be one JSON object; its "ops" member, an array, is split into its
// elements, each returned as its raw bytes (checked later, one by one, by
// decoding it into an operation). Other members are skipped. It is the
// hub's fast path for large pushes; anything it cannot read is refused.
func ParsePush(body []byte) (Push, error) {
	var p Push
	i := skipWS(body, 0)
	if i >= len(body) || body[i] != '{' {
		return p, errSyntax
	}
	i = skipWS(body, i+1)
	seenOps := false
	if i < len(body) && body[i] == '}' {
		i++
	} else {
		for {
			if i >= len(body) || body[i] != '"' {
				return p, errSyntax
			}
			end, err := skipString(body, i)
			if err != nil {
				return p, err
			}
			var key string
			if err := json.Unmarshal(body[i:end], &key); err != nil {
				return p, errSyntax
			}
			i = skipWS(body, end)
			if i >= len(body) || body[i] != ':' {
				return p, errSyntax
			}
			i = skipWS(body, i+1)
			switch key {
			case "ops":
				if seenOps {
					return p, fmt.Errorf("%w: ops given twice", errSyntax)
				}
				seenOps = true
				if bytes.HasPrefix(body[i:], []byte("null")) {
					i += 4
					break
				}
				if i >= len(body) || body[i] != '[' {
					return p, fmt.Errorf("%w: ops is not an array", errSyntax)
				}
				i = skipWS(body, i+1)
				if i < len(body) && body[i] == ']' {
					i++
					break
				}
				for {
					end, err := skipValue(body, i)
					if err != nil {
						return p, err
					}
					p.Ops = append(p.Ops, json.RawMessage(body[i:end]))
					i = skipWS(body, end)
					if i < len(body) && body[i] == ',' {
						i = skipWS(body, i+1)
						continue
					}
					if i < len(body) && body[i] == ']' {
						i++
						break
					}
					return p, errSyntax
				}
			default:
				end, err := skipValue(body, i)
				if err != nil {
					return p, err
				}
				if key == "batch" {
					_ = json.Unmarshal(body[i:end], &p.Batch)
				}
				i = end
			}
			i = skipWS(body, i)
			if i < len(body) && body[i] == ',' {
				i = skipWS(body, i+1)
				continue
			}
			if i < len(body) && body[i] == '}' {
				i++
				break
			}
			return p, errSyntax
		}
	}
	if skipWS(body, i) != len(body) {
		return p, fmt.Errorf("%w: trailing data after the value", errSyntax)
	}
	return p, nil
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i] == '"'.
func skipString(b []byte, i int) (int, error) {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		}
	}
	return 0, errSyntax
}

// skipValue returns the index after the JSON value starting at b[i]. It
// tracks strings and nesting only; each value is validated when decoded.
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errSyntax
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, err := skipString(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errSyntax
	default:
		j := i
		for j < len(b) && !bytes.ContainsRune([]byte(",]} \n\r\t"), rune(b[j])) {
			j++
		}
		if j == i {
			return 0, errSyntax
		}
		return j, nil
	}
}
