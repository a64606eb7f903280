package deliveryrpc

import (
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/credentials/insecure"

	deliveryv1 "github.com/chis-dev/chis/proto/chis/delivery/v1"
)

// retryUnavailable lets calls ride over a Delivery cold start or restart:
// UNAVAILABLE means nothing was stored, so trying again is safe.
const retryUnavailable = `{
  "methodConfig": [{
    "name": [{"service": "chis.delivery.v1.DeliveryService"}],
    "retryPolicy": {
      "maxAttempts": 4,
      "initialBackoff": "0.2s",
      "maxBackoff": "1s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }]
}`

// Client is a connection to Delivery.
type Client struct {
	deliveryv1.DeliveryServiceClient

	conn *grpc.ClientConn
}

// Dial returns a client for the Delivery service at addr that authenticates
// with token. It connects lazily, so Delivery may start later than the API.
func Dial(addr, token string, opts ...grpc.DialOption) (*Client, error) {
	opts = append([]grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithPerRPCCredentials(tokenCreds(token)),
		grpc.WithDefaultServiceConfig(retryUnavailable),
		// Reconnect within a second or so of Delivery coming back, rather
		// than after gRPC's default backoff of up to two minutes, which
		// would outlast the retries above and answer 503 meanwhile.
		grpc.WithConnectParams(grpc.ConnectParams{
			Backoff: backoff.Config{BaseDelay: 100 * time.Millisecond, Multiplier: 1.6,
				Jitter: 0.2, MaxDelay: time.Second},
			MinConnectTimeout: 2 * time.Second,
		}),
	}, opts...)

	conn, err := grpc.NewClient(addr, opts...)
	if err != nil {
		return nil, fmt.Errorf("dial delivery: %w", err)
	}

	return &Client{DeliveryServiceClient: deliveryv1.NewDeliveryServiceClient(conn), conn: conn},
		nil
}

// Conn is the underlying connection, for health checks.
func (c *Client) Conn() *grpc.ClientConn { return c.conn }

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }
