import CoreMetrics
import Foundation
import JobQueue
import Prometheus
import Synchronization

/// The process's metrics backend: swift-metrics counters and timers land in
/// one Prometheus registry, which `/metrics` and `capplan metrics` render.
enum MetricsBootstrap {
  static let registry = PrometheusCollectorRegistry()
  private static let done = Mutex(false)

  /// `MetricsSystem.bootstrap` traps when called twice in a process; `serve`,
  /// `worker` and `metrics` call this instead, as often as they like.
  static func once() {
    let first = done.withLock { done in
      defer { done = true }
      return !done
    }
    guard first else { return }
    MetricsSystem.bootstrap(factory(registry: registry))
  }

  /// A factory over `registry` with buckets that suit solves (a tenth of a
  /// second to the default hour) and schedule lag; tests make their own registry.
  static func factory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
    var factory = PrometheusMetricsFactory(registry: registry)
    let buckets = QueueMetrics.secondsBuckets.map { Duration.milliseconds(Int64(($0 * 1000).rounded())) }
    factory.durationHistogramBuckets = [
      QueueMetrics.Name.solveSeconds: buckets, QueueMetrics.Name.scheduleLagSeconds: buckets,
    ]
    return factory
  }
}

/// The text a Prometheus scrape gets: the registry's counters and histograms,
/// then gauges read from the store at this moment.
enum MetricsExposition {
  static let contentType = "text/plain; version=0.0.4; charset=utf-8"

  /// Blocks on one grouped count in the store (run it off the event loop). A
  /// store that cannot be read gives `capplan_store_up 0` and no job counts,
  /// rather than a failed scrape, so an alert can say which part is down.
  static func render(store: any JobStore, registry: PrometheusCollectorRegistry = MetricsBootstrap.registry)
    -> String
  {
    var text = registry.emitToString()
    text += """
      # HELP capplan_build_info The capplan version serving these metrics.
      # TYPE capplan_build_info gauge
      capplan_build_info{version="\(Capplan.version)"} 1

      """
    let counts: [JobState: Int]?
    do {
      counts = try store.jobCountsByState()
    } catch {
      counts = nil
    }
    text += """
      # HELP capplan_store_up Whether the store answered this scrape's count (1) or not (0).
      # TYPE capplan_store_up gauge
      capplan_store_up \(counts == nil ? 0 : 1)

      """
    if let counts {
      text += """
        # HELP capplan_jobs Jobs in the store by state, counted when scraped.
        # TYPE capplan_jobs gauge

        """
      for state in JobState.allCases {
        text += "capplan_jobs{state=\"\(state.rawValue)\"} \(counts[state] ?? 0)\n"
      }
    }
    return text
  }

  /// Bootstraps metrics and shows the store's series at zero from the start.
  static func start(for store: any JobStore) {
    MetricsBootstrap.once()
    QueueMetrics.global.registerKnownSeries(backend: store.backendName)
  }
}
