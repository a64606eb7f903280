// Package migrations embeds the SQL schema of Chis, applied in order by goose
// (see shared/storage.Migrate). Files are never edited once released; a change
// is a new file.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
