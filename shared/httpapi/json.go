package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// MaxBodyBytes bounds every request body; larger ones get 413.
const MaxBodyBytes = 256 << 10

// readBody reads a JSON request body, refusing a wrong content type, an
// oversized body and an empty one.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return nil, roster.BadRequest("", "the body must be JSON (Content-Type: application/json)")
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, roster.TooLarge("the body must be at most %d KiB", MaxBodyBytes>>10)
	}
	if err != nil {
		return nil, roster.BadRequest("", "the body could not be read")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, roster.BadRequest("", "a JSON body is required")
	}
	return body, nil
}

// decodeBody reads the body into dst, refusing unknown fields and trailing data
// with an error that names the field.
func decodeBody(w http.ResponseWriter, r *http.Request, dst any) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	return decodeJSON(body, "", dst)
}

// decodeNoFields reads the body of a POST that takes no fields: empty, or
// an empty JSON object.
func decodeNoFields(w http.ResponseWriter, r *http.Request) error {
	if r.ContentLength == 0 {
		return nil
	}
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	return decodeJSON(body, "", &struct{}{})
}

// decodeJSON decodes data strictly; prefix is put before field names in errors.
func decodeJSON(data []byte, prefix string, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err, prefix)
	}
	if _, err := dec.Token(); err != io.EOF {
		return roster.BadRequest(strings.TrimSuffix(prefix, "."), "must hold one JSON value and nothing after it")
	}
	return nil
}

// jsonError turns a decoding error into one a person can act on.
func jsonError(err error, prefix string) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var fieldErr *roster.Error
	switch {
	case errors.As(err, &fieldErr):
		fieldErr.Field = strings.TrimSuffix(prefix+fieldErr.Field, ".")
		return fieldErr
	case errors.As(err, &syntax):
		return roster.BadRequest(strings.TrimSuffix(prefix, "."), "is not valid JSON (at byte %d)", syntax.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return roster.BadRequest(strings.TrimSuffix(prefix, "."), "is not valid JSON (it ends too early)")
	case errors.As(err, &typ):
		field := prefix + typ.Field
		if typ.Field == "" {
			return roster.BadRequest(strings.TrimSuffix(prefix, "."), "must be a JSON %s", jsonKind(typ.Type.Kind().String()))
		}
		return roster.BadRequest(field, "must be a JSON %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return roster.BadRequest(prefix+name, "is not a known field")
	}
	return roster.BadRequest(strings.TrimSuffix(prefix, "."), "is not valid JSON")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "slice", "array":
		return "array"
	case "struct", "map", "ptr":
		return "object"
	case "bool":
		return "boolean"
	}
	return "number"
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// parseTime reads an optional timestamp: RFC 3339, or a plain date meaning
// midnight UTC. nil or "" reads as no time.
func parseTime(field string, s *string) (*time.Time, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if v, err := time.Parse(layout, *s); err == nil {
			v = v.UTC()
			return &v, nil
		}
	}
	return nil, roster.Invalid(field, "must be a date (2026-12-31) or a time (2026-12-31T17:00:00Z)")
}

// patch is a JSON object read field by field, so that an absent field and a
// null one can be told apart.
type patch map[string]json.RawMessage

// decodePatch reads a JSON object whose keys must all be in allowed.
func decodePatch(w http.ResponseWriter, r *http.Request, allowed ...string) (patch, error) {
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	var p patch
	if err := decodeJSON(body, "", &p); err != nil {
		return nil, err
	}
	for _, k := range slices.Sorted(maps.Keys(p)) {
		if !slices.Contains(allowed, k) {
			return nil, roster.BadRequest(k, "is not a known field here")
		}
	}
	return p, nil
}

// optional reads one field of a patch; null reads as T's zero value.
func optional[T any](p patch, name string) (roster.Optional[T], error) {
	raw, ok := p[name]
	if !ok {
		return roster.Optional[T]{}, nil
	}
	var v T
	if string(raw) != "null" {
		if err := json.Unmarshal(raw, &v); err != nil {
			return roster.Optional[T]{}, jsonError(err, name+".")
		}
	}
	return roster.Optional[T]{Set: true, Value: v}, nil
}

// queryParams reads single-valued query parameters, refusing unknown and
// repeated ones with an error naming the parameter.
func queryParams(q url.Values, allowed ...string) (map[string]string, error) {
	out := make(map[string]string, len(q))
	for k, vs := range q {
		if !slices.Contains(allowed, k) {
			return nil, roster.BadRequest(k, "is not a known query parameter (known: %s)", strings.Join(allowed, ", "))
		}
		if len(vs) > 1 {
			return nil, roster.BadRequest(k, "must be given once")
		}
		out[k] = vs[0]
	}
	return out, nil
}

// readPage reads the limit and cursor parameters of a paged listing.
func readPage(q map[string]string, maxLimit int) (roster.PageRequest, error) {
	page := roster.PageRequest{Cursor: q["cursor"]}
	s, ok := q["limit"]
	if !ok {
		return page, nil
	}
	n, err := atoi("limit", s)
	if err != nil {
		return page, err
	}
	if n < 1 || n > maxLimit {
		return page, roster.Invalid("limit", "must be between 1 and %d", maxLimit)
	}
	page.Limit = n
	return page, nil
}

// atoi reads a non-negative integer parameter.
func atoi(field, s string) (int, error) {
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil || fmt.Sprint(n) != s || n < 0 {
		return 0, roster.BadRequest(field, "must be a whole number")
	}
	return n, nil
}
