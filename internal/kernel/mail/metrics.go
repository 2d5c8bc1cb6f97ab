package mail

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var outboxDesc = prometheus.NewDesc("guichet_mail_outbox", "Messages in the email outbox, by status.", []string{"status"}, nil)

// Collector returns a Prometheus collector of the outbox size per status.
func (o *Outbox) Collector() prometheus.Collector { return outboxCollector{o} }

type outboxCollector struct{ o *Outbox }

// Describe implements prometheus.Collector.
func (c outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- outboxDesc }

// Collect implements prometheus.Collector.
func (c outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.o.Counts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(outboxDesc, err)
		return
	}
	for status, n := range counts {
		ch <- prometheus.MustNewConstMetric(outboxDesc, prometheus.GaugeValue, float64(n), status)
	}
}
