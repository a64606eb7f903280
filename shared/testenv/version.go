package testenv

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"

	"github.com/chis-dev/chis/migrations"
)

// migrationsVersion names the template after the migration files' content,
// so a changed migration gets a fresh template instead of a stale one.
func migrationsVersion() string {
	h := sha256.New()

	_ = fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}

		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}

		h.Write([]byte(path))
		h.Write(b)

		return nil
	})

	return hex.EncodeToString(h.Sum(nil))[:12]
}
