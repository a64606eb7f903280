package outbound

import (
	"bytes"
	"io"
	"net/http"
	"unicode/utf8"
)

// drainLimit is how much of an unread body the client reads and discards so
// the connection can go back to the pool. Reading more than that costs more
// than opening a new connection.
const drainLimit = 4 << 10

// readBody reads at most limit bytes of the body, plus one to learn whether
// there was more. It returns the sanitised bytes and whether they are not the
// whole body. A read error, the deadline included, ends the read: the bytes
// so far are kept and marked truncated.
func readBody(resp *http.Response, limit int) ([]byte, bool) {
	raw, err := io.ReadAll(io.LimitReader(resp.Body, int64(limit)+1))

	truncated := err != nil || len(raw) > limit
	if len(raw) > limit {
		raw = raw[:limit]
		drain(resp, int64(len(raw))+1)
	}

	body, cut := sanitise(raw, limit, truncated)

	return body, truncated || cut
}

// drain reads the rest of a body whose announced length is near what was
// read, so that Close keeps the connection alive; an HTTP/1 connection with
// unread bytes is closed instead. Lying or large lengths are not drained.
func drain(resp *http.Response, read int64) {
	left := resp.ContentLength - read
	if resp.ContentLength < 0 || left < 0 || left > drainLimit {
		return
	}

	_, _ = io.CopyN(io.Discard, resp.Body, left+1)
}

// sanitise makes raw valid UTF-8 without NUL, since attempts are stored in
// Postgres text columns, which refuse both. Invalid bytes and NUL become
// U+FFFD, so a reader sees that something was there. A multi-byte character
// cut by truncation is dropped rather than shown as garbage. A replacement
// takes three bytes, so the result can grow; it is stopped at limit, and cut
// then reports that the body lost its tail.
func sanitise(raw []byte, limit int, truncated bool) (clean []byte, cut bool) {
	if utf8.Valid(raw) && bytes.IndexByte(raw, 0) < 0 {
		return raw, false
	}

	out := make([]byte, 0, min(limit, 3*len(raw)))
	for len(raw) > 0 {
		r, size := utf8.DecodeRune(raw)
		if r == utf8.RuneError && truncated && !utf8.FullRune(raw) {
			break
		}

		if r == 0 || (r == utf8.RuneError && size == 1) {
			r = utf8.RuneError
		}

		if len(out)+utf8.RuneLen(r) > limit {
			return out, true
		}

		out = utf8.AppendRune(out, r)
		raw = raw[size:]
	}

	return out, false
}
