import CapacityModel
import CoreMetrics
import Foundation

/// What the queue counts, through the swift-metrics API: the process that
/// bootstraps a metrics backend (`capplan serve`, `capplan worker`) sees them;
/// elsewhere they cost a no-op call. Labels take values from closed sets only
/// (backend names, `FailureClass`, `PlanStatus`, solve outcomes), never a
/// message or an id, so the number of series stays bounded.
///
/// Counters count what this process did since it started, as Prometheus
/// counters do; the number of jobs in each state is read from the store when
/// scraped, so it is the same in every process that shares the store.
public struct QueueMetrics: Sendable {
  /// Names of the series, for the exposition and its tests.
  public enum Name {
    public static let submitted = "capplan_jobs_submitted_total"
    public static let claimed = "capplan_jobs_claimed_total"
    public static let leasesExpired = "capplan_leases_expired_total"
    public static let completed = "capplan_jobs_completed_total"
    public static let failures = "capplan_job_failures_total"
    public static let retries = "capplan_job_retries_total"
    public static let solveSeconds = "capplan_solve_seconds"
    public static let scheduleLagSeconds = "capplan_schedule_lag_seconds"
    public static let scheduleFires = "capplan_schedule_fires_total"
  }

  /// Histogram buckets for solve seconds and schedule lag: a small LP solves
  /// in a tenth of a second, the default time limit is an hour.
  public static let secondsBuckets: [Double] = [
    0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600,
  ]

  /// How a child's run ended, as the solve-seconds histogram labels it.
  public enum SolveOutcome: String, Sendable, CaseIterable {
    /// The child exited 0 (its plan is then stored, unless fenced off).
    case exited
    /// The child exited non-zero or died of a signal.
    case failed
    case cancelled
    case timeLimit = "time_limit"
    case leaseLost = "lease_lost"
    /// The worker was stopping and gave the job back.
    case released
  }

  private let factory: (any MetricsFactory)?

  /// The process's bootstrapped backend (`MetricsSystem.factory`), looked up at each event.
  public static let global = QueueMetrics(factory: nil)

  /// Counts into `factory` instead of the process's backend: tests give each
  /// store and worker their own registry.
  public init(factory: (any MetricsFactory)?) {
    self.factory = factory
  }

  private var current: any MetricsFactory { factory ?? MetricsSystem.factory }

  private func count(_ name: String, _ labels: [(String, String)] = [], by amount: Int = 1) {
    Counter(label: name, dimensions: labels, factory: current).increment(by: amount)
  }

  private func recordSeconds(_ name: String, _ labels: [(String, String)], _ value: Double) {
    let nanoseconds = (max(0, value) * 1e9).rounded()
    Timer(label: name, dimensions: labels, factory: current)
      .recordNanoseconds(nanoseconds >= 9.2e18 ? Int64.max : Int64(nanoseconds))
  }

  /// A submit committed: a new job (`created`), or the job an idempotency key already named.
  public func submitted(backend: String, created: Bool) {
    count(Name.submitted, [("backend", backend), ("outcome", created ? "created" : "replayed")])
  }

  public func claimed(backend: String) {
    count(Name.claimed, [("backend", backend)])
  }

  /// Running jobs whose lease ran out (their worker died or hung), taken back by a claim.
  public func leasesExpired(backend: String, count amount: Int) {
    guard amount > 0 else { return }
    count(Name.leasesExpired, [("backend", backend)], by: amount)
  }

  /// A plan stored: the job succeeded, with the plan's status (optimal, infeasible, ...).
  public func completed(status: PlanStatus) {
    count(Name.completed, [("status", status.rawValue)])
  }

  /// A failed try, whether it goes back to the queue (`retried`) or fails the job.
  public func failed(_ reason: FailureClass, retried: Bool) {
    count(Name.failures, [("reason", reason.rawValue)])
    if retried { count(Name.retries, [("reason", reason.rawValue)]) }
  }

  public func solved(seconds: Double, outcome: SolveOutcome) {
    recordSeconds(Name.solveSeconds, [("outcome", outcome.rawValue)], seconds)
  }

  /// A schedule fired `lag` seconds after its due time; `madeJob` false when it
  /// made none (unreadable or unchanged scenario).
  public func scheduleFired(lag: Double, madeJob: Bool) {
    count(Name.scheduleFires, [("outcome", madeJob ? "job" : "no_job")])
    recordSeconds(Name.scheduleLagSeconds, [], lag)
  }

  /// Creates every series whose label values are known up front, at zero, so
  /// a scrape shows them before their first event (a rate over a series that
  /// appears mid-way misses its first increments).
  public func registerKnownSeries(backend: String) {
    for created in [true, false] {
      count(Name.submitted, [("backend", backend), ("outcome", created ? "created" : "replayed")], by: 0)
    }
    count(Name.claimed, [("backend", backend)], by: 0)
    count(Name.leasesExpired, [("backend", backend)], by: 0)
    for reason in FailureClass.allCases {
      count(Name.failures, [("reason", reason.rawValue)], by: 0)
      count(Name.retries, [("reason", reason.rawValue)], by: 0)
    }
  }
}

extension Duration {
  /// The duration as a number of seconds, for metrics.
  var inSeconds: Double {
    let (seconds, attoseconds) = components
    return Double(seconds) + Double(attoseconds) / 1e18
  }
}
