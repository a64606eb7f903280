// Package chaos is the fault-injection suite: it runs the real Chis
// processes against a private PostgreSQL and Redis and a real receiver,
// holds a steady load, breaks things on purpose (SIGKILLed processes, two
// sweepers, an emptied or restarted Redis, a stopped PostgreSQL), and then
// counts, from the receiver's log and the database, whether any message that
// got a 201 was lost or stranded.
//
// `make test` runs a short version; `make chaos` a longer one
// (CHIS_CHAOS_SECONDS of load per scenario at CHIS_CHAOS_RATE webhooks a
// second).
package chaos
