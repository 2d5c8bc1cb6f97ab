package jobs

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// States lists River's job states, in the order the console shows them.
var States = []string{"available", "scheduled", "running", "retryable", "pending", "completed", "cancelled", "discarded"}

// Depth counts the jobs in each state.
func (q *Queue) Depth(ctx context.Context) (map[string]int64, error) {
	rows, err := q.db.Query(ctx, `SELECT state, COUNT(*) FROM river_job GROUP BY state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]int64, len(States))
	for _, s := range States {
		out[s] = 0
	}
	for rows.Next() {
		var (
			state string
			n     int64
		)
		if err := rows.Scan(&state, &n); err != nil {
			return nil, err
		}
		out[state] = n
	}
	return out, rows.Err()
}

// Collector returns a Prometheus collector of the queue depth per state,
// read from the database at each scrape.
func (q *Queue) Collector() prometheus.Collector { return &depthCollector{q: q} }

var depthDesc = prometheus.NewDesc("guichet_jobs", "Jobs in the durable queue, by state.", []string{"state"}, nil)

type depthCollector struct{ q *Queue }

// Describe implements prometheus.Collector.
func (c *depthCollector) Describe(ch chan<- *prometheus.Desc) { ch <- depthDesc }

// Collect implements prometheus.Collector.
func (c *depthCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	depth, err := c.q.Depth(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(depthDesc, err)
		return
	}
	for state, n := range depth {
		ch <- prometheus.MustNewConstMetric(depthDesc, prometheus.GaugeValue, float64(n), state)
	}
}
