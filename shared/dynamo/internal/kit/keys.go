package kit

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
	AttrPK = "PK"
	AttrSK = "SK"
)

// Index names and the attributes that key them, as declared in template.yaml.
const (
	IndexByName      = "ByName"        // usersPK, nameSK: the roster by last name
	IndexByFirstName = "ByFirstName"   // usersPK, firstNameSK: search by first name
	IndexByEmail     = "ByEmail"       // usersPK, emailSK: search by email
	IndexByUserID    = "ByUserId"      // usersPK, userIdSK: search by user ID
	IndexByLocation  = "ByLocation"    // locationPK, nameSK
	IndexByState     = "ByState"       // statePK, nameSK
	IndexByRole      = "ByRole"        // rolePK, nameSK
	IndexByExpiry    = "ByExpiry"      // usersPK, expirySK
	IndexByGroup     = "ByGroup"       // groupPK, nameSK (membership items, keys only)
	IndexByCourse    = "ByCourse"      // coursePK, nameSK (enrollment items, keys only)
	IndexByAudit     = "ByAuditTarget" // auditTargetPK, SK: one user's audit entries
	IndexByDue       = "ByDue"         // DuePK, DueSK (enrollments owed a reminder, keys only)
)

// Buckets split every user index in two, so that the active roster and the
// archived users are separate key ranges of the same partition.
const (
	BucketActive   = "A"
	BucketArchived = "X"
	// BucketArchivedActivity holds archived course activity in ByCourse,
	// after every current enrollment; the roster's course filter never reads it.
	BucketArchivedActivity = "Z"
)

func BucketOf(u *roster.User) string {
	if u.Archived() {
		return BucketArchived
	}
	return BucketActive
}

func OrgPK(orgID string) string               { return "ORG#" + orgID }
func OrgSK() string                           { return "ORG" }
func SlugPK(slug string) string               { return "SLUG#" + slug }
func SlugSK() string                          { return "SLUG" }
func UserSK(id string) string                 { return UserPrefix + id }
func EmailSK(email string) string             { return "EMAIL#" + roster.NormalizeEmail(email) }
func UserIDSK(userID string) string           { return "USERID#" + roster.NormalizeUserID(userID) }
func CredentialSK(id string) string           { return "CRED#" + id }
func GroupSK(id string) string                { return GroupPrefix + id }
func GroupNameSK(name string) string          { return "GROUPNAME#" + roster.NormalizeSearch(name) }
func LocationSK(id string) string             { return LocationPrefix + id }
func LocationNameSK(name string) string       { return "LOCNAME#" + roster.NormalizeSearch(name) }
func MemberSK(userID, groupID string) string  { return "MEMBER#" + userID + "#" + groupID }
func CourseSK(id string) string               { return CoursePrefix + id }
func CourseNameSK(name string) string         { return "COURSENAME#" + roster.NormalizeSearch(name) }
func LedgerPrefix(courseID string) string     { return "SEATS#" + courseID + "#" }
func EnrollSK(userID, courseID string) string { return EnrollPrefix + userID + "#" + courseID }

// EnrolledSK is an enrollment moved aside by archive-activity, at the time it was.
func EnrolledSK(userID, courseID string, at time.Time) string {
	return EnrolledPrefix + userID + "#" + courseID + "#" + roster.AuditTime(at)
}

// DueShards is how many ByDue partitions the enrollments owed a reminder
// are spread over; an organization's all fall in one (DueShard).
const DueShards = 16

// DueShard is the ByDue partition of an organization's enrollments.
func DueShard(orgID string) int {
	h := fnv.New32a()
	h.Write([]byte(orgID))
	return int(h.Sum32() % DueShards)
}

func DuePK(shard int) string { return fmt.Sprintf("DUE#%02d", shard) }

// DueSK orders the enrollments owed a reminder by the date they are due
// (or due again), then organization, user and course.
func DueSK(date time.Time, orgID, userID, courseID string) string {
	return roster.DateOf(date) + "#" + orgID + "#" + userID + "#" + courseID
}

// ReminderSK is a claim on one reminder email of one day: a learner's
// (kind "learner") or an administrator's digest (kind "digest").
func ReminderSK(day, kind, userID string) string {
	return "REMINDER#" + day + "#" + kind + "#" + userID
}

// EmailQuotaSK is an organization's count of invitation and reset emails
// of one UTC day.
func EmailQuotaSK(day time.Time) string { return "MAILQUOTA#" + roster.DateOf(day) }

func OwnersSK() string                  { return "OWNERS" }
func CounterSK(key string) string       { return CounterPrefix + key }
func AuditSK(entryID string) string     { return AuditPrefix + entryID }
func SessionPK(tokenHash string) string { return "SESSION#" + tokenHash }
func SessionSK() string                 { return "SESSION" }
func LinkPK(tokenHash string) string    { return "LINK#" + tokenHash }
func LinkSK() string                    { return "LINK" }
func LatestLinkSK(userID string, purpose accounts.LinkPurpose) string {
	return "LINKFOR#" + userID + "#" + string(purpose)
}
func ThrottlePK(key string) string            { return "THROTTLE#" + key }
func ThrottleSK(window time.Time) string      { return "W#" + strconv.FormatInt(window.Unix(), 10) }
func FacetPK(orgID, value string) string      { return orgID + "#" + value }
func JobSK(id string) string                  { return JobPrefix + id }
func JobChunkSK(id string, seq int) string    { return fmt.Sprintf("%s%06d", JobChunksPrefix(id), seq) }
func JobChunksPrefix(id string) string        { return JobChunkPrefix + id + "#" }
func JobUserSK(id, userID string) string      { return JobUserPrefix + id + "#" + userID }
func ExportSK(id string) string               { return ExportPrefix + id }
func ImportSK(id string) string               { return "IMPORT#" + id }
func IndexSK(bucket, token, id string) string { return bucket + "#" + token + "#" + id }

// Prefixes of sort keys that are listed or recognized by their prefix.
const (
	UserPrefix     = "USER#"
	GroupPrefix    = "GROUP#"
	LocationPrefix = "LOC#"
	CounterPrefix  = "COUNT#"
	AuditPrefix    = "AUDIT#"
	CoursePrefix   = "COURSE#"
	EnrollPrefix   = "ENROLL#"   // a current enrollment: ENROLL#<user>#<course>
	EnrolledPrefix = "ENROLLED#" // archived course activity
	JobPrefix      = "JOB#"      // a job; the job worker's stream filter
	JobChunkPrefix = "JOBCHUNK#" // a chunk of a job's snapshot; the job worker's stream filter
	JobUserPrefix  = "JOBUSER#"  // a job's outcome for one user; not in the worker's filter
	ExportPrefix   = "EXPORT#"   // an export; the export worker's stream filter
)

// LedgerSK orders a course's ledger by time; id tells apart movements of the same instant.
func LedgerSK(courseID string, at time.Time, id string) string {
	return LedgerPrefix(courseID) + roster.AuditTime(at) + "#" + id
}

// CounterKeyOf returns the counter key of a counter item's sort key.
func CounterKeyOf(sk string) string { return strings.TrimPrefix(sk, CounterPrefix) }

// IsUserSK reports whether a sort key is a user item's.
func IsUserSK(sk string) bool { return strings.HasPrefix(sk, UserPrefix) }

// TokenOf returns the search token inside an index sort key built by IndexSK.
func TokenOf(sk string) string {
	first := strings.IndexByte(sk, '#')
	last := strings.LastIndexByte(sk, '#')
	if first < 0 || last <= first {
		return ""
	}
	return sk[first+1 : last]
}

// IdOf returns the user id at the end of an index sort key built by IndexSK.
func IdOf(sk string) string { return sk[strings.LastIndexByte(sk, '#')+1:] }

// NameToken is the roster's sort order: last name, then first name.
func NameToken(u *roster.User) string { return roster.SearchTokens(u)[0] }

func FirstNameToken(u *roster.User) string { return roster.SearchTokens(u)[1] }

// MaxRune ends the key range of a prefix: no UTF-8 text sorts above it.
const MaxRune = "\U0010FFFF"
