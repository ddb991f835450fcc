import Foundation

/// Stores keep times as seconds since 1970 in a double. A `Date` holds seconds since 2001, so
/// a time read back can differ from the one written in the last bit. A store compares times
/// in SQL and again in `JobStateMachine`; both must see the same instant, or a job the query
/// found due is refused as not yet due (a worker with `--once` then stops with work queued).
extension Date {
  public var unix: Double { timeIntervalSince1970 }
  public init(unix: Double) { self.init(timeIntervalSince1970: unix) }

  /// This instant as a store reads it back. Converting is monotonic, so a query's
  /// `run_after <= now` and the state machine's agree when both use this.
  public var asStored: Date { Date(unix: unix) }
}
