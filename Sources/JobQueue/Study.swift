import CapacityModel
import Foundation

/// A sweep sent to the queue: one job per point, under one id, so workers on
/// many machines solve it and `capplan studies show` gathers the results.
public struct Study: Sendable, Equatable, Codable {
  public var id: Int64
  public var scenarioID: String
  /// The scenario file (and overrides) the points were made from, for people.
  public var source: String
  public var createdAt: Date
  public var definition: Definition

  /// What the study varies and where each point went; stored as one JSON text.
  public struct Definition: Sendable, Equatable, Codable {
    public var axes: [SweepAxis]
    /// The metrics asked for, in order, as `PlanMetric` raw values.
    public var metrics: [String]
    public var points: [Point]

    public init(axes: [SweepAxis], metrics: [String], points: [Point]) {
      self.axes = axes
      self.metrics = metrics
      self.points = points
    }
  }

  /// A point's values and its job, or why it has none (its scenario was invalid).
  public struct Point: Sendable, Equatable, Codable {
    public var values: [Double]
    public var jobID: Int64?
    public var error: String?

    public init(values: [Double], jobID: Int64? = nil, error: String? = nil) {
      self.values = values
      self.jobID = jobID
      self.error = error
    }

    enum CodingKeys: String, CodingKey {
      case values, jobID = "job_id", error
    }
  }

  public init(id: Int64, scenarioID: String, source: String, createdAt: Date, definition: Definition) {
    self.id = id
    self.scenarioID = scenarioID
    self.source = source
    self.createdAt = createdAt
    self.definition = definition
  }

  enum CodingKeys: String, CodingKey {
    case id, scenarioID = "scenario_id", source, createdAt = "created_at", definition
  }

  /// The definition as the stores keep it.
  public static func storedText(_ definition: Definition) throws(StoreError) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    do {
      return String(decoding: try encoder.encode(definition), as: UTF8.self)
    } catch {
      throw StoreError(.invalid, "the study cannot be stored: \(error)")
    }
  }

  public static func definition(storedText text: String, studyID: Int64) throws(StoreError) -> Definition {
    let definition: Definition
    do {
      definition = try JSONDecoder().decode(Definition.self, from: Data(text.utf8))
    } catch {
      throw StoreError(.database, "study \(studyID) has an unreadable definition: \(error)")
    }
    // Rows are printed a column per axis: a point with another count of values (a damaged row,
    // or one written by another version) would not fit its table.
    let axes = definition.axes.count
    if let i = definition.points.firstIndex(where: { $0.values.count != axes }) {
      throw StoreError(
        .database,
        "study \(studyID) has an unreadable definition: point \(i + 1) has "
          + "\(definition.points[i].values.count) value(s) for \(axes) axis/axes")
    }
    return definition
  }
}

/// A study to enqueue: every point with the job that solves it, or the reason
/// it has none.
public struct StudySubmission: Sendable {
  public var scenarioID: String
  public var source: String
  public var axes: [SweepAxis]
  public var metrics: [String]
  public var points: [PointSubmission]

  public struct PointSubmission: Sendable {
    public var values: [Double]
    public var job: Result<JobSubmission, SweepError>
    public init(values: [Double], job: Result<JobSubmission, SweepError>) {
      self.values = values
      self.job = job
    }
  }

  public init(
    scenarioID: String, source: String, axes: [SweepAxis], metrics: [String], points: [PointSubmission]
  ) {
    self.scenarioID = scenarioID
    self.source = source
    self.axes = axes
    self.metrics = metrics
    self.points = points
  }

  /// Checks each job as a single submit would, before anything is written.
  public func validatedJobs() throws(StoreError) -> [(submission: JobSubmission, options: String)?] {
    guard !points.isEmpty else { throw StoreError(.invalid, "a study needs at least one point") }
    var jobs: [(submission: JobSubmission, options: String)?] = []
    for point in points {
      switch point.job {
      case .success(let s): jobs.append((s, try s.validatedOptionsText()))
      case .failure: jobs.append(nil)
      }
    }
    return jobs
  }

  /// The definition once the jobs have ids (`jobIDs[i]` for point i, nil where invalid).
  public func definition(jobIDs: [Int64?]) -> Study.Definition {
    Study.Definition(
      axes: axes, metrics: metrics,
      points: zip(points, jobIDs).map { point, id in
        switch point.job {
        case .success: return Study.Point(values: point.values, jobID: id)
        case .failure(let error): return Study.Point(values: point.values, error: error.description)
        }
      })
  }
}

/// Studies in a store. A study and all its jobs are written in one transaction:
/// a failed submit leaves neither.
public protocol StudyStore: Sendable {
  func submit(_ study: StudySubmission, now: Date) throws(StoreError) -> Study
  func study(_ id: Int64) throws(StoreError) -> Study
  /// Newest first.
  func studies(limit: Int) throws(StoreError) -> [Study]
  /// Every study in id order, and the same rows put back (for `capplan copy`).
  func exportStudies() throws(StoreError) -> [Study]
  func importStudies(_ studies: [Study]) throws(StoreError)
}
