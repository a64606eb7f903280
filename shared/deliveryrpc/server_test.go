package deliveryrpc_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	deliveryv1 "github.com/chis-dev/chis/proto/chis/delivery/v1"
	"github.com/chis-dev/chis/shared/clock"
	"github.com/chis-dev/chis/shared/deliveryrpc"
	"github.com/chis-dev/chis/shared/queue"
	"github.com/chis-dev/chis/shared/storage"
	"github.com/chis-dev/chis/shared/testenv"
)

const token = "test-internal-token"

// serve runs the real service on a loopback port and returns its address
// and the store behind it.
func serve(t *testing.T) (string, *storage.Store, uuid.UUID) {
	t.Helper()

	store, _ := testenv.NewStore(t)
	q, _ := testenv.NewQueue(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	srv := grpc.NewServer(grpc.UnaryInterceptor(deliveryrpc.TokenInterceptor(token)))
	deliveryv1.RegisterDeliveryServiceServer(srv,
		deliveryrpc.NewService(store, q, clock.System{}, log, 1024))

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}

	go func() { _ = srv.Serve(l) }()
	t.Cleanup(srv.Stop)

	return l.Addr().String(), store, newOrgIn(t, store)
}

func newOrgIn(t *testing.T, store *storage.Store) uuid.UUID {
	t.Helper()

	u := storage.User{ID: uuid.New(), Email: testenv.RandomHex(4) + "@example.com",
		PasswordHash: "x", FirstName: "D", CreatedAt: time.Now()}
	if _, err := store.Register(context.Background(), u, storage.NewOrg{
		Name: "D", Slug: "d-" + testenv.RandomHex(3), SigningSecret: "whsec_x"}); err != nil {
		t.Fatal(err)
	}

	m, err := store.Membership(context.Background(), u.ID, uuid.Nil)
	if err != nil {
		t.Fatal(err)
	}

	return m.ID
}

func request(orgID uuid.UUID) *deliveryv1.QueueMessageRequest {
	return &deliveryv1.QueueMessageRequest{OrgId: orgID.String(), Url: "https://example.com/h",
		Payload: []byte(`{"a":1}`)}
}

// Calls without the internal token, or with a wrong one, are refused and
// store nothing; the right token is served.
func TestInternalTokenIsRequired(t *testing.T) {
	t.Parallel()

	addr, store, orgID := serve(t)
	ctx := context.Background()

	plain, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = plain.Close() }()

	_, err = deliveryv1.NewDeliveryServiceClient(plain).QueueMessage(ctx, request(orgID))
	if status.Code(err) != codes.Unauthenticated {
		t.Fatalf("call without a token: %v, want Unauthenticated", err)
	}

	wrong, _ := deliveryrpc.Dial(addr, "not-the-token")
	defer func() { _ = wrong.Close() }()

	_, err = wrong.QueueMessage(ctx, request(orgID))
	if status.Code(err) != codes.Unauthenticated {
		t.Fatalf("call with a wrong token: %v, want Unauthenticated", err)
	}

	if rows, _, _ := store.ListMessages(ctx, orgID, storage.LogFilter{Limit: 10}); len(rows) != 0 {
		t.Fatalf("refused calls stored %d messages", len(rows))
	}

	good, _ := deliveryrpc.Dial(addr, token)
	defer func() { _ = good.Close() }()

	resp, err := good.QueueMessage(ctx, request(orgID))
	if err != nil || resp.GetStatus() != storage.StatePending {
		t.Fatalf("call with the token: %v, %v", resp, err)
	}
}

// Delivery checks its input itself: it trusts no caller.
func TestInvalidMessagesAreRefused(t *testing.T) {
	t.Parallel()

	addr, _, orgID := serve(t)
	c, _ := deliveryrpc.Dial(addr, token)
	defer func() { _ = c.Close() }()

	bad := map[string]func(r *deliveryv1.QueueMessageRequest){
		"org id":      func(r *deliveryv1.QueueMessageRequest) { r.OrgId = "x" },
		"scheme":      func(r *deliveryv1.QueueMessageRequest) { r.Url = "ftp://example.com/" },
		"method":      func(r *deliveryv1.QueueMessageRequest) { r.Method = "GET" },
		"payload":     func(r *deliveryv1.QueueMessageRequest) { r.Payload = []byte(`{`) },
		"encoding":    func(r *deliveryv1.QueueMessageRequest) { r.Payload = []byte("\"\xff\"") },
		"size":        func(r *deliveryv1.QueueMessageRequest) { r.Payload = make([]byte, 2048) },
		"unknown org": func(r *deliveryv1.QueueMessageRequest) { r.OrgId = uuid.NewString() },
	}

	for name, change := range bad {
		req := request(orgID)
		change(req)

		_, err := c.QueueMessage(context.Background(), req)
		if status.Code(err) != codes.InvalidArgument {
			t.Errorf("%s: %v, want InvalidArgument", name, err)
		}
	}
}

// Commit, then enqueue: with Redis unreachable the message is still accepted
// (it is durable), and it is left for the very next sweep to queue.
func TestAcceptedWhileRedisIsDown(t *testing.T) {
	t.Parallel()

	store, _ := testenv.NewStore(t)
	deadRedis, err := queue.Connect("redis://127.0.0.1:1/0", "chis-test")
	if err != nil {
		t.Fatal(err)
	}

	svc := deliveryrpc.NewService(store, deadRedis, clock.System{},
		slog.New(slog.NewTextHandler(io.Discard, nil)), 1024)
	orgID := newOrgIn(t, store)

	resp, err := svc.QueueMessage(context.Background(), request(orgID))
	if err != nil {
		t.Fatalf("QueueMessage with Redis down: %v, want it accepted", err)
	}

	ids, err := store.DueIDs(context.Background(), time.Now(), time.Hour, 10)
	if err != nil || len(ids) != 1 || ids[0].String() != resp.GetMessageId() {
		t.Fatalf("next sweep finds %v, %v; want the accepted message at once", ids, err)
	}
}
