package httpapi

import (
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// userJSON is a user as the API shows it.
type userJSON struct {
	ID           string           `json:"id"`
	FirstName    string           `json:"firstName"`
	LastName     string           `json:"lastName"`
	Email        *string          `json:"email"`
	UserID       *string          `json:"userId"`
	Role         string           `json:"role"`
	Status       string           `json:"status"`
	LocationID   *string          `json:"locationId"`
	GroupIDs     []string         `json:"groupIds"`
	Courses      []assignmentJSON `json:"courses"`
	ExpiresAt    *time.Time       `json:"expiresAt"`
	ApprovedAt   *time.Time       `json:"approvedAt"`
	NotifiedAt   *time.Time       `json:"notifiedAt"`
	LastAccessAt *time.Time       `json:"lastAccessAt"`
	ArchivedAt   *time.Time       `json:"archivedAt"`
	CreatedAt    time.Time        `json:"createdAt"`
	UpdatedAt    time.Time        `json:"updatedAt"`
	Version      int64            `json:"version"`
}

// assignmentJSON is a course assigned to a user.
type assignmentJSON struct {
	CourseID string     `json:"courseId"`
	DueAt    *time.Time `json:"dueAt"`
}

func toAssignmentsJSON(as []roster.Assignment) []assignmentJSON {
	out := make([]assignmentJSON, len(as))
	for i, a := range as {
		out[i] = assignmentJSON{CourseID: a.CourseID, DueAt: a.DueAt}
	}
	return out
}

func toUserJSON(u *roster.User, now time.Time) userJSON {
	groups := u.GroupIDs
	if groups == nil {
		groups = []string{}
	}
	return userJSON{
		ID:           u.ID,
		FirstName:    u.FirstName,
		LastName:     u.LastName,
		Email:        nullable(u.Email),
		UserID:       nullable(u.UserID),
		Role:         string(u.Role),
		Status:       string(u.Status(now)),
		LocationID:   nullable(u.LocationID),
		GroupIDs:     groups,
		Courses:      toAssignmentsJSON(u.Courses),
		ExpiresAt:    u.ExpiresAt,
		ApprovedAt:   u.ApprovedAt,
		NotifiedAt:   u.NotifiedAt,
		LastAccessAt: u.LastAccessAt,
		ArchivedAt:   u.ArchivedAt,
		CreatedAt:    u.CreatedAt,
		UpdatedAt:    u.UpdatedAt,
		Version:      u.Version,
	}
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

type organizationJSON struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

func toOrganizationJSON(o *roster.Organization) organizationJSON {
	return organizationJSON{ID: o.ID, Slug: o.Slug, Name: o.Name}
}

type organizationSummaryJSON struct {
	organizationJSON
	ActiveCount   int `json:"activeCount"`
	ArchivedCount int `json:"archivedCount"`
}

type meJSON struct {
	User         userJSON         `json:"user"`
	Organization organizationJSON `json:"organization"`
	// PasswordChangeRequired: signed in with a one-time password, the user
	// must choose their own before anything else.
	PasswordChangeRequired bool `json:"passwordChangeRequired"`
}

func toMeJSON(u *roster.User, org *roster.Organization, now time.Time) meJSON {
	return meJSON{User: toUserJSON(u, now), Organization: toOrganizationJSON(org), PasswordChangeRequired: u.PasswordChangeRequired}
}

type userPageJSON struct {
	Items      []userJSON `json:"items"`
	NextCursor *string    `json:"nextCursor"`
	Total      int        `json:"total"`
	TotalExact bool       `json:"totalExact"` // false: counting stopped, there are more than total
}

type namedJSON struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"createdAt"`
	Version   int64     `json:"version"`
}

type listJSON[T any] struct {
	Items []T `json:"items"`
}

// filterJSON is a user filter in a request body: the list's query keys.
type filterJSON struct {
	Status   string `json:"status"`
	Location string `json:"location"`
	Group    string `json:"group"`
	Course   string `json:"course"`
	Role     string `json:"role"`
	Q        string `json:"q"`
	Archived string `json:"archived"`
}

func (f filterJSON) toFilter() roster.UserFilter {
	return roster.UserFilter{
		Status:     roster.Status(f.Status),
		LocationID: f.Location,
		GroupID:    f.Group,
		CourseID:   f.Course,
		Role:       roster.Role(f.Role),
		Query:      f.Q,
		Archived:   roster.ArchivedMode(f.Archived),
	}
}

type outcomeJSON struct {
	ID      string `json:"id"`
	Outcome string `json:"outcome"`
	Reason  string `json:"reason,omitempty"`
}

type actionResultJSON struct {
	Action  string        `json:"action"`
	Total   int           `json:"total"`
	Done    int           `json:"done"`
	Skipped int           `json:"skipped"`
	Failed  int           `json:"failed"`
	Results []outcomeJSON `json:"results"`
}

func toActionResultJSON(res *roster.ActionResult) actionResultJSON {
	out := actionResultJSON{Action: string(res.Action), Total: len(res.Results), Done: res.Done, Skipped: res.Skipped, Failed: res.Failed, Results: make([]outcomeJSON, len(res.Results))}
	for i, o := range res.Results {
		out.Results[i] = outcomeJSON{ID: o.UserID, Outcome: string(o.Result), Reason: o.Reason}
	}
	return out
}
