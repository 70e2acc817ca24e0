package roster

import "context"

type requestIDKey struct{}

// WithRequestID returns ctx carrying the id of the request being served, as
// set by the transport (API Gateway's request id in Lambda).
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestIDFrom returns the request id in ctx, or "" when there is none.
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
