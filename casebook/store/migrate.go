package store

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"

	"go.etcd.io/bbolt"

	"casebook/casebook"
)

// Schema history:
//
//	1  the layout above without disputes/. A version-1 build keeps
//	   "dispute." ops in the log (they sync on) but has no view of them.
//	2  adds disputes/. The migration from 1 creates the bucket and replays
//	   the dispute ops already in the log into it. The version is raised
//	   (rather than the bucket made on first use) so that a version-1 build,
//	   which would log dispute ops without updating their views, refuses the
//	   file with ErrTooNew instead of leaving the views behind the log.
//	3  every value through the Codec (codec.go): ops, views, summaries and
//	   settings packed (pack.go), local state behind a header byte; fill
//	   factors for the buckets written in key order. The migration from 2
//	   writes every value anew into a new file (rewrite), which takes the
//	   file's place: the old file becomes the copy FILE.v2.bak, and the new
//	   one has no free pages (a 100,000-case casebook went from 823 MB to
//	   the size BenchmarkFileSize100k reports).

// SchemaVersion is the version of the file layout this build writes. A file
// with an older version is migrated forward at open (after a copy is saved
// next to it); a newer one is refused with ErrTooNew.
const SchemaVersion = 3

// rewriteFrom is the version that the rewrite into a new file upgrades:
// from rewriteFrom to rewriteFrom+1.
const rewriteFrom = 2

// Test hooks: the version this build writes and the migrations it knows.
var (
	schemaVersion = SchemaVersion
	// migrations[N] upgrades an open file from schema version N to N+1 in
	// place, inside the one transaction that also records the new version
	// (all but rewriteFrom, which rewrite does).
	migrations = map[int]func(tx *bbolt.Tx) error{1: migrateDisputes}
)

// migrateDisputes upgrades schema 1 to 2: it makes the disputes bucket and
// fills it from the dispute ops a version-1 build kept in the log.
func migrateDisputes(tx *bbolt.Tx) error { return rebuildRecords(tx, disputeKind) }

// rebuildRecords makes the bucket of a kind of record afresh from the kind's
// ops in the log: the migration that adds a kind. Views are derived data
// only, so a bucket already there is rebuilt.
func rebuildRecords[R record](tx *bbolt.Tx, k *recordKind[R]) error {
	if tx.Bucket(k.bucket) != nil {
		if err := tx.DeleteBucket(k.bucket); err != nil {
			return err
		}
	}
	bk, err := tx.CreateBucket(k.bucket)
	if err != nil {
		return err
	}
	opsB := tx.Bucket(bucketOps)
	if opsB == nil {
		return fmt.Errorf("%w: no log", ErrCorrupt)
	}
	views, err := k.replayLog(func(fn func(*casebook.Op) error) error { return eachLogOp(opsB, k.family, fn) })
	if err != nil {
		return fmt.Errorf("replay %ss: %w", k.family, err)
	}
	for id, r := range views {
		raw, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encode %s %s: %w", k.family, id, err)
		}
		if err := bk.Put([]byte(id), raw); err != nil {
			return err
		}
	}
	return nil
}

// eachLogOp calls fn with every op of one family in the log, in order.
func eachLogOp(opsB *bbolt.Bucket, fam string, fn func(*casebook.Op) error) error {
	c := opsB.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var head struct{ Kind casebook.OpKind }
		if err := json.Unmarshal(v, &head); err != nil {
			return fmt.Errorf("%w: log entry %x does not decode", ErrCorrupt, k)
		}
		if family(head.Kind) != fam {
			continue
		}
		var op casebook.Op
		if err := json.Unmarshal(v, &op); err != nil {
			return fmt.Errorf("%w: log entry %x does not decode", ErrCorrupt, k)
		}
		if err := fn(&op); err != nil {
			return err
		}
	}
	return nil
}

// migrate brings an open file from schema version from up to
// schemaVersion and returns it open (a new *bbolt.DB when the file was
// rewritten; db is then closed). A failure leaves the file as it was,
// except that the steps before a rewrite stay done (a version-1 file stays
// a whole version-2 file): the error says where the copy is.
//
// The in-place steps save a byte copy at <path>.v<from>.bak first (the
// file is locked, so it is not changing) and run in one transaction. The
// rewrite (from rewriteFrom) writes a new file beside the old one, runs
// the later in-place steps on it, and then puts it in the old one's place:
// the old file itself becomes <path>.v<from>.bak when from is rewriteFrom.
func migrate(db *bbolt.DB, path string, from int, codec *Codec, o *openOptions) (*bbolt.DB, error) {
	bak := fmt.Sprintf("%s.v%d.bak", path, from)
	what := fmt.Sprintf("upgrade %s from version %d to %d", path, from, schemaVersion)
	fail := func(err error) (*bbolt.DB, error) {
		_ = db.Close()
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	for v := from; v < schemaVersion; v++ {
		if v != rewriteFrom && migrations[v] == nil {
			return fail(fmt.Errorf("no migration from version %d (the file is unchanged)", v))
		}
	}
	if from != rewriteFrom {
		if err := copyFile(path, bak); err != nil {
			return fail(fmt.Errorf("save a copy first: %w", err))
		}
	}
	v := from
	if v < rewriteFrom {
		to := min(rewriteFrom, schemaVersion)
		if err := inPlace(db, v, to); err != nil {
			return fail(fmt.Errorf("%w (the file is unchanged; a copy is at %s)", err, bak))
		}
		v = to
	}
	if v != rewriteFrom || schemaVersion == rewriteFrom {
		if err := inPlace(db, v, schemaVersion); err != nil {
			return fail(fmt.Errorf("%w (the file is unchanged; a copy is at %s)", err, bak))
		}
		return db, nil
	}
	ndb, err := rewrite(db, path, from, bak, codec, o)
	if err != nil {
		return fail(err)
	}
	return ndb, nil
}

// inPlace runs the in-place migrations from version from to to in one
// transaction, which also records the new version.
func inPlace(db *bbolt.DB, from, to int) error {
	if from >= to {
		return nil
	}
	return updateTx(db, "migrate", func(tx *bbolt.Tx) error {
		for v := from; v < to; v++ {
			if err := migrations[v](tx); err != nil {
				return fmt.Errorf("version %d to %d: %w", v, v+1, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return fmt.Errorf("%w: no meta bucket", ErrCorrupt)
		}
		return meta.Put(keyVersion, []byte(strconv.Itoa(to)))
	})
}

// copyFile copies src to dst through a temporary file, so dst is either
// the whole copy or absent.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return writeAtomic(dst, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}
