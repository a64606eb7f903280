package deploycheck

import (
	"fmt"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

// knativeParser reads schedules as Knative Eventing 1.13 and later do, both
// when it validates a PingSource and when its adapter runs one: an optional
// seconds field in front of the usual five, and descriptors like @hourly.
var knativeParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour |
	cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// legacyParser reads schedules as Eventing before 1.13 does: five fields.
var legacyParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month |
	cron.Dow | cron.Descriptor)

// firesEvery checks that schedule, read by p, fires every period and at no
// other time, over a span that crosses a minute and an hour.
func firesEvery(p cron.Parser, schedule string, period time.Duration) error {
	s, err := p.Parse(schedule)
	if err != nil {
		return fmt.Errorf("schedule %q: %w", schedule, err)
	}

	at := time.Date(2026, time.March, 29, 0, 58, 3, 0, time.UTC)
	prev := s.Next(at)

	for range 40 {
		next := s.Next(prev)
		if gap := next.Sub(prev); gap != period {
			return fmt.Errorf("schedule %q fires at %s then %s (%v apart), want every %v",
				schedule, prev.Format(time.TimeOnly), next.Format(time.TimeOnly), gap, period)
		}

		prev = next
	}

	return nil
}

// TestScheduleFiresEvery5Seconds reads the PingSource's schedule as Knative
// reads it, and lists when it fires.
func TestScheduleFiresEvery5Seconds(t *testing.T) {
	t.Parallel()

	ps := pingSource(t, readTree(t)["knative/pingsource.yaml"])
	if err := firesEvery(knativeParser, ps.Spec.Schedule, 5*time.Second); err != nil {
		t.Fatal(err)
	}

	s, _ := knativeParser.Parse(ps.Spec.Schedule)
	at := time.Date(2026, time.January, 1, 12, 0, 58, 0, time.UTC)
	var fired []string

	for range 5 {
		at = s.Next(at)
		fired = append(fired, at.Format(time.TimeOnly))
	}

	want := "[12:01:00 12:01:05 12:01:10 12:01:15 12:01:20]"
	if got := fmt.Sprint(fired); got != want {
		t.Fatalf("fires at %s, want %s", got, want)
	}
}

// TestMinuteFallback shows why knative/minute-ping exists: Eventing before
// 1.13 refuses the seconds field, and takes the overlay's schedule, which
// fires every minute on old and new Eventing alike.
func TestMinuteFallback(t *testing.T) {
	t.Parallel()

	tr := readTree(t)
	five := pingSource(t, tr["knative/pingsource.yaml"]).Spec.Schedule
	minute := pingSource(t, tr[minutePatch]).Spec.Schedule

	if _, err := legacyParser.Parse(five); err == nil {
		t.Errorf("%q parses without a seconds field; the fallback would be pointless", five)
	}

	for name, p := range map[string]cron.Parser{"legacy": legacyParser, "knative": knativeParser} {
		if err := firesEvery(p, minute, time.Minute); err != nil {
			t.Errorf("%s parser: %v", name, err)
		}
	}
}

func pingSource(t *testing.T, data []byte) *object {
	t.Helper()

	objs, err := parseObjects("pingsource", data)
	if err != nil || len(objs) != 1 || objs[0].Kind != "PingSource" {
		t.Fatalf("want one PingSource, got %d objects (%v)", len(objs), err)
	}

	return objs[0]
}
