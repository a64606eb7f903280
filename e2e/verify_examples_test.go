package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The README's Node and Python verification examples, exactly as written
// there, accept a real delivery, and reject it once the body is changed.
func TestREADMEVerificationExamples(t *testing.T) {
	t.Parallel()

	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))
	payload := `{"event":"test","data":{"id":123},"note":"café ✓"}`
	id := tn.send(t, rcv.URL, payload)
	tn.waitFinal(t, id, 15*time.Second)

	d := rcv.deliveries()[0]
	input := map[string]any{
		"body":   string(d.body),
		"secret": tn.secret,
		"headers": map[string]string{
			"x-webhook-id":        d.header.Get("X-Webhook-ID"),
			"x-webhook-timestamp": d.header.Get("X-Webhook-Timestamp"),
			"x-webhook-signature": d.header.Get("X-Webhook-Signature"),
		},
	}

	languages := []struct {
		name, tool, fence, driver string
	}{
		{"node", "node", "javascript", nodeDriver},
		{"python", "python3", "python", pythonDriver},
	}

	for _, lang := range languages {
		t.Run(lang.name, func(t *testing.T) {
			t.Parallel()

			if _, err := exec.LookPath(lang.tool); err != nil {
				t.Skipf("%s not installed", lang.tool)
			}

			code := codeBlock(t, string(readme), lang.fence) + "\n" + lang.driver
			if got := runExample(t, lang.tool, code, input); got != "true" {
				t.Fatalf("%s example says %q for a real delivery, want true", lang.name, got)
			}

			tampered := map[string]any{"body": string(d.body) + " ", "secret": tn.secret,
				"headers": input["headers"]}
			if got := runExample(t, lang.tool, code, tampered); got != "false" {
				t.Fatalf("%s example says %q for a changed body, want false", lang.name, got)
			}
		})
	}
}

// nodeDriver calls the README's function with the test's input on stdin.
// timingSafeEqual throws on a length mismatch; none happens here.
const nodeDriver = `
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
console.log(String(verifyWebhook(input.body, input.headers, input.secret)));
`

const pythonDriver = `
import json, sys
data = json.load(sys.stdin)
print(str(verify_webhook(data["body"], data["headers"], data["secret"])).lower())
`

// codeBlock returns the first fenced block of that language in the README.
func codeBlock(t *testing.T, doc, lang string) string {
	t.Helper()

	re := regexp.MustCompile("(?s)```" + lang + "\n(.*?)```")
	m := re.FindStringSubmatch(doc)
	if m == nil {
		t.Fatalf("README has no %s block", lang)
	}

	return m[1]
}

func runExample(t *testing.T, tool, code string, input any) string {
	t.Helper()

	in, _ := json.Marshal(input)

	arg := "-e"
	if tool == "python3" {
		arg = "-c"
	}

	cmd := exec.Command(tool, arg, code)
	cmd.Stdin = bytes.NewReader(in)

	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}

	return strings.TrimSpace(string(out))
}
