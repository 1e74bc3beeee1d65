using Prometheus;

namespace Attribution.Common;

/// <summary>Product metrics served at <c>/metrics</c> next to prometheus-net's request metrics.</summary>
public static class AttributionMetrics
{
    /// <summary>Webhook deliveries by receiver (github, gitlab, ci) and outcome (accepted, duplicate, rejected, ...).</summary>
    public static readonly Counter Deliveries = Metrics.CreateCounter(
        "attribution_webhook_deliveries_total", "Webhook deliveries by receiver and outcome.",
        new CounterConfiguration { LabelNames = ["receiver", "outcome"] });

    /// <summary>Duration of ingest runs by kind (sessions, git, github, gitlab).</summary>
    public static readonly Histogram IngestDuration = Metrics.CreateHistogram(
        "attribution_ingest_duration_seconds", "Duration of ingest runs by kind.",
        new HistogramConfiguration { LabelNames = ["kind"], Buckets = Histogram.ExponentialBuckets(0.01, 2, 16) });

    /// <summary>Duration of attribution (linking) runs.</summary>
    public static readonly Histogram AttributionDuration = Metrics.CreateHistogram(
        "attribution_linking_duration_seconds", "Duration of attribution backfill runs.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.01, 2, 16) });
}
