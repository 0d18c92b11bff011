package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"go.etcd.io/bbolt"

	"casebook/casebook"
)

// rewriteBatch is how many keys the rewrite puts in one transaction of the
// new file: the dirty pages of a transaction stay in memory until it
// commits.
const rewriteBatch = 20000

// rewrite upgrades the open file db at path from version rewriteFrom: it
// writes every bucket into a new file beside it, in key order with full
// pages, each value through codec (rewriteValue); runs the in-place
// migrations after that on the new file; and then puts the new file in
// the old one's place. The old file becomes bak when it is the file the
// user had (from == rewriteFrom); an older file was copied to its own bak
// before the steps that led here. Until the new file is in place the old
// one is untouched, so a failure (a full disk) loses nothing. It returns
// the new file open; db is closed once the new file is complete.
//
// Between closing the old file and opening the new one the file is not
// locked (Windows cannot rename over an open file): another Casebook
// opening it just then gets the upgraded file, and this one ErrLocked.
func rewrite(db *bbolt.DB, path string, from int, bak string, codec *Codec, o *openOptions) (*bbolt.DB, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".upgrade-*")
	if err != nil {
		return nil, err
	}
	tmp := f.Name()
	_ = f.Close()
	done := false
	defer func() {
		if !done {
			_ = os.Remove(tmp)
		}
	}()
	// No fsync per batch: the file is synced once, whole, before it is used.
	ndb, err := bbolt.Open(tmp, 0o600, &bbolt.Options{NoSync: true, InitialMmapSize: initialMmapSize})
	if err != nil {
		return nil, err
	}
	err = guard("rewrite", func() error { return copyAll(db, ndb, codec) })
	if err == nil {
		err = inPlace(ndb, rewriteFrom+1, schemaVersion)
	}
	if err == nil {
		err = ndb.Sync()
	}
	if cerr := ndb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("%w (the file is unchanged)", err)
	}
	if from == rewriteFrom {
		if err := keepAs(path, bak); err != nil {
			return nil, fmt.Errorf("save a copy first: %w (the file is unchanged)", err)
		}
	}
	_ = db.Close()
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("put the upgraded file in place: %w (the file is unchanged)", err)
	}
	done = true
	syncDir(dir)
	return openDB(path, o, false)
}

// keepAs makes bak a name of the file at path (a hard link: no copy of a
// large file), or a copy where links are not supported. The file at path
// is about to be replaced, so bak keeps the only name of the old one.
func keepAs(path, bak string) error {
	if err := os.Remove(bak); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Link(path, bak); err == nil {
		return nil
	}
	return copyFile(path, bak)
}

// copyAll copies every top-level bucket of src into the empty file dst,
// values through rewriteValue, and records the new version.
func copyAll(src, dst *bbolt.DB, codec *Codec) error {
	return src.View(func(stx *bbolt.Tx) error {
		err := stx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			return copyBucket(dst, name, b, codec)
		})
		if err != nil {
			return err
		}
		return dst.Update(func(tx *bbolt.Tx) error {
			meta := tx.Bucket(bucketMeta)
			if meta == nil {
				return fmt.Errorf("%w: no meta bucket", ErrCorrupt)
			}
			return meta.Put(keyVersion, []byte(strconv.Itoa(rewriteFrom+1)))
		})
	})
}

// copyBucket copies a top-level bucket, rewriteBatch keys a transaction.
func copyBucket(dst *bbolt.DB, name []byte, src *bbolt.Bucket, codec *Codec) error {
	c := src.Cursor()
	k, v := c.First()
	first := true
	for first || k != nil {
		err := dst.Update(func(tx *bbolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists(name)
			if err != nil {
				return err
			}
			b.FillPercent = 1 // appended in key order
			if first {
				if err := b.SetSequence(src.Sequence()); err != nil {
					return err
				}
			}
			for n := 0; k != nil && n < rewriteBatch; n++ {
				if v == nil {
					err = copyNested(b, k, src.Bucket(k))
				} else {
					var enc []byte
					if enc, err = rewriteValue(codec, name, k, v); err == nil {
						err = b.Put(k, enc)
					}
				}
				if err != nil {
					return err
				}
				k, v = c.Next()
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("copy %s: %w", name, err)
		}
		first = false
	}
	return nil
}

// copyNested copies a nested bucket as it is (the casebook has none; one
// from a newer version is kept, not understood).
func copyNested(parent *bbolt.Bucket, name []byte, src *bbolt.Bucket) error {
	if src == nil {
		return fmt.Errorf("%w: bucket %q vanished", ErrCorrupt, name)
	}
	b, err := parent.CreateBucket(name)
	if err != nil {
		return err
	}
	if err := b.SetSequence(src.Sequence()); err != nil {
		return err
	}
	return src.ForEach(func(k, v []byte) error {
		if v == nil {
			return copyNested(b, k, src.Bucket(k))
		}
		return b.Put(k, v)
	})
}

// rewriteValue is a value of a schema-2 bucket as schema 3 stores it: the
// JSON values through the codec, summaries in the compact form
// (EncodeSummary), local state behind its header, the rest (meta, op ids,
// indexes: keys and sequence numbers) as it was. A summary that does not
// decode is kept as it was, for Check to report.
func rewriteValue(codec *Codec, bucket, k, v []byte) ([]byte, error) {
	switch string(bucket) {
	case string(bucketSummaries):
		var s casebook.Summary
		if NewSummaryDecoder().Decode(v, &s) == nil {
			return codec.Raw(bucket, k, EncodeSummary(&s))
		}
		return codec.JSON(bucket, k, v)
	case string(bucketOps), string(bucketCases), string(bucketSettings), string(bucketDisputes):
		return codec.JSON(bucket, k, v)
	case string(bucketLocal):
		return codec.Raw(bucket, k, v)
	}
	return v, nil
}
