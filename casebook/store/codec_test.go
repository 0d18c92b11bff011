package store

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"testing"
)

// gcmSealer is a test Sealer: AES-GCM with a random nonce before the
// ciphertext, as issue 17's sealer might be.
type gcmSealer struct{ aead cipher.AEAD }

func newGCMSealer(t *testing.T) *gcmSealer {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	return &gcmSealer{aead: aead}
}

func (g *gcmSealer) Seal(dst, plain, ad []byte) ([]byte, error) {
	nonce := make([]byte, g.aead.NonceSize())
	_, _ = rand.Read(nonce)
	return g.aead.Seal(append(dst, nonce...), nonce, plain, ad), nil
}

func (g *gcmSealer) Open(dst, sealed, ad []byte) ([]byte, error) {
	n := g.aead.NonceSize()
	if len(sealed) < n {
		return nil, errors.New("short")
	}
	return g.aead.Open(dst, sealed[:n], sealed[n:], ad)
}

// TestCodec: values round-trip plain and sealed; a sealed value opens only
// in its place and with the key; a plain value reads whatever the codec.
func TestCodec(t *testing.T) {
	plain, sealed := NewCodec(nil), NewCodec(newGCMSealer(t))
	js := []byte(`{"id":"01KWBZHA80YPJTBV6HBWSGQTGS","summary":"楼道漏水","at":"2026-03-02T06:30:00Z"}`)
	for _, c := range []*Codec{plain, sealed} {
		enc, err := c.JSON(bucketCases, []byte("k1"), js)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := c.Decode(nil, bucketCases, []byte("k1"), enc); err != nil || !bytes.Equal(got, js) {
			t.Fatalf("round trip: %v %s", err, got)
		}
		raw, _ := c.Raw(bucketLocal, []byte("k"), []byte{0, 1, 2})
		if got, err := c.Decode(nil, bucketLocal, []byte("k"), raw); err != nil || !bytes.Equal(got, []byte{0, 1, 2}) {
			t.Fatalf("raw: %v %x", err, got)
		}
		if bytes.Contains(enc, []byte("楼道漏水")) == (c == sealed) {
			t.Fatalf("sealed %v, but the value shows: %x", c == sealed, enc)
		}
	}
	enc, _ := sealed.JSON(bucketCases, []byte("k1"), js)
	if enc[0] != encSealed|encPacked {
		t.Fatalf("header %#x", enc[0])
	}
	for name, try := range map[string]func() error{
		"other key":    func() error { _, err := sealed.Decode(nil, bucketCases, []byte("k2"), enc); return err },
		"other bucket": func() error { _, err := sealed.Decode(nil, bucketDisputes, []byte("k1"), enc); return err },
		"no key":       func() error { _, err := plain.Decode(nil, bucketCases, []byte("k1"), enc); return err },
		"empty":        func() error { _, err := plain.Decode(nil, bucketCases, []byte("k1"), nil); return err },
		"unknown":      func() error { _, err := plain.Decode(nil, bucketCases, []byte("k1"), []byte{0x7b}); return err },
	} {
		if err := try(); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A plain value (a file sealed value by value) reads with a key open.
	penc, _ := plain.JSON(bucketCases, []byte("k1"), js)
	if got, err := sealed.Decode(nil, bucketCases, []byte("k1"), penc); err != nil || !bytes.Equal(got, js) {
		t.Fatalf("plain under a sealing codec: %v", err)
	}
	// Not JSON: kept as given.
	bad := []byte(`{"a":`)
	enc, _ = plain.JSON(bucketCases, []byte("k1"), bad)
	if got, err := plain.Decode(nil, bucketCases, []byte("k1"), enc); err != nil || !bytes.Equal(got, bad) || enc[0] != encRaw {
		t.Fatalf("not JSON: %v %q", err, got)
	}
}
