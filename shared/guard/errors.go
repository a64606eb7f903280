package guard

import "errors"

// The sentinels below are what callers match with errors.Is. Every error the
// package returns wraps exactly one of them, so the API can turn it into a 422
// and the delivery client into the "blocked" class. Messages built around
// them name the host or address at most, never userinfo, path or query.
var (
	// ErrInvalidURL means the target cannot be parsed or has no host.
	ErrInvalidURL = errors.New("invalid url")

	// ErrScheme means the scheme is neither http nor https.
	ErrScheme = errors.New("unsupported scheme")

	// ErrAmbiguousHost means the host is a numeric form that a C resolver
	// would read as an IPv4 address (127.1, 2130706433, 0x7f000001, ...).
	ErrAmbiguousHost = errors.New("ambiguous host")

	// ErrBlockedAddress means the target is, or resolves to, an address that
	// is not public and not on the operator's allow-list.
	ErrBlockedAddress = errors.New("blocked address")
)
