package procedure

import (
	"database/sql"
	"time"
)

// nullTimeScan scans a nullable timestamp on both engines.
type nullTimeScan struct{ sql.NullTime }

func (n *nullTimeScan) ptr() *time.Time { return timePtr(n.NullTime) }
