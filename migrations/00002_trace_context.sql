-- +goose Up

-- The W3C traceparent of the request that accepted the message, so that each
-- delivery attempt joins the trace that began at the API. NULL when tracing
-- was off at the time.
ALTER TABLE messages ADD COLUMN traceparent text;

-- +goose Down

ALTER TABLE messages DROP COLUMN traceparent;
