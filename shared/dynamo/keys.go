package dynamo

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// Every key of the table is built here; docs/data-model.md explains them.

const (
	attrPK = "PK"
	attrSK = "SK"
)

// Index names and the attributes that key them, as declared in template.yaml.
const (
	indexByName      = "ByName"        // usersPK, nameSK: the roster by last name
	indexByFirstName = "ByFirstName"   // usersPK, firstNameSK: search by first name
	indexByEmail     = "ByEmail"       // usersPK, emailSK: search by email
	indexByUserID    = "ByUserId"      // usersPK, userIdSK: search by user ID
	indexByLocation  = "ByLocation"    // locationPK, nameSK
	indexByState     = "ByState"       // statePK, nameSK
	indexByRole      = "ByRole"        // rolePK, nameSK
	indexByExpiry    = "ByExpiry"      // usersPK, expirySK
	indexByGroup     = "ByGroup"       // groupPK, nameSK (membership items, keys only)
	indexByCourse    = "ByCourse"      // coursePK, nameSK (enrollment items, keys only)
	indexByAudit     = "ByAuditTarget" // auditTargetPK, SK: one user's audit entries
	indexByDue       = "ByDue"         // duePK, dueSK (enrollments owed a reminder, keys only)
)

// Buckets split every user index in two, so that the active roster and the
// archived users are separate key ranges of the same partition.
const (
	bucketActive   = "A"
	bucketArchived = "X"
	// bucketArchivedActivity holds archived course activity in ByCourse,
	// after every current enrollment; the roster's course filter never reads it.
	bucketArchivedActivity = "Z"
)

func bucketOf(u *roster.User) string {
	if u.Archived() {
		return bucketArchived
	}
	return bucketActive
}

func orgPK(orgID string) string               { return "ORG#" + orgID }
func orgSK() string                           { return "ORG" }
func slugPK(slug string) string               { return "SLUG#" + slug }
func slugSK() string                          { return "SLUG" }
func userSK(id string) string                 { return userPrefix + id }
func emailSK(email string) string             { return "EMAIL#" + roster.NormalizeEmail(email) }
func userIDSK(userID string) string           { return "USERID#" + roster.NormalizeUserID(userID) }
func credentialSK(id string) string           { return "CRED#" + id }
func groupSK(id string) string                { return groupPrefix + id }
func groupNameSK(name string) string          { return "GROUPNAME#" + roster.NormalizeSearch(name) }
func locationSK(id string) string             { return locationPrefix + id }
func locationNameSK(name string) string       { return "LOCNAME#" + roster.NormalizeSearch(name) }
func memberSK(userID, groupID string) string  { return "MEMBER#" + userID + "#" + groupID }
func courseSK(id string) string               { return coursePrefix + id }
func courseNameSK(name string) string         { return "COURSENAME#" + roster.NormalizeSearch(name) }
func ledgerPrefix(courseID string) string     { return "SEATS#" + courseID + "#" }
func enrollSK(userID, courseID string) string { return enrollPrefix + userID + "#" + courseID }

// enrolledSK is an enrollment moved aside by archive-activity, at the time it was.
func enrolledSK(userID, courseID string, at time.Time) string {
	return enrolledPrefix + userID + "#" + courseID + "#" + roster.AuditTime(at)
}

// dueShards is how many ByDue partitions the enrollments owed a reminder
// are spread over; an organization's all fall in one (dueShard).
const dueShards = 16

// dueShard is the ByDue partition of an organization's enrollments.
func dueShard(orgID string) int {
	h := fnv.New32a()
	h.Write([]byte(orgID))
	return int(h.Sum32() % dueShards)
}

func duePK(shard int) string { return fmt.Sprintf("DUE#%02d", shard) }

// dueSK orders the enrollments owed a reminder by the date they are due
// (or due again), then organization, user and course.
func dueSK(date time.Time, orgID, userID, courseID string) string {
	return roster.DateOf(date) + "#" + orgID + "#" + userID + "#" + courseID
}

// reminderSK is a claim on one reminder email of one day: a learner's
// (kind "learner") or an administrator's digest (kind "digest").
func reminderSK(day, kind, userID string) string {
	return "REMINDER#" + day + "#" + kind + "#" + userID
}

// emailQuotaSK is an organization's count of invitation and reset emails
// of one UTC day.
func emailQuotaSK(day time.Time) string { return "MAILQUOTA#" + roster.DateOf(day) }

func ownersSK() string                  { return "OWNERS" }
func counterSK(key string) string       { return counterPrefix + key }
func auditSK(entryID string) string     { return auditPrefix + entryID }
func sessionPK(tokenHash string) string { return "SESSION#" + tokenHash }
func sessionSK() string                 { return "SESSION" }
func linkPK(tokenHash string) string    { return "LINK#" + tokenHash }
func linkSK() string                    { return "LINK" }
func latestLinkSK(userID string, purpose accounts.LinkPurpose) string {
	return "LINKFOR#" + userID + "#" + string(purpose)
}
func throttlePK(key string) string            { return "THROTTLE#" + key }
func throttleSK(window time.Time) string      { return "W#" + strconv.FormatInt(window.Unix(), 10) }
func facetPK(orgID, value string) string      { return orgID + "#" + value }
func jobSK(id string) string                  { return jobPrefix + id }
func jobChunkSK(id string, seq int) string    { return fmt.Sprintf("%s%06d", jobChunksPrefix(id), seq) }
func jobChunksPrefix(id string) string        { return jobChunkPrefix + id + "#" }
func jobUserSK(id, userID string) string      { return jobUserPrefix + id + "#" + userID }
func exportSK(id string) string               { return exportPrefix + id }
func importSK(id string) string               { return "IMPORT#" + id }
func indexSK(bucket, token, id string) string { return bucket + "#" + token + "#" + id }

// Prefixes of sort keys that are listed or recognized by their prefix.
const (
	userPrefix     = "USER#"
	groupPrefix    = "GROUP#"
	locationPrefix = "LOC#"
	counterPrefix  = "COUNT#"
	auditPrefix    = "AUDIT#"
	coursePrefix   = "COURSE#"
	enrollPrefix   = "ENROLL#"   // a current enrollment: ENROLL#<user>#<course>
	enrolledPrefix = "ENROLLED#" // archived course activity
	jobPrefix      = "JOB#"      // a job; the job worker's stream filter
	jobChunkPrefix = "JOBCHUNK#" // a chunk of a job's snapshot; the job worker's stream filter
	jobUserPrefix  = "JOBUSER#"  // a job's outcome for one user; not in the worker's filter
	exportPrefix   = "EXPORT#"   // an export; the export worker's stream filter
)

// ledgerSK orders a course's ledger by time; id tells apart movements of the same instant.
func ledgerSK(courseID string, at time.Time, id string) string {
	return ledgerPrefix(courseID) + roster.AuditTime(at) + "#" + id
}

// counterKeyOf returns the counter key of a counter item's sort key.
func counterKeyOf(sk string) string { return strings.TrimPrefix(sk, counterPrefix) }

// isUserSK reports whether a sort key is a user item's.
func isUserSK(sk string) bool { return strings.HasPrefix(sk, userPrefix) }

// tokenOf returns the search token inside an index sort key built by indexSK.
func tokenOf(sk string) string {
	first := strings.IndexByte(sk, '#')
	last := strings.LastIndexByte(sk, '#')
	if first < 0 || last <= first {
		return ""
	}
	return sk[first+1 : last]
}

// idOf returns the user id at the end of an index sort key built by indexSK.
func idOf(sk string) string { return sk[strings.LastIndexByte(sk, '#')+1:] }

// nameToken is the roster's sort order: last name, then first name.
func nameToken(u *roster.User) string { return roster.SearchTokens(u)[0] }

func firstNameToken(u *roster.User) string { return roster.SearchTokens(u)[1] }
