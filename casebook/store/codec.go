package store

import (
	"fmt"
	"sync"
)

// Codec is the one way every value of a casebook file (schema 3) is
// written and read: operations, case and dispute views, summaries,
// settings and device-local state. The store holds one and passes every
// value through it; nothing else reads or writes the bytes of a value.
//
// A stored value is one header byte saying how the rest is encoded, then
// the body:
//
//	0x01 packed JSON (pack.go): the JSON of an op, a view, a summary or the
//	     settings, packed
//	0x02 as given: bytes that are not JSON (device-local state)
//
// Encoding is a pipeline: first the value is made compact (packed), then,
// when the Codec has a Sealer, sealed. The Sealer (its cipher, the data
// key and where that key lives) is issue 17's (residents' data); the
// Codec already does the rest:
//
//   - A sealed value sets the header's high bit: 0x80|inner, where inner
//     (0x01, 0x02) is how the plaintext is encoded; the body is
//     Sealer.Seal's output (nonce, ciphertext, tag; a key id if the data
//     key can change). Compression comes before sealing, since ciphertext
//     does not compress.
//   - The associated data passed to Seal and Open is the value's place,
//     the bucket name, a zero byte and the key: a sealed value copied
//     under another key, or into another bucket, does not open.
//   - Decode opens a sealed value with the Sealer, and refuses one when
//     the Codec has none (the data key is not unlocked); it reads a plain
//     value whatever the Codec has, so that a file can be sealed value by
//     value (a migration with its backup, as schema 3 was).
//   - Keys, the index buckets and the meta bucket stay in the clear: keys
//     are ids, sequence numbers and index terms (status, category,
//     building, dates), not residents' data, and bbolt needs them to find
//     anything.
//
// A Codec is safe for concurrent use.
type Codec struct {
	seal Sealer
	pk   sync.Pool // *packer
	up   sync.Pool // *unpacker
}

// Sealer seals and opens values with an authenticated cipher under a data
// key (issue 17). ad binds a value to its place (Codec's doc comment).
type Sealer interface {
	Seal(dst, plain, ad []byte) ([]byte, error)
	Open(dst, sealed, ad []byte) ([]byte, error)
}

// Value encodings: the header byte of a stored value.
const (
	encPacked byte = 0x01
	encRaw    byte = 0x02
	encSealed byte = 0x80 // reserved for sealing: 0x80|inner
)

// NewCodec returns a codec; seal may be nil (values are not sealed).
func NewCodec(seal Sealer) *Codec {
	return &Codec{seal: seal,
		pk: sync.Pool{New: func() any { return newPacker() }},
		up: sync.Pool{New: func() any { return &unpacker{} }}}
}

// JSON encodes a JSON value (an op, a view, a summary, the settings) to
// be stored under key in bucket. A value that is not valid JSON is stored
// as given, so nothing is lost.
func (c *Codec) JSON(bucket, key, v []byte) ([]byte, error) {
	p := c.pk.Get().(*packer)
	out, ok := p.pack(append(make([]byte, 0, len(v)/3+16), encPacked), v)
	c.pk.Put(p)
	if !ok {
		out = append(append(make([]byte, 0, len(v)+1), encRaw), v...)
	}
	return c.sealed(bucket, key, out)
}

// Raw encodes bytes that are not JSON.
func (c *Codec) Raw(bucket, key, v []byte) ([]byte, error) {
	return c.sealed(bucket, key, append(append(make([]byte, 0, len(v)+1), encRaw), v...))
}

// sealed is the last step of encoding: sealing, when there is a Sealer.
func (c *Codec) sealed(bucket, key, enc []byte) ([]byte, error) {
	if c.seal == nil {
		return enc, nil
	}
	out, err := c.seal.Seal([]byte{encSealed | enc[0]}, enc[1:], place(bucket, key))
	if err != nil {
		return nil, fmt.Errorf("seal %s/%s: %w", bucket, clip(string(key)), err)
	}
	return out, nil
}

// Decode appends to dst the value stored under key in bucket as it was
// given to JSON or Raw. A stored value it cannot read is an error
// wrapping ErrCorrupt. stored may point into the mapped file: the result
// never does, so it outlives the transaction.
func (c *Codec) Decode(dst, bucket, key, stored []byte) ([]byte, error) {
	if len(stored) == 0 {
		return dst, fmt.Errorf("%w: %s/%s: empty value", ErrCorrupt, bucket, clip(string(key)))
	}
	if stored[0]&encSealed != 0 {
		if c.seal == nil {
			return dst, fmt.Errorf("%w: %s/%s is sealed and no key is open", ErrCorrupt, bucket, clip(string(key)))
		}
		plain, err := c.seal.Open([]byte{stored[0] &^ encSealed}, stored[1:], place(bucket, key))
		if err != nil {
			return dst, fmt.Errorf("%w: %s/%s does not open: %v", ErrCorrupt, bucket, clip(string(key)), err)
		}
		stored = plain
	}
	switch stored[0] {
	case encRaw:
		return append(dst, stored[1:]...), nil
	case encPacked:
		u := c.up.Get().(*unpacker)
		out, err := u.unpack(dst, stored[1:])
		c.up.Put(u)
		if err != nil {
			return dst, fmt.Errorf("%w: %s/%s: %v", ErrCorrupt, bucket, clip(string(key)), err)
		}
		return out, nil
	}
	return dst, fmt.Errorf("%w: %s/%s: unknown encoding %#x", ErrCorrupt, bucket, clip(string(key)), stored[0])
}

// place is the associated data of a value for a Sealer: its bucket and key.
func place(bucket, key []byte) []byte {
	return append(append(append(make([]byte, 0, len(bucket)+1+len(key)), bucket...), 0), key...)
}
