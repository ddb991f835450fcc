import CapacityModel
import JobQueue
import LinearProgramming

/// A field of a job submission: what `capplan submit`, `POST /v1/jobs` and the console's upload
/// form all take (a schedule takes the solve settings among them).
enum SubmissionField: CaseIterable, Sendable {
  case priority, maxAttempts, idempotencyKey, previousPlan, caseName
  case timeLimit, gap, method, rounding, feasibilityPump, proximitySearch, objective

  init(_ setting: SolveSettings.Setting) {
    switch setting {
    case .timeLimit: self = .timeLimit
    case .relativeGap: self = .gap
    case .method: self = .method
    case .proximitySearch: self = .proximitySearch
    case .objective: self = .objective
    }
  }
}

/// How a front end writes a field, so that one check speaks to each front end's user in their
/// words: the command line says `--max-attempts`, the API `max_attempts`, the console its label.
enum SubmissionSpelling: Sendable {
  case commandLine, api, console

  func name(_ field: SubmissionField) -> String {
    switch self {
    case .commandLine: "--" + Self.words(field).joined(separator: "-")
    case .api: field == .idempotencyKey ? "Idempotency-Key" : Self.words(field).joined(separator: "_")
    case .console: Self.words(field).joined(separator: " ")
    }
  }

  func name(_ setting: SolveSettings.Setting) -> String { name(SubmissionField(setting)) }

  /// A field's name in words; every spelling joins them its own way.
  static func words(_ field: SubmissionField) -> [String] {
    switch field {
    case .priority: ["priority"]
    case .maxAttempts: ["max", "attempts"]
    case .idempotencyKey: ["idempotency", "key"]
    case .previousPlan: ["previous", "plan"]
    case .caseName: ["case"]
    case .timeLimit: ["time", "limit"]
    case .gap: ["gap"]
    case .method: ["method"]
    case .rounding: ["rounding"]
    case .feasibilityPump: ["feasibility", "pump"]
    case .proximitySearch: ["proximity", "search"]
    case .objective: ["objective"]
    }
  }
}

/// Everything wrong with a submission's fields, each problem worded for the front end's user.
struct SubmissionProblems: Error, Equatable, CustomStringConvertible {
  var messages: [String]
  var description: String { messages.joined(separator: "\n") }
}

/// A job submission's fields, checked once for every front end: the ranges are the stores'
/// (``Limits``, ``SolveSettings/check(naming:)``), the messages name each field as `spelling`
/// writes it. The scenario itself is read and validated by each front end (a file, a request
/// body, an upload), then checked against ``settings`` with ``SolveSettings/check(for:naming:)``.
struct SubmissionRequest: Equatable, Sendable {
  var priority = 0
  var maxAttempts = 3
  var idempotencyKey: String?
  var previousPlan: Int64?
  var caseName: String?
  var settings = SolveSettings()

  /// Every range problem, in field order; empty when the fields can be queued.
  func problems(_ spelling: SubmissionSpelling) -> [String] {
    var problems: [String] = []
    for (value, limit, field) in [
      (priority, Limits.priority, SubmissionField.priority), (maxAttempts, Limits.maxAttempts, .maxAttempts),
    ] where !limit.contains(Double(value)) {
      problems.append(limit.refusal(Double(value), label: spelling.name(field)))
    }
    do {
      try Limits.checkIdempotencyKey(idempotencyKey, label: spelling.name(.idempotencyKey))
    } catch {
      problems.append(error.message)
    }
    if let previousPlan, previousPlan < 1 {
      problems.append(Self.notAnID(spelling.name(.previousPlan), "\(previousPlan)"))
    }
    do {
      try settings.check(naming: spelling.name)
    } catch {
      problems.append(error.message)
    }
    return problems
  }

  /// These fields, or every problem with them.
  func checked(_ spelling: SubmissionSpelling) throws(SubmissionProblems) -> SubmissionRequest {
    let problems = problems(spelling)
    guard problems.isEmpty else { throw SubmissionProblems(messages: problems) }
    return self
  }

  /// Reads fields given as text (query parameters, form fields), or throws every problem.
  static func checked(reading raw: [SubmissionField: String], _ spelling: SubmissionSpelling)
    throws(SubmissionProblems) -> SubmissionRequest
  {
    var problems: [String] = []
    let request = SubmissionRequest(reading: raw, spelling, problems: &problems)
    guard problems.isEmpty else { throw SubmissionProblems(messages: problems) }
    return request
  }

  /// Reads fields given as text (query parameters, form fields): a field missing from `raw`
  /// keeps its default. Text that is no value of its field's type is refused by name; numbers
  /// are then range-checked as the command line checks its flags, so `gap=nan` and `--gap nan`
  /// get the same answer. Every problem is added to `problems`; a field that could not be read
  /// keeps its default, so the caller can still look up, say, the previous plan.
  init(reading raw: [SubmissionField: String], _ spelling: SubmissionSpelling, problems: inout [String]) {
    func text(_ field: SubmissionField) -> (name: String, text: String)? {
      raw[field].map { (spelling.name(field), $0) }
    }
    func integer(_ field: SubmissionField) -> Int? {
      guard let (name, t) = text(field) else { return nil }
      guard let value = Int(t) else {
        problems.append("\(name) '\(t)' is not a whole number")
        return nil
      }
      return value
    }
    func number(_ field: SubmissionField) -> Double? {
      guard let (name, t) = text(field) else { return nil }
      guard let value = Double(t) else {
        problems.append("\(name) '\(t)' is not a number")
        return nil
      }
      return value
    }
    func flag(_ field: SubmissionField) -> Bool? {
      guard let (name, t) = text(field) else { return nil }
      switch t.lowercased() {
      case "true", "1", "yes", "on": return true
      case "false", "0", "no", "off": return false
      default:
        problems.append("\(name) '\(t)' is not true or false")
        return nil
      }
    }
    func choice<T: RawRepresentable & CaseIterable>(_ field: SubmissionField, _: T.Type) -> T?
    where T.RawValue == String {
      guard let (name, t) = text(field) else { return nil }
      guard let value = T(rawValue: t) else {
        problems.append("\(name) '\(t)' is not one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        return nil
      }
      return value
    }

    if let p = integer(.priority) { priority = p }
    if let m = integer(.maxAttempts) { maxAttempts = m }
    idempotencyKey = raw[.idempotencyKey]
    if let (name, t) = text(.previousPlan) {
      if let id = Int64(t), id > 0 { previousPlan = id } else { problems.append(Self.notAnID(name, t)) }
    }
    caseName = raw[.caseName]
    settings = SolveSettings.with(
      timeLimit: number(.timeLimit), gap: number(.gap), method: choice(.method, LPMethod.self),
      rounding: flag(.rounding), feasibilityPump: flag(.feasibilityPump),
      proximitySearch: number(.proximitySearch), objective: choice(.objective, SolveObjective.self))
    // A field that could not be read keeps its default, so the range checks below speak only
    // of the fields that were read.
    problems += self.problems(spelling)
  }

  init(
    priority: Int = 0, maxAttempts: Int = 3, idempotencyKey: String? = nil, previousPlan: Int64? = nil,
    caseName: String? = nil, settings: SolveSettings = SolveSettings()
  ) {
    self.priority = priority
    self.maxAttempts = maxAttempts
    self.idempotencyKey = idempotencyKey
    self.previousPlan = previousPlan
    self.caseName = caseName
    self.settings = settings
  }

  static func notAnID(_ name: String, _ text: String) -> String {
    "\(name) '\(text)' is not an id (a whole number from 1)"
  }

  /// The job the store is handed, for `scenario` as the front end read it (with ``caseName``
  /// applied).
  func submission(_ scenario: ComposedScenario) -> JobSubmission {
    JobSubmission(
      scenarioID: scenario.document.scenario.id, source: scenario.source, scenarioText: scenario.text,
      options: JobOptions(settings: settings, previousPlanID: previousPlan),
      priority: priority, idempotencyKey: idempotencyKey, maxAttempts: maxAttempts)
  }
}

extension SolveSettings {
  /// The default settings with the given ones in their place: every front end's fields mean the
  /// same settings.
  static func with(
    timeLimit: Double? = nil, gap: Double? = nil, method: LPMethod? = nil, rounding: Bool? = nil,
    feasibilityPump: Bool? = nil, proximitySearch: Double? = nil, objective: SolveObjective? = nil
  ) -> SolveSettings {
    var settings = SolveSettings()
    settings.timeLimitSeconds = timeLimit
    if let gap { settings.relativeGap = gap }
    if let method { settings.method = method }
    if let rounding { settings.glpk.roundingHeuristic = rounding }
    if let feasibilityPump { settings.glpk.feasibilityPump = feasibilityPump }
    settings.glpk.proximitySearchSeconds = proximitySearch
    if let objective { settings.objective = objective }
    return settings
  }
}

extension LPMethod {
  /// The method as `--method`'s help describes it. A switch, so a new method cannot be added
  /// without saying what it is for.
  var helpSummary: String {
    switch self {
    case .primalSimplex: "primal (the default: fastest on capacity LPs)"
    case .dualSimplex: "dual"
    case .dualPrimalSimplex: "dualp (dual, then primal)"
    case .interiorPoint: "interior (no basis: no warm start, no time limit)"
    case .interiorCrossover: "interior-crossover (interior point, then a crossover to a vertex with a basis)"
    case .race: "race (primal and interior-crossover on two threads; the first answer wins)"
    }
  }

  /// Every method, for `--method`'s help.
  static var helpList: String {
    let all = allCases.map(\.helpSummary)
    return all.dropLast().joined(separator: ", ") + (all.count > 1 ? " or " : "") + (all.last ?? "")
  }
}
