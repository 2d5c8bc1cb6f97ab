package app

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"guichet/internal/kernel/db"
)

// replicaCollector exports the read replica's state on /metrics.
type replicaCollector struct{ d *db.DB }

var (
	replicaUpDesc    = prometheus.NewDesc("guichet_replica_up", "1 while the read replica answers and takes reads.", nil, nil)
	replicaBytesDesc = prometheus.NewDesc("guichet_replica_lag_bytes", "How far the replica's replay is behind the primary's WAL, in bytes.", nil, nil)
	replicaLagDesc   = prometheus.NewDesc("guichet_replica_lag_seconds", "Age of the replica's last replayed transaction while it is behind (0 when caught up).", nil, nil)
	replicaReadsDesc = prometheus.NewDesc("guichet_replica_reads_total", "Queries sent to the read replica.", nil, nil)
)

func (c replicaCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- replicaUpDesc
	ch <- replicaBytesDesc
	ch <- replicaLagDesc
	ch <- replicaReadsDesc
}

func (c replicaCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	s := c.d.ReplicaStats(ctx)
	up := 0.0
	if s.Up {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(replicaUpDesc, prometheus.GaugeValue, up)
	ch <- prometheus.MustNewConstMetric(replicaBytesDesc, prometheus.GaugeValue, float64(s.LagBytes))
	ch <- prometheus.MustNewConstMetric(replicaLagDesc, prometheus.GaugeValue, s.Lag.Seconds())
	ch <- prometheus.MustNewConstMetric(replicaReadsDesc, prometheus.CounterValue, float64(s.Reads))
}
