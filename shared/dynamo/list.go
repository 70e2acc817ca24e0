package dynamo

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
)

// A listing reads one or more index key ranges (sources) and merges them in
// sort-key order. Every user index sort key has the shape
// "<bucket>#<token>#<id>", so keys from different indexes compare
// meaningfully and a single key is enough to resume: the cursor.

// source is one key range of one index.
type source struct {
	index    string
	pkAttr   string
	pk       string
	skAttr   string
	lower    string // inclusive
	upper    string // inclusive
	keysOnly bool   // the index holds memberships: users are fetched by id
	rank     int    // for a text search, the position of this index's token; else -1
}

// searchIndexes are the indexes a text search reads, in the order of the
// tokens of roster.SearchTokens.
var searchIndexes = []struct{ index, skAttr string }{
	{kit.IndexByName, "nameSK"}, {kit.IndexByFirstName, "firstNameSK"}, {kit.IndexByEmail, "emailSK"}, {kit.IndexByUserID, "userIdSK"},
}

func bucketsFor(mode roster.ArchivedMode) []string {
	switch mode {
	case roster.ArchivedOnly:
		return []string{kit.BucketArchived}
	case roster.ArchivedInclude:
		return []string{kit.BucketActive, kit.BucketArchived}
	}
	return []string{kit.BucketActive}
}

// Drivers: what picks the index a listing reads. A facet driver is a
// counter facet ("group:<id>", "location:<id>", "state:<state>",
// "role:<role>" or "all").
const (
	driveSearch  = "search"
	driveExpired = "expired"
)

// driverFor returns the condition of f whose index is cheapest to read,
// reading the counters of f's conditions in one request. A text search and
// the Expired status have their own indexes and always drive.
func (s *Store) driverFor(ctx context.Context, orgID string, f roster.UserFilter) (string, error) {
	switch {
	case f.Query != "":
		return driveSearch, nil
	case f.Status == roster.StatusExpired:
		return driveExpired, nil
	}
	facets := indexedFacets(f)
	if len(facets) < 2 {
		return append(facets, "all")[0], nil
	}
	counts, err := s.facetCounts(ctx, orgID, f, facets)
	if err != nil {
		return "", err
	}
	// A group's index holds memberships: each member read costs a second
	// read for the user, so its range weighs double.
	cost := func(i int) int {
		if strings.HasPrefix(facets[i], "group:") || strings.HasPrefix(facets[i], "course:") {
			return 2 * counts[i]
		}
		return counts[i]
	}
	best := 0
	for i := range facets {
		if cost(i) < cost(best) {
			best = i
		}
	}
	return facets[best], nil
}

// indexedFacets returns the counter facets of f's conditions that an index serves.
func indexedFacets(f roster.UserFilter) []string {
	var out []string
	if f.GroupID != "" {
		out = append(out, "group:"+f.GroupID)
	}
	if f.CourseID != "" {
		out = append(out, "course:"+f.CourseID)
	}
	if f.LocationID != "" {
		out = append(out, "location:"+f.LocationID)
	}
	if f.Status != "" && f.Status != roster.StatusExpired {
		out = append(out, "state:"+string(f.Status))
	}
	if f.Role != "" {
		out = append(out, "role:"+string(f.Role))
	}
	return out
}

// bucketsOf returns the buckets that can hold users matching f: an archived
// user's status is archived, so a status leaves only the active roster.
func bucketsOf(f roster.UserFilter) []string {
	if f.Status != "" {
		return []string{kit.BucketActive}
	}
	return bucketsFor(f.Archived)
}

// facetCounts reads the counters of the facets, in f's buckets, in one request.
func (s *Store) facetCounts(ctx context.Context, orgID string, f roster.UserFilter, facets []string) ([]int, error) {
	buckets := bucketsOf(f)
	var keys []string
	for _, facet := range facets {
		for _, b := range buckets {
			keys = append(keys, roster.CounterKey(facet, counterBucket(b)))
		}
	}
	values, err := s.readCounters(ctx, orgID, keys...)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(facets))
	for i := range facets {
		for j := range buckets {
			out[i] += max(values[i*len(buckets)+j], 0)
		}
	}
	return out, nil
}

// plan returns the key ranges that hold every user matching f when driver
// picks the index; the filter's other conditions are checked on the users read.
func (s *Store) plan(orgID string, f roster.UserFilter, driver string, now time.Time) []source {
	var out []source
	prefix := func(index, pkAttr, pk, skAttr, p string, rank int) source {
		return source{index: index, pkAttr: pkAttr, pk: pk, skAttr: skAttr, lower: p, upper: p + kit.MaxRune, rank: rank}
	}
	for _, b := range bucketsOf(f) {
		switch kind, _, _ := strings.Cut(driver, ":"); kind {
		case driveSearch:
			for rank, ix := range searchIndexes {
				out = append(out, prefix(ix.index, "usersPK", orgID, ix.skAttr, b+"#"+f.Query, rank))
			}
		case driveExpired:
			out = append(out, expiredSource(orgID, b, now))
		case "group":
			src := prefix(kit.IndexByGroup, "groupPK", kit.FacetPK(orgID, driver), "nameSK", b+"#", -1)
			src.keysOnly = true
			out = append(out, src)
		case "course":
			src := prefix(kit.IndexByCourse, "coursePK", kit.FacetPK(orgID, driver), "nameSK", b+"#", -1)
			src.keysOnly = true
			out = append(out, src)
		case "location":
			out = append(out, prefix(kit.IndexByLocation, "locationPK", kit.FacetPK(orgID, driver), "nameSK", b+"#", -1))
		case "state":
			out = append(out, prefix(kit.IndexByState, "statePK", kit.FacetPK(orgID, driver), "nameSK", b+"#", -1))
		case "role":
			out = append(out, prefix(kit.IndexByRole, "rolePK", kit.FacetPK(orgID, driver), "nameSK", b+"#", -1))
		default:
			out = append(out, prefix(kit.IndexByName, "usersPK", orgID, "nameSK", b+"#", -1))
		}
	}
	return out
}

// expiredSource is the range of users of a bucket whose expiry has passed.
// The index holds only their state: users are fetched by id.
func expiredSource(orgID, bucket string, now time.Time) source {
	return source{index: kit.IndexByExpiry, pkAttr: "usersPK", pk: orgID, skAttr: "expirySK", lower: bucket + "#", upper: bucket + "#" + now.UTC().Format(time.RFC3339) + "#" + kit.MaxRune, keysOnly: true, rank: -1}
}

// entry is one user read from a source, with the sort key it was read at.
type entry struct {
	sk   string
	user *roster.User
}

// stream reads one source page by page.
type stream struct {
	src   source
	buf   []entry
	start map[string]types.AttributeValue
	done  bool
}

// merger yields the users of several sources in sort-key order, each user
// matching the filter once.
type merger struct {
	s       *Store
	f       roster.UserFilter
	now     time.Time
	after   string // resume strictly after this sort key
	batch   int32
	streams []*stream
}

func (s *Store) newMerger(orgID string, f roster.UserFilter, driver, after string, batch int) *merger {
	now := s.t.Now()
	m := &merger{s: s, f: f, now: now, after: after, batch: int32(min(max(batch, 1), 1000))}
	for _, src := range s.plan(orgID, f, driver, now) {
		m.streams = append(m.streams, &stream{src: src})
	}
	return m
}

// next returns the next matching user, or nil when the sources are exhausted.
func (m *merger) next(ctx context.Context) (*entry, error) {
	for {
		var best *stream
		for _, st := range m.streams {
			for len(st.buf) == 0 && !st.done {
				if err := m.fill(ctx, st); err != nil {
					return nil, err
				}
			}
			if len(st.buf) > 0 && (best == nil || st.buf[0].sk < best.buf[0].sk) {
				best = st
			}
		}
		if best == nil {
			return nil, nil
		}
		e := best.buf[0]
		best.buf = best.buf[1:]
		if m.keep(best.src, &e) {
			return &e, nil
		}
	}
}

// keep reports whether a user read from src belongs in the listing: it
// matches the filter and, in a text search, this is the one index that lists it.
func (m *merger) keep(src source, e *entry) bool {
	if !m.f.Matches(e.user, func() time.Time { return m.now }) {
		return false
	}
	if src.rank < 0 {
		return true
	}
	t := kit.TokenOf(e.sk)
	if roster.MatchedToken(e.user, m.f.Query) != t {
		return false
	}
	for i, tok := range roster.SearchTokens(e.user) {
		if tok == t {
			return i == src.rank
		}
	}
	return false
}

// fill reads the next page of a stream.
func (m *merger) fill(ctx context.Context, st *stream) error {
	lower := st.src.lower
	if m.after >= lower {
		lower = m.after
	}
	if lower > st.src.upper {
		st.done = true
		return nil
	}
	out, err := m.s.t.DB.Query(ctx, &dynamodb.QueryInput{
		TableName:                &m.s.t.Name,
		IndexName:                aws.String(st.src.index),
		KeyConditionExpression:   aws.String("#pk = :pk AND #sk BETWEEN :lo AND :hi"),
		ExpressionAttributeNames: map[string]string{"#pk": st.src.pkAttr, "#sk": st.src.skAttr},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: st.src.pk},
			":lo": &types.AttributeValueMemberS{Value: lower},
			":hi": &types.AttributeValueMemberS{Value: st.src.upper},
		},
		ExclusiveStartKey: st.start,
		Limit:             aws.Int32(m.batch),
	})
	if err != nil {
		return roster.Internal(err, "query %s", st.src.index)
	}
	st.start = out.LastEvaluatedKey
	st.done = len(out.LastEvaluatedKey) == 0
	entries, err := m.decode(ctx, st.src, out.Items)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.sk > m.after {
			st.buf = append(st.buf, e)
		}
	}
	return nil
}

// decode turns index items into entries, fetching the users behind
// membership items with BatchGetItem.
func (m *merger) decode(ctx context.Context, src source, items []map[string]types.AttributeValue) ([]entry, error) {
	if !src.keysOnly {
		var users []userItem
		if err := attributevalue.UnmarshalListOfMaps(items, &users); err != nil {
			return nil, roster.Internal(err, "decode users")
		}
		out := make([]entry, len(users))
		for i := range users {
			sk := items[i][src.skAttr].(*types.AttributeValueMemberS).Value
			out[i] = entry{sk: sk, user: users[i].user()}
		}
		return out, nil
	}
	// The index holds keys only: the user id ends the index sort key, and
	// the base table's PK is the user's organization partition.
	if len(items) == 0 {
		return nil, nil
	}
	sks := make([]string, len(items))
	ids := make([]string, len(items))
	for i, it := range items {
		sk, _ := kit.StringAttr(it, src.skAttr)
		sks[i], ids[i] = sk, kit.IdOf(sk)
	}
	pk, _ := kit.StringAttr(items[0], kit.AttrPK)
	users, err := m.s.batchGetUsers(ctx, pk, ids)
	if err != nil {
		return nil, err
	}
	out := make([]entry, 0, len(items))
	for i := range items {
		if u := users[ids[i]]; u != nil { // a user removed since the index was read is left out
			out = append(out, entry{sk: sks[i], user: u})
		}
	}
	return out, nil
}

// batchGetUsers reads users of one organization partition by id.
func (s *Store) batchGetUsers(ctx context.Context, pk string, ids []string) (map[string]*roster.User, error) {
	keys := make([]map[string]types.AttributeValue, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			keys = append(keys, kit.Key(pk, kit.UserSK(id)))
		}
	}
	found, err := s.t.BatchGet(ctx, "users", keys)
	if err != nil {
		return nil, err
	}
	var items []userItem
	if err := attributevalue.UnmarshalListOfMaps(found, &items); err != nil {
		return nil, roster.Internal(err, "decode users")
	}
	out := make(map[string]*roster.User, len(items))
	for i := range items {
		out[items[i].ID] = items[i].user()
	}
	return out, nil
}

// cursor is what a page hands to the next: the last sort key listed, the
// index the listing reads, the count the first page found, and a
// fingerprint of the filter, so a cursor is never used with another filter.
type cursor struct {
	After  string `json:"a"`
	Driver string `json:"d"`
	Total  int    `json:"t"`
	Exact  bool   `json:"x"`
	Filter string `json:"f"`
}

func filterFingerprint(orgID string, f roster.UserFilter) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s", orgID, f.Status, f.LocationID, f.GroupID+"\x00"+f.CourseID, f.Role, f.Query, f.Archived))
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}

func encodeCursor(orgID string, f roster.UserFilter, c cursor) string {
	c.Filter = filterFingerprint(orgID, f)
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(orgID string, f roster.UserFilter, s string) (cursor, error) {
	bad := roster.BadRequest("cursor", "is not a cursor of this listing: start again from the first page")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, bad
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.After == "" || c.Driver == "" || c.Filter != filterFingerprint(orgID, f) {
		return cursor{}, bad
	}
	return c, nil
}

// ListUsers returns one page of the users matching f and how many match. The
// first page counts; the count rides in the cursor to the pages after it.
func (s *Store) ListUsers(ctx context.Context, orgID string, f roster.UserFilter, page roster.PageRequest) (*roster.UserPage, error) {
	var c cursor
	if page.Cursor != "" {
		var err error
		if c, err = decodeCursor(orgID, f, page.Cursor); err != nil {
			return nil, err
		}
	} else {
		var err error
		if c.Driver, err = s.driverFor(ctx, orgID, f); err != nil {
			return nil, err
		}
	}
	batch := page.Limit + 1
	if needsPostFilter(f) {
		batch = max(batch, 100)
	}
	m := s.newMerger(orgID, f, c.Driver, c.After, batch)
	res := &roster.UserPage{Items: make([]roster.User, 0, page.Limit)}
	last := ""
	for len(res.Items) < page.Limit {
		e, err := m.next(ctx)
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		res.Items = append(res.Items, *e.user)
		last = e.sk
	}
	more := false
	if len(res.Items) == page.Limit {
		e, err := m.next(ctx)
		if err != nil {
			return nil, err
		}
		more = e != nil
	}
	switch {
	case page.Cursor != "":
		res.Count = roster.Count{Total: c.Total, Exact: c.Exact}
	case !more:
		res.Count = roster.Count{Total: len(res.Items), Exact: true} // the whole listing is on this page
	default:
		var err error
		if res.Count, err = s.count(ctx, orgID, f, c.Driver); err != nil {
			return nil, err
		}
	}
	if more {
		c.After, c.Total, c.Exact = last, res.Total, res.Exact
		res.NextCursor = encodeCursor(orgID, f, c)
	}
	return res, nil
}

// needsPostFilter reports whether the index chosen for f may hold users f
// does not match, so that pages should read more than they return.
func needsPostFilter(f roster.UserFilter) bool {
	return len(indexedFacets(f)) > 1 || f.Query != "" || f.Status != ""
}

// CountUsers returns how many users match f.
func (s *Store) CountUsers(ctx context.Context, orgID string, f roster.UserFilter) (roster.Count, error) {
	driver, err := s.driverFor(ctx, orgID, f)
	if err != nil {
		return roster.Count{}, err
	}
	return s.count(ctx, orgID, f, driver)
}

// count counts the users matching f: from the stream-kept counters when one
// condition or none is set, else by reading the driver's range, at most
// MaxCounted users of it.
func (s *Store) count(ctx context.Context, orgID string, f roster.UserFilter, driver string) (roster.Count, error) {
	facets := indexedFacets(f)
	if f.Status == roster.StatusExpired && f.Query == "" && len(facets) == 0 {
		return s.countExpired(ctx, orgID, "")
	}
	if f.Query != "" || f.Status == roster.StatusExpired || len(facets) > 1 {
		return s.countByReading(ctx, orgID, f, driver)
	}
	counts, err := s.facetCounts(ctx, orgID, f, append(facets, "all")[:1])
	if err != nil {
		return roster.Count{}, err
	}
	total := roster.Count{Total: counts[0], Exact: true}
	switch f.Status {
	case roster.StatusPending, roster.StatusActivated, roster.StatusActive:
		// The state's counter includes users whose expiry has passed since:
		// they show as expired. DynamoDB counts them in the ByExpiry range.
		expired, err := s.countExpired(ctx, orgID, roster.State(f.Status))
		if err != nil {
			return roster.Count{}, err
		}
		total.Total = max(total.Total-expired.Total, 0)
	}
	return total, nil
}

// countExpired counts the users on the active roster whose expiry has
// passed and whose stored state is state, or, for "", who show as Expired
// (every state but deactivated). DynamoDB counts them (Select COUNT) in the
// ByExpiry range, whose entries hold only the state: nothing is returned.
func (s *Store) countExpired(ctx context.Context, orgID string, state roster.State) (roster.Count, error) {
	src := expiredSource(orgID, kit.BucketActive, s.t.Now())
	in := &dynamodb.QueryInput{
		TableName:                &s.t.Name,
		IndexName:                aws.String(src.index),
		KeyConditionExpression:   aws.String("usersPK = :pk AND expirySK BETWEEN :lo AND :hi"),
		ExpressionAttributeNames: map[string]string{"#state": "state"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: src.pk},
			":lo": &types.AttributeValueMemberS{Value: src.lower},
			":hi": &types.AttributeValueMemberS{Value: src.upper},
		},
		Select: types.SelectCount,
	}
	if state == "" {
		in.FilterExpression = aws.String("#state <> :s")
		in.ExpressionAttributeValues[":s"] = &types.AttributeValueMemberS{Value: string(roster.StateDeactivated)}
	} else {
		in.FilterExpression = aws.String("#state = :s")
		in.ExpressionAttributeValues[":s"] = &types.AttributeValueMemberS{Value: string(state)}
	}
	n := 0
	for {
		out, err := s.t.DB.Query(ctx, in)
		if err != nil {
			return roster.Count{}, roster.Internal(err, "count expired users")
		}
		n += int(out.Count)
		if len(out.LastEvaluatedKey) == 0 {
			return roster.Count{Total: n, Exact: true}, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// countByReading counts the users matching f in the driver's range,
// stopping after MaxCounted.
func (s *Store) countByReading(ctx context.Context, orgID string, f roster.UserFilter, driver string) (roster.Count, error) {
	m := s.newMerger(orgID, f, driver, "", 1000)
	for n := 0; n <= roster.MaxCounted; n++ {
		e, err := m.next(ctx)
		if err != nil {
			return roster.Count{}, err
		}
		if e == nil {
			return roster.Count{Total: n, Exact: true}, nil
		}
	}
	return roster.Count{Total: roster.MaxCounted, Exact: false}, nil
}

func counterBucket(b string) string {
	if b == kit.BucketArchived {
		return roster.BucketArchived
	}
	return roster.BucketActive
}

// SelectUserIDs returns the ids of up to limit users matching f, in listing order.
func (s *Store) SelectUserIDs(ctx context.Context, orgID string, f roster.UserFilter, limit int) ([]string, error) {
	driver, err := s.driverFor(ctx, orgID, f)
	if err != nil {
		return nil, err
	}
	m := s.newMerger(orgID, f, driver, "", min(limit+1, 1000))
	var ids []string
	for len(ids) < limit {
		e, err := m.next(ctx)
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		ids = append(ids, e.user.ID)
	}
	return ids, nil
}
