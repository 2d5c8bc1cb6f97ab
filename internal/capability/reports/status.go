package reports

import (
	"slices"
	"time"
)

// Status is where a report stands.
type Status string

// The statuses of a report. Open311 reads the first three as "open", the
// others as "closed".
const (
	New          Status = "new"
	Acknowledged Status = "acknowledged"
	InProgress   Status = "in_progress"
	Fixed        Status = "fixed"
	Closed       Status = "closed"
	Duplicate    Status = "duplicate"
)

// Statuses lists every status, in the order of a report's life.
var Statuses = []Status{New, Acknowledged, InProgress, Fixed, Closed, Duplicate}

// OpenStatuses are those of reports still to be dealt with.
var OpenStatuses = []Status{New, Acknowledged, InProgress}

var labels = map[Status]string{New: "nouveau", Acknowledged: "pris en compte", InProgress: "en cours",
	Fixed: "résolu", Closed: "clos", Duplicate: "doublon"}

// Label is the status in French, as pages and mails write it.
func (st Status) Label() string { return labels[st] }

// Valid reports whether st is a known status.
func (st Status) Valid() bool { return labels[st] != "" }

// Open reports whether the report is still to be dealt with.
func (st Status) Open() bool { return slices.Contains(OpenStatuses, st) }

// next lists where staff may move a report from each status; a fixed
// report may still be closed, the others are final but for Reopen.
var next = map[Status][]Status{
	New:          {Acknowledged, InProgress, Fixed, Closed, Duplicate},
	Acknowledged: {InProgress, Fixed, Closed, Duplicate},
	InProgress:   {Fixed, Closed, Duplicate},
	Fixed:        {Closed},
}

// Next lists the statuses staff may move a report to from st.
func (st Status) Next() []Status { return slices.Clone(next[st]) }

// CanMoveTo reports whether staff may move a report from st to to.
func (st Status) CanMoveTo(to Status) bool { return slices.Contains(next[st], to) }

// ReopenWithin is how long after its fixing or closing the author may
// reopen a report.
const ReopenWithin = 30 * 24 * time.Hour

// ReopenedTo is the status a reopened report goes back to.
const ReopenedTo = Acknowledged

// Reopenable reports whether the author may reopen a report of status st
// resolved at resolved, at now: fixed or closed (a duplicate is followed
// on its original), within ReopenWithin.
func Reopenable(st Status, resolved *time.Time, now time.Time) bool {
	if st != Fixed && st != Closed || resolved == nil {
		return false
	}
	return now.Before(resolved.Add(ReopenWithin))
}

// Open311Status is the status in Open311 GeoReport v2's words.
func (st Status) Open311Status() string {
	if st.Open() {
		return "open"
	}
	return "closed"
}
