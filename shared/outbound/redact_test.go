package outbound

import "testing"

// TestRedact checks the second line of defence: whatever text a library or
// a receiver put in a message, the URL's secrets are replaced, and parts too
// short to be secrets are left alone so the message stays readable.
func TestRedact(t *testing.T) {
	t.Parallel()

	const raw = "https://alice:hunter22@hooks.example.com/T0/PATHSECRET?token=QSECRET&v=1#FRAG"
	tests := []struct {
		name, msg, want string
	}{
		{"whole url", "Post \"" + raw + "\": EOF", "Post \"[redacted]\": EOF"},
		{"password", "auth hunter22 refused", "auth [redacted] refused"},
		{"userinfo", "user alice:hunter22", "user [redacted]"},
		{"path", "GET /T0/PATHSECRET failed", "GET [redacted] failed"},
		{"query", "bad query token=QSECRET&v=1", "bad query [redacted]"},
		{"query value", "token QSECRET expired", "token [redacted] expired"},
		{"fragment", "anchor FRAG", "anchor [redacted]"},
		{"short parts stay", "v=1 at 127.0.0.1", "v=1 at 127.0.0.1"},
		{"host stays", "no such host hooks.example.com", "no such host hooks.example.com"},
		{"empty", "", ""},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			if got := redact(tt.msg, raw); got != tt.want {
				t.Errorf("redact(%q) = %q, want %q", tt.msg, got, tt.want)
			}
		})
	}
}
