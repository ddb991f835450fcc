import Foundation

/// Copies every job, plan and schedule from one store to an empty one, ids
/// and all, then reads both back and compares them row by row.
public enum StoreCopy {
  public struct Report: Sendable, Equatable {
    public var copied: StoreCounts
    /// Jobs that were running in the source: their leases belong to workers
    /// of the source, so in the destination they run out and are rescued.
    public var runningJobs: Int
  }

  public static func copy(
    from source: any PlanDatabase, to destination: any PlanDatabase, batchSize: Int = 200,
    progress: (String) -> Void = { _ in }
  ) throws(StoreError) -> Report {
    guard batchSize >= 1 else { throw StoreError(.invalid, "the batch size must be at least 1") }
    let existing = try destination.counts()
    guard existing.isEmpty else {
      throw StoreError(
        .conflict,
        "\(destination.location) already holds \(existing); copy fills an empty store only, "
          + "so that ids keep their meaning")
    }
    let expected = try source.counts()
    var copied = StoreCounts(jobs: 0, plans: 0, schedules: 0)
    var running = 0

    let schedules = try source.exportSchedules()
    try destination.importRecords(schedules: schedules, jobs: [], plans: [])
    copied.schedules = schedules.count
    let studies = try source.exportStudies()
    try destination.importStudies(studies)
    copied.studies = studies.count
    // Tokens go too, hashes and all: a copy is a move of the service, and its
    // clients keep working with the secrets they hold.
    let tokens = try source.exportTokens()
    try destination.importTokens(tokens)
    copied.tokens = tokens.count

    var after: Int64 = 0
    while true {
      let jobs = try source.exportJobs(afterID: after, limit: batchSize)
      guard let last = jobs.last else { break }
      try destination.importRecords(schedules: [], jobs: jobs, plans: [])
      running += jobs.filter { $0.state == JobState.running.rawValue }.count
      copied.jobs += jobs.count
      after = last.id
      progress("jobs: \(copied.jobs) of \(expected.jobs)")
    }
    after = 0
    // Plans are smaller batches: each carries its JSON and table rows.
    let planBatch = max(1, batchSize / 4)
    while true {
      let plans = try source.exportPlans(afterID: after, limit: planBatch)
      guard let last = plans.last else { break }
      try destination.importRecords(schedules: [], jobs: [], plans: plans)
      copied.plans += plans.count
      after = last.id
      progress("plans: \(copied.plans) of \(expected.plans)")
    }
    try destination.finishImport()
    try verify(source, destination, batchSize: batchSize)
    progress("verified: the destination matches the source row by row")
    return Report(copied: copied, runningJobs: running)
  }

  /// Compares every row of both stores.
  public static func verify(_ a: any PlanDatabase, _ b: any PlanDatabase, batchSize: Int = 200)
    throws(StoreError)
  {
    func mismatch(_ what: String) -> StoreError {
      StoreError(.database, "copy check failed: \(what) differs between \(a.location) and \(b.location)")
    }
    let (ca, cb) = (try a.counts(), try b.counts())
    guard ca == cb else { throw mismatch("the number of rows (\(ca) against \(cb))") }
    guard try a.exportSchedules() == b.exportSchedules() else { throw mismatch("a schedule") }
    guard try a.exportStudies() == b.exportStudies() else { throw mismatch("a study") }
    guard try a.exportTokens() == b.exportTokens() else { throw mismatch("an API token") }
    var after: Int64 = 0
    while true {
      let (ja, jb) = (
        try a.exportJobs(afterID: after, limit: batchSize), try b.exportJobs(afterID: after, limit: batchSize)
      )
      if let i = firstDifference(ja, jb) { throw mismatch("job \(i < ja.count ? ja[i].id : jb[i].id)") }
      guard let last = ja.last else { break }
      after = last.id
    }
    after = 0
    while true {
      let (pa, pb) = (
        try a.exportPlans(afterID: after, limit: 50), try b.exportPlans(afterID: after, limit: 50)
      )
      if let i = firstDifference(pa, pb) { throw mismatch("plan \(i < pa.count ? pa[i].id : pb[i].id)") }
      guard let last = pa.last else { break }
      after = last.id
    }
  }

  /// For each table, SQL for the first id a new row may take after a copy:
  /// past the copied rows and past every id their rows refer to, so that a
  /// schedule added later cannot take the id of a removed one whose jobs and
  /// plans were copied.
  public static let nextIDQueries: [(table: String, next: String)] = [
    (
      "jobs",
      "SELECT COALESCE(max(id), 0) + 1 FROM (SELECT max(id) AS id FROM jobs UNION ALL SELECT max(job_id) FROM plans) AS ids"
    ),
    (
      "plans",
      "SELECT COALESCE(max(id), 0) + 1 FROM (SELECT max(id) AS id FROM plans UNION ALL SELECT max(plan_id) FROM jobs UNION ALL SELECT max(previous_plan_id) FROM plans) AS ids"
    ),
    (
      "schedules",
      "SELECT COALESCE(max(id), 0) + 1 FROM (SELECT max(id) AS id FROM schedules UNION ALL SELECT max(schedule_id) FROM jobs UNION ALL SELECT max(schedule_id) FROM plans) AS ids"
    ),
    ("studies", "SELECT COALESCE(max(id), 0) + 1 FROM studies"),
    ("api_tokens", "SELECT COALESCE(max(id), 0) + 1 FROM api_tokens"),
  ]

  static func firstDifference<T: Equatable>(_ a: [T], _ b: [T]) -> Int? {
    for i in 0..<max(a.count, b.count) where i >= a.count || i >= b.count || a[i] != b[i] { return i }
    return nil
  }
}
