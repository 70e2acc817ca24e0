package roster

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an Error. Transport layers map each code to exactly one status.
type Code string

// The error vocabulary of the whole project.
const (
	CodeBadRequest   Code = "bad_request"        // the request itself is malformed: JSON, unknown field, bad cursor
	CodeInvalid      Code = "invalid"            // well-formed, but a field's value is wrong or the state refuses it
	CodeUnauthorized Code = "unauthorized"       // no valid session, or bad credentials
	CodeForbidden    Code = "forbidden"          // a valid session that may not do this
	CodeNotFound     Code = "not_found"          // no such thing in the caller's organization
	CodeConflict     Code = "conflict"           // a stale version, or a duplicate of a unique value
	CodeGone         Code = "gone"               // a link that was used already or has expired
	CodeTooLarge     Code = "too_large"          // the request body exceeds its limit
	CodeTooMany      Code = "too_many_requests"  // too many attempts: wait RetryAfter and try again
	CodeMethod       Code = "method_not_allowed" // the path exists, but not with this method
	CodeInternal     Code = "internal"           // anything else; its text never reaches a user
)

// Error is an error a person can read. Field names the offending input field in
// the API's spelling (for example "email" or "filter.location"), when there is one.
type Error struct {
	Code    Code
	Field   string
	Message string
	// RetryAfter, for CodeTooMany, is how long to wait before trying again.
	RetryAfter time.Duration
	cause      error
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Message
	if e.Field != "" {
		s = string(e.Code) + ": " + e.Field + ": " + e.Message
	}
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	return s
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.cause }

// Invalid reports a bad value in the named field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound reports that the named thing does not exist for the caller.
func NotFound(format string, args ...any) *Error {
	return &Error{Code: CodeNotFound, Message: fmt.Sprintf(format, args...)}
}

// Conflict reports a clash with the stored state, naming the field when there is one.
func Conflict(field, format string, args ...any) *Error {
	return &Error{Code: CodeConflict, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Unauthorized reports a missing session or failed sign-in.
func Unauthorized(format string, args ...any) *Error {
	return &Error{Code: CodeUnauthorized, Message: fmt.Sprintf(format, args...)}
}

// Forbidden reports that the caller may not do this.
func Forbidden(format string, args ...any) *Error {
	return &Error{Code: CodeForbidden, Message: fmt.Sprintf(format, args...)}
}

// BadRequest reports a request that cannot be read, naming the field when there is one.
func BadRequest(field, format string, args ...any) *Error {
	return &Error{Code: CodeBadRequest, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Gone reports a link that was used already or has expired.
func Gone(format string, args ...any) *Error {
	return &Error{Code: CodeGone, Message: fmt.Sprintf(format, args...)}
}

// TooMany reports too many attempts; the caller may try again after wait.
func TooMany(wait time.Duration, format string, args ...any) *Error {
	return &Error{Code: CodeTooMany, Message: fmt.Sprintf(format, args...), RetryAfter: wait}
}

// TooLarge reports a request body over its limit.
func TooLarge(format string, args ...any) *Error {
	return &Error{Code: CodeTooLarge, Message: fmt.Sprintf(format, args...)}
}

// MethodNotAllowed reports a known path called with a method it does not take.
func MethodNotAllowed(format string, args ...any) *Error {
	return &Error{Code: CodeMethod, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected failure with context. Its text is logged, never shown.
func Internal(cause error, format string, args ...any) *Error {
	return &Error{Code: CodeInternal, Message: fmt.Sprintf(format, args...), cause: cause}
}

// ErrLastOwner refuses a change that would leave the organization with no
// owner holding ownership (User.HoldsOwnership): demoting, deactivating,
// archiving or deleting its last owner, or giving them an expiration date.
// The store checks it in the same transaction as the change; errors.Is
// recognizes it.
var ErrLastOwner = &Error{Code: CodeConflict, Message: "the organization's last owner with access must stay one: make another owner first"}

// ErrorCode returns the Code of err, or CodeInternal when err is not an *Error.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// IsCode reports whether err carries the given code.
func IsCode(err error, code Code) bool { return err != nil && ErrorCode(err) == code }
