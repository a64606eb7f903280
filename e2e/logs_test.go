package e2e

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chis-dev/chis/shared/signing"
)

// logs lists the tenant's webhook log with the given query.
func (tn tenant) logs(t *testing.T, query url.Values) logList {
	t.Helper()

	var l logList
	callJSON(t, 200, "GET", "/api/webhook-logs?"+query.Encode(), tn.bearer(), "", &l)

	if l.Data == nil {
		t.Fatalf("log page with %v has data null, want a list", query)
	}

	return l
}

func TestLogPaging(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))

	var sent []string
	for range 5 {
		sent = append(sent, tn.send(t, rcv.URL, `{}`))
	}

	newestFirst := slices.Clone(sent)
	slices.Reverse(newestFirst)

	all := tn.logs(t, nil)
	if all.Total != 5 || all.Page != 1 || all.Limit != 20 || all.TotalPages != 1 ||
		!slices.Equal(all.ids(), newestFirst) {
		t.Fatalf("default page: total %d page %d limit %d pages %d ids %v, want %v",
			all.Total, all.Page, all.Limit, all.TotalPages, all.ids(), newestFirst)
	}

	var paged []string
	for page, want := range []int{2, 2, 1, 0} {
		l := tn.logs(t, url.Values{"limit": {"2"}, "page": {strconv.Itoa(page + 1)}})
		if l.Total != 5 || l.TotalPages != 3 || l.Page != page+1 || l.Limit != 2 ||
			len(l.Data) != want {
			t.Fatalf("page %d: total %d pages %d page %d limit %d rows %d, want %d rows",
				page+1, l.Total, l.TotalPages, l.Page, l.Limit, len(l.Data), want)
		}

		paged = append(paged, l.ids()...)
	}

	if !slices.Equal(paged, newestFirst) {
		t.Fatalf("pages together give %v, want %v", paged, newestFirst)
	}

	empty := newTenant(t).logs(t, nil)
	if empty.Total != 0 || empty.TotalPages != 0 || len(empty.Data) != 0 {
		t.Fatalf("empty log: %+v", empty)
	}
}

// The status filter and the URL search, with % and _ taken literally.
func TestLogFilters(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	ok := newReceiver(t, always(200))
	gone := newReceiver(t, always(410))

	underscore := tn.send(t, ok.URL+"/x_y", `{}`)
	lookalike := tn.send(t, ok.URL+"/xzy", `{}`)
	percent := tn.send(t, ok.URL+"/off%25set", `{}`)
	decoy := tn.send(t, ok.URL+"/off-25set", `{}`)
	failed := tn.send(t, gone.URL+"/Gone_Path", `{}`)

	for _, id := range []string{underscore, lookalike, percent, decoy, failed} {
		tn.waitFinal(t, id, 15*time.Second)
	}

	cases := []struct {
		query url.Values
		want  []string
	}{
		{url.Values{"status": {"failed"}}, []string{failed}},
		{url.Values{"status": {"success"}}, []string{decoy, percent, lookalike, underscore}},
		{url.Values{"status": {"pending"}}, []string{}},
		{url.Values{"search": {"x_y"}}, []string{underscore}},
		{url.Values{"search": {"X_Y"}}, []string{underscore}},
		{url.Values{"search": {"f%25s"}}, []string{percent}},
		{url.Values{"search": {"%"}}, []string{percent}},
		{url.Values{"search": {"_"}}, []string{failed, underscore}},
		{url.Values{"search": {`\`}}, []string{}},
		{url.Values{"search": {"gone_path"}, "status": {"failed"}}, []string{failed}},
		{url.Values{"search": {"gone_path"}, "status": {"success"}}, []string{}},
		{url.Values{"search": {"no such url"}}, []string{}},
	}

	for _, c := range cases {
		l := tn.logs(t, c.query)
		if got := l.ids(); l.Total != len(c.want) || !slices.Equal(got, c.want) {
			t.Errorf("%v: total %d ids %v, want %v", c.query, l.Total, got, c.want)
		}
	}
}

// Search terms PostgreSQL text cannot hold (NUL, bytes that are not UTF-8)
// match nothing or are refused; they are never a 500.
func TestLogSearchWithUnstorableText(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	tn.send(t, newReceiver(t, always(200)).URL, `{}`)

	for _, term := range []string{"\x00", "a\x00b", "\xff", "\xc3"} {
		q := url.Values{"search": {term}}.Encode()
		status, body := call(t, "GET", "/api/webhook-logs?"+q, tn.bearer(), "")

		switch status {
		case 200:
			var l logList
			if mustDecode(t, body, &l); l.Total != 0 {
				t.Errorf("search %q matched %d messages", term, l.Total)
			}
		case 422:
			wantError(t, status, body, 422, "search")
		default:
			t.Errorf("search %q: status %d: %s", term, status, body)
		}
	}
}

func TestLogQueryValidation(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)

	cases := map[string][]string{
		"status=bogus":                 {"status"},
		"status=SUCCESS":               {"status"},
		"limit=0":                      {"limit"},
		"limit=101":                    {"limit"},
		"limit=-1":                     {"limit"},
		"limit=ten":                    {"limit"},
		"page=0":                       {"page"},
		"page=-3":                      {"page"},
		"page=1.5":                     {"page"},
		"page=99999999999999999999999": {"page"},
		"from=yesterday":               {"from"},
		"to=2026-13-01T00:00:00Z":      {"to"},
		"status=x&limit=0&page=0":      {"limit", "page", "status"},
	}

	for query, fields := range cases {
		status, body := call(t, "GET", "/api/webhook-logs?"+query, tn.bearer(), "")
		wantError(t, status, body, 422, fields...)
	}

	// The last page allowed, far past the data, is an empty page.
	l := tn.logs(t, url.Values{"page": {"1000000"}, "limit": {"100"}})
	if len(l.Data) != 0 || l.Page != 1000000 {
		t.Fatalf("far page: %+v", l)
	}
}

// Stats count by outcome; the success rate is over final messages only.
func TestStatsAfterKnownOutcomes(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	ok := newReceiver(t, always(200))
	gone := newReceiver(t, always(410))

	var st stats
	callJSON(t, 200, "GET", "/api/dashboard/stats", tn.bearer(), "", &st)

	if st != (stats{}) {
		t.Fatalf("stats of a new organisation: %+v", st)
	}

	ids := []string{tn.send(t, ok.URL, `1`), tn.send(t, ok.URL, `2`), tn.send(t, gone.URL, `3`)}
	for _, id := range ids {
		tn.waitFinal(t, id, 15*time.Second)
	}

	callJSON(t, 200, "GET", "/api/dashboard/stats", tn.bearer(), "", &st)

	want := stats{TotalWebhooksSent: 2, TotalWebhooksFailed: 1, SuccessRate: 66.67}
	if st != want {
		t.Fatalf("stats %+v, want %+v", st, want)
	}
}

// Detail answers for the id and for the msg_<id> that deliveries carry, with
// the attempts in order.
func TestLogDetail(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))

	var resp struct{ MessageID string }
	callJSON(t, 201, "POST", "/webhook/send", tn.key(), `{"url":"`+rcv.URL+`/d?q=1",`+
		`"payload":{"b":1, "a":[2]},"method":"PATCH","eventType":"thing.done"}`, &resp)
	tn.waitFinal(t, resp.MessageID, 15*time.Second)

	var byID, byWebhookID struct {
		ID, Method, URL, Status, EventType string
		AttemptCount                       int
		NextRetryAt                        *time.Time
		DeliveryAttempts                   []struct {
			AttemptNumber int
			StatusCode    *int
			ResponseBody  string
		}
	}

	webhookID := rcv.deliveries()[0].header.Get(signing.HeaderID)
	callJSON(t, 200, "GET", "/api/webhook-logs/"+resp.MessageID, tn.bearer(), "", &byID)
	callJSON(t, 200, "GET", "/api/webhook-logs/"+webhookID, tn.bearer(), "", &byWebhookID)

	if byID.ID != resp.MessageID || byWebhookID.ID != byID.ID || byID.Method != "PATCH" ||
		byID.URL != rcv.URL+"/d?q=1" || byID.EventType != "thing.done" ||
		byID.Status != "success" || byID.AttemptCount != 1 || byID.NextRetryAt != nil ||
		len(byID.DeliveryAttempts) != 1 {
		t.Fatalf("detail %+v", byID)
	}

	a := byID.DeliveryAttempts[0]
	if a.AttemptNumber != 1 || a.StatusCode == nil || *a.StatusCode != 200 ||
		a.ResponseBody != `{"ok":true}` {
		t.Fatalf("attempt %+v", a)
	}

	// The list row shows the same message with its latest attempt.
	rows := tn.logs(t, nil).Data
	if len(rows) != 1 {
		t.Fatalf("log has %d rows, want 1", len(rows))
	}

	row := rows[0]
	if row.ID != resp.MessageID || row.Endpoint != byID.URL || row.Status != "success" ||
		row.StatusCode == nil || *row.StatusCode != 200 || row.Method != "PATCH" ||
		row.EventType != "thing.done" || row.AttemptCount != 1 {
		t.Fatalf("log row %+v", row)
	}
}

// The detail shows the payload as it was sent and delivered: payloadText
// holds the exact bytes (a tenant comparing it with what their receiver
// logged sees the same text), and payload the same JSON value, never
// HTML-escaped.
func TestLogDetailShowsPayloadAsSent(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))
	payload := `{"b":1, "a":[2], "html":"<b>&</b>"}`

	id := tn.send(t, rcv.URL, payload)
	tn.waitFinal(t, id, 15*time.Second)

	_, body := call(t, "GET", "/api/webhook-logs/"+id, tn.bearer(), "")

	var d struct {
		Payload     json.RawMessage
		PayloadText string
	}
	mustDecode(t, body, &d)

	if got := rcv.deliveries(); len(got) != 1 || string(got[0].body) != payload {
		t.Fatalf("receiver got %d deliveries, want one of %s", len(got), payload)
	}

	if d.PayloadText != payload {
		t.Fatalf("detail shows the payload text as %s; it was sent and delivered as %s",
			d.PayloadText, payload)
	}

	if string(d.Payload) != `{"b":1,"a":[2],"html":"<b>&</b>"}` {
		t.Fatalf("detail payload %s, want the same value, unescaped", d.Payload)
	}
}

func TestTimeseries(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, func(n int) int {
		if n == 1 {
			return 500
		}

		return 200
	})
	gone := newReceiver(t, always(410))

	tn.waitFinal(t, tn.send(t, rcv.URL, `1`), 15*time.Second)
	tn.waitFinal(t, tn.send(t, gone.URL, `2`), 15*time.Second)

	var series struct {
		Window        string
		BucketSeconds int
		Points        []struct {
			Time                     time.Time
			Success, Failed, Retried int
			P50Ms, P95Ms, P99Ms      *float64
		}
	}
	callJSON(t, 200, "GET", "/api/dashboard/timeseries?window=1h", tn.bearer(), "", &series)

	if series.Window != "1h" || series.BucketSeconds != 60 || len(series.Points) != 60 {
		t.Fatalf("window %q, bucket %d s, %d points; want 1h, 60, 60",
			series.Window, series.BucketSeconds, len(series.Points))
	}

	var success, failed, retried int
	for i, p := range series.Points {
		success, failed, retried = success+p.Success, failed+p.Failed, retried+p.Retried

		if i > 0 && p.Time.Sub(series.Points[i-1].Time) != time.Minute {
			t.Fatalf("points %d and %d are %v apart", i-1, i, p.Time.Sub(series.Points[i-1].Time))
		}

		empty := p.Success+p.Failed+p.Retried == 0
		if empty != (p.P50Ms == nil) || (p.P50Ms != nil && (*p.P50Ms > *p.P95Ms ||
			*p.P95Ms > *p.P99Ms)) {
			t.Fatalf("point %d: %+v", i, p)
		}
	}

	last := series.Points[len(series.Points)-1].Time
	if success != 1 || failed != 1 || retried != 1 || time.Since(last) > 2*time.Minute ||
		last.After(time.Now()) {
		t.Fatalf("series counts %d success, %d failed, %d retried, last point %v",
			success, failed, retried, last)
	}

	callJSON(t, 200, "GET", "/api/dashboard/timeseries", tn.bearer(), "", &series)

	if series.Window != "24h" || len(series.Points) != 48 {
		t.Fatalf("default window %q with %d points, want 24h with 48",
			series.Window, len(series.Points))
	}

	for _, w := range []string{"bogus", "1H", "0", "-1h"} {
		status, body := call(t, "GET", "/api/dashboard/timeseries?window="+w, tn.bearer(), "")
		wantError(t, status, body, 422, "window")
	}
}
