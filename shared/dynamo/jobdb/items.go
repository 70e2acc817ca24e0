package jobdb

import (
	"time"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo/internal/kit"
)

// jobItem is a background job: what it does, to which filter, for whom,
// and how far it is.
type jobItem struct {
	PK            string     `dynamodbav:"PK"`
	SK            string     `dynamodbav:"SK"`
	Type          string     `dynamodbav:"type"`
	ID            string     `dynamodbav:"id"`
	OrgID         string     `dynamodbav:"orgId"`
	Action        string     `dynamodbav:"action"`
	Params        jobParams  `dynamodbav:"params"`
	Filter        jobFilter  `dynamodbav:"filter"`
	ExpectedCount int        `dynamodbav:"expectedCount"`
	ActorID       string     `dynamodbav:"actorId"`
	ActorRole     string     `dynamodbav:"actorRole"`
	RequestID     string     `dynamodbav:"requestId,omitempty"`
	Status        string     `dynamodbav:"status"`
	Total         int        `dynamodbav:"total"`
	Chunks        int        `dynamodbav:"chunks"`
	ChunksDone    int        `dynamodbav:"chunksDone"`
	Done          int        `dynamodbav:"done"`
	Skipped       int        `dynamodbav:"skipped"`
	Failed        int        `dynamodbav:"failed"`
	Message       string     `dynamodbav:"message,omitempty"`
	Cursor        string     `dynamodbav:"cursor,omitempty"`
	CreatedAt     time.Time  `dynamodbav:"createdAt"`
	FinishedAt    *time.Time `dynamodbav:"finishedAt,omitempty"`
	ImportID      string     `dynamodbav:"importId,omitempty"`
	ImportMode    string     `dynamodbav:"importMode,omitempty"`
	ImportSync    string     `dynamodbav:"importSync,omitempty"`
	SkipBadRows   bool       `dynamodbav:"skipBadRows,omitempty"`
}

type jobParams struct {
	ExpiresAt  *time.Time `dynamodbav:"expiresAt,omitempty"`
	GroupIDs   []string   `dynamodbav:"groupIds,omitempty"`
	LocationID string     `dynamodbav:"locationId,omitempty"`
	Role       string     `dynamodbav:"role,omitempty"`
	Notify     bool       `dynamodbav:"notify,omitempty"`
	CourseIDs  []string   `dynamodbav:"courseIds,omitempty"`
	DueAt      *time.Time `dynamodbav:"dueAt,omitempty"`
	WhenShort  string     `dynamodbav:"whenShort,omitempty"`
}

type jobFilter struct {
	Status     string `dynamodbav:"status,omitempty"`
	LocationID string `dynamodbav:"locationId,omitempty"`
	GroupID    string `dynamodbav:"groupId,omitempty"`
	CourseID   string `dynamodbav:"courseId,omitempty"`
	Role       string `dynamodbav:"role,omitempty"`
	Query      string `dynamodbav:"query,omitempty"`
	Archived   string `dynamodbav:"archived,omitempty"`
}

func newJobItem(j *roster.Job) *jobItem {
	p, f := j.Params, j.Filter
	return &jobItem{
		PK: kit.OrgPK(j.OrgID), SK: kit.JobSK(j.ID), Type: "job", ID: j.ID, OrgID: j.OrgID, Action: string(j.Action),
		Params: jobParams{ExpiresAt: p.ExpiresAt, GroupIDs: p.GroupIDs, LocationID: p.LocationID, Role: string(p.Role), Notify: p.Notify,
			CourseIDs: p.CourseIDs, DueAt: p.DueAt, WhenShort: string(p.WhenShort)},
		Filter:        jobFilter{Status: string(f.Status), LocationID: f.LocationID, GroupID: f.GroupID, CourseID: f.CourseID, Role: string(f.Role), Query: f.Query, Archived: string(f.Archived)},
		ExpectedCount: j.ExpectedCount, ActorID: j.ActorID, ActorRole: string(j.ActorRole), RequestID: j.RequestID,
		Status: string(j.Status), Total: j.Total, Chunks: j.Chunks, ChunksDone: j.ChunksDone,
		Done: j.Done, Skipped: j.Skipped, Failed: j.Failed, Message: j.Message, Cursor: j.Cursor,
		CreatedAt: j.CreatedAt, FinishedAt: j.FinishedAt,
		ImportID: j.ImportID, ImportMode: string(j.ImportOptions.Mode), ImportSync: string(j.ImportOptions.Sync), SkipBadRows: j.ImportOptions.SkipBadRows,
	}
}

func (it *jobItem) job() *roster.Job {
	p, f := it.Params, it.Filter
	return &roster.Job{
		ID: it.ID, OrgID: it.OrgID, Action: roster.Action(it.Action),
		Params: roster.ActionParams{ExpiresAt: p.ExpiresAt, GroupIDs: p.GroupIDs, LocationID: p.LocationID, Role: roster.Role(p.Role), Notify: p.Notify,
			CourseIDs: p.CourseIDs, DueAt: p.DueAt, WhenShort: roster.WhenShort(p.WhenShort)},
		Filter:        roster.UserFilter{Status: roster.Status(f.Status), LocationID: f.LocationID, GroupID: f.GroupID, CourseID: f.CourseID, Role: roster.Role(f.Role), Query: f.Query, Archived: roster.ArchivedMode(f.Archived)},
		ExpectedCount: it.ExpectedCount, ActorID: it.ActorID, ActorRole: roster.Role(it.ActorRole), RequestID: it.RequestID,
		Status: roster.JobStatus(it.Status), Total: it.Total, Chunks: it.Chunks, ChunksDone: it.ChunksDone,
		Done: it.Done, Skipped: it.Skipped, Failed: it.Failed, Message: it.Message, Cursor: it.Cursor,
		CreatedAt: it.CreatedAt, FinishedAt: it.FinishedAt,
		ImportID: it.ImportID, ImportOptions: roster.ImportOptions{Mode: roster.ImportMode(it.ImportMode), Sync: roster.SyncMode(it.ImportSync), SkipBadRows: it.SkipBadRows},
	}
}

// jobChunkItem is a slice of a job's snapshot. ready releases it to the
// worker; done says its tallies are on the job, and doneIds then lists the
// users it changed (or emailed), in the order of userIds.
type jobChunkItem struct {
	PK      string   `dynamodbav:"PK"`
	SK      string   `dynamodbav:"SK"`
	Type    string   `dynamodbav:"type"`
	JobID   string   `dynamodbav:"jobId"`
	Seq     int      `dynamodbav:"seq"`
	UserIDs []string `dynamodbav:"userIds"`
	Rows    string   `dynamodbav:"rows,omitempty"` // an import job's rows, as JSON
	Ready   bool     `dynamodbav:"ready,omitempty"`
	Done    bool     `dynamodbav:"done,omitempty"`
	DoneIDs []string `dynamodbav:"doneIds,omitempty"`
}

// jobUserItem is a job's outcome for one user.
type jobUserItem struct {
	PK      string `dynamodbav:"PK"`
	SK      string `dynamodbav:"SK"`
	Type    string `dynamodbav:"type"`
	JobID   string `dynamodbav:"jobId"`
	UserRef string `dynamodbav:"userRef"`
	Result  string `dynamodbav:"result"`
	Reason  string `dynamodbav:"reason,omitempty"`
}

func newJobUserItem(orgID, jobID string, o roster.Outcome) *jobUserItem {
	return &jobUserItem{PK: kit.OrgPK(orgID), SK: kit.JobUserSK(jobID, o.UserID), Type: "jobUser", JobID: jobID, UserRef: o.UserID, Result: string(o.Result), Reason: o.Reason}
}

func (it *jobUserItem) outcome() roster.Outcome {
	return roster.Outcome{UserID: it.UserRef, Result: roster.Result(it.Result), Reason: it.Reason}
}
