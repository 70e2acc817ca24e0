package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	roster "github.com/rosterhq/roster/shared"
	accounts "github.com/rosterhq/roster/shared/accounts"
	"github.com/rosterhq/roster/shared/audit"
	exports "github.com/rosterhq/roster/shared/exports"
	"github.com/rosterhq/roster/shared/groups"
	"github.com/rosterhq/roster/shared/imports"
	"github.com/rosterhq/roster/shared/training"
)

// SessionCookie is the name of the HttpOnly cookie holding the session token.
const SessionCookie = "roster_session"

// API holds what the handlers need. Build it once per process.
type API struct {
	Service  *roster.Service
	Accounts *accounts.Service
	Exports  *exports.Service
	Audit    *audit.Service
	Groups   *groups.Service
	Training *training.Service
	Imports  *imports.Service
	Log      *slog.Logger
	// SecureCookies marks the session cookie Secure; true everywhere but the
	// local dev server on plain-HTTP loopback.
	SecureCookies bool
	// OriginSecret is the secret CloudFront sends in OriginSecretHeader
	// (ORIGIN_SECRET). When set, requests without it are refused and
	// CloudFront's viewer address is the client's; empty on the dev server.
	OriginSecret string
}

// Handler returns every route of the API on one mux, as the dev server serves them.
func (a *API) Handler() http.Handler {
	return a.mux(Routes)
}

// FunctionHandler returns a mux holding only the routes of one function, so that
// path values, 404 and 405 behave in Lambda exactly as on the dev server. It
// fails for a function the route table does not name.
func (a *API) FunctionHandler(function string) (http.Handler, error) {
	var routes []Route
	for _, rt := range Routes {
		if rt.Function == function {
			routes = append(routes, rt)
		}
	}
	if len(routes) == 0 {
		return nil, fmt.Errorf("httpapi: no route for function %q", function)
	}
	return a.mux(routes), nil
}

func (a *API) mux(routes []Route) http.Handler {
	mux := http.NewServeMux()
	allowed := map[string][]string{}
	origins := a.crossOriginProtection()
	for _, rt := range routes {
		mux.Handle(rt.Pattern(), a.serve(rt, origins))
		allowed[rt.Path] = append(allowed[rt.Path], rt.Method)
	}
	// A known path with another method: 405 with the methods it takes.
	for path, methods := range allowed {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			if a.refusesDirectCalls(r) {
				a.writeError(w, r, roster.Forbidden(directCallRefused))
				return
			}
			w.Header().Set("Allow", strings.Join(methods, ", "))
			a.writeError(w, r, roster.MethodNotAllowed("%s takes %s", path, strings.Join(methods, ", ")))
		})
	}
	// Unmatched /api paths answer in the API's JSON error shape.
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if a.refusesDirectCalls(r) {
			a.writeError(w, r, roster.Forbidden(directCallRefused))
			return
		}
		a.writeError(w, r, roster.NotFound("no such API path"))
	})
	return mux
}

// crossOriginProtection refuses state-changing requests from other sites:
// browsers say where a request comes from (Sec-Fetch-Site, else Origin),
// and only the same origin, or APP_URL's, may change anything. APP_URL's
// origin is trusted by name because behind CloudFront the Host a function
// sees is API Gateway's, not the site's.
func (a *API) crossOriginProtection() *http.CrossOriginProtection {
	c := http.NewCrossOriginProtection()
	if a.Service.AppURL == "" {
		return c
	}
	u, err := url.Parse(a.Service.AppURL)
	if err == nil {
		err = c.AddTrustedOrigin(u.Scheme + "://" + u.Host)
	}
	if err != nil {
		a.Log.Error("APP_URL is not an origin: requests from it are refused unless they come through its own host", "err", err)
	}
	return c
}

// crossOriginRefused is what a refused cross-origin request reads.
const crossOriginRefused = "this request came from another site, so it was refused: use Roster from its own address"

// serve adapts a route's handler: request id, the CloudFront origin secret
// (when configured), origin check, session, access check, error mapping,
// and one log line per request.
func (a *API) serve(rt Route, origins *http.CrossOriginProtection) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ctx := r.Context()
		requestID := roster.RequestIDFrom(ctx)
		if requestID == "" {
			requestID = roster.NewRandomID()
			ctx = roster.WithRequestID(ctx, requestID)
		}
		rec := &statusRecorder{ResponseWriter: w}
		rec.Header().Set("Cache-Control", "no-store")
		var err error
		if a.refusesDirectCalls(r) {
			err = roster.Forbidden(directCallRefused)
		} else if origins.Check(r) != nil {
			err = roster.Forbidden(crossOriginRefused)
		} else {
			ctx, err = a.authorize(ctx, rt, r)
		}
		r = r.WithContext(ctx)
		if err == nil {
			err = rt.handle(a, rec, r)
		}
		if err != nil {
			a.writeError(rec, r, err)
		}
		// The path is logged as its pattern: query strings may hold search text.
		a.Log.LogAttrs(ctx, slog.LevelInfo, "request",
			slog.String("request", requestID),
			slog.String("route", rt.Pattern()),
			slog.Int("status", rec.status),
			slog.Duration("duration", time.Since(start)),
		)
	})
}

type principalKey struct{}

// openBeforePasswordChange are the functions a user signed in with a
// one-time password may call (logout needs no session at all).
var openBeforePasswordChange = map[string]bool{"me": true, "change-password": true, "logout-everywhere": true}

// authorize checks the session and the route's access level, and puts the
// principal in the request's context for the handler.
func (a *API) authorize(ctx context.Context, rt Route, r *http.Request) (context.Context, error) {
	if rt.Access == Public {
		return ctx, nil
	}
	p, err := a.Accounts.Authenticate(ctx, sessionToken(r), roster.RequestIDFrom(ctx))
	if err != nil {
		return ctx, err
	}
	if p.PasswordChangeRequired && !openBeforePasswordChange[rt.Function] {
		return ctx, roster.Forbidden("change your one-time password first")
	}
	if rt.Access == Admin && !p.Role.IsAdmin() {
		return ctx, roster.Forbidden("this needs an administrator")
	}
	if rt.Access == Owner && p.Role != roster.RoleOwner {
		return ctx, roster.Forbidden("this needs an owner")
	}
	return context.WithValue(ctx, principalKey{}, p), nil
}

// principal returns the signed-in caller of an authorized route.
func principal(r *http.Request) *roster.Principal {
	p, _ := r.Context().Value(principalKey{}).(*roster.Principal)
	return p
}

func sessionToken(r *http.Request) string {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

// statusByCode maps the error vocabulary to HTTP statuses: the only such table.
var statusByCode = map[roster.Code]int{
	roster.CodeBadRequest:   http.StatusBadRequest,
	roster.CodeInvalid:      http.StatusUnprocessableEntity,
	roster.CodeUnauthorized: http.StatusUnauthorized,
	roster.CodeForbidden:    http.StatusForbidden,
	roster.CodeNotFound:     http.StatusNotFound,
	roster.CodeConflict:     http.StatusConflict,
	roster.CodeGone:         http.StatusGone,
	roster.CodeTooLarge:     http.StatusRequestEntityTooLarge,
	roster.CodeTooMany:      http.StatusTooManyRequests,
	roster.CodeMethod:       http.StatusMethodNotAllowed,
	roster.CodeInternal:     http.StatusInternalServerError,
}

type errorBody struct {
	Error errorJSON `json:"error"`
}

type errorJSON struct {
	Code      roster.Code `json:"code"`
	Message   string      `json:"message"`
	Field     string      `json:"field,omitempty"`
	RequestID string      `json:"requestId,omitempty"`
}

// writeError answers with the JSON error shape. Internal errors are logged with
// their cause and shown only as a generic message with the request id.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *roster.Error
	if !errors.As(err, &e) {
		e = roster.Internal(err, "unexpected error")
	}
	body := errorJSON{Code: e.Code, Message: e.Message, Field: e.Field, RequestID: roster.RequestIDFrom(r.Context())}
	if e.Code == roster.CodeInternal {
		a.Log.ErrorContext(r.Context(), "internal error", "request", body.RequestID, "err", err)
		body.Message = "something went wrong on our side; try again, and quote the request id if it persists"
	}
	status, ok := statusByCode[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if e.Code == roster.CodeTooMany && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((e.RetryAfter+time.Second-1)/time.Second)))
	}
	writeJSON(w, status, errorBody{Error: body})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}
