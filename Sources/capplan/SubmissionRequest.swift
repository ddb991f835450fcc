import CapacityModel
import JobQueue
import LinearProgramming

/// A field of a job submission: what `capplan submit`, `POST /v1/jobs` and the console's upload
/// form all take (a schedule takes the solve settings among them).
enum SubmissionField: CaseIterable, Sendable {
  case priority, maxAttempts, idempotencyKey, previousPlan, caseName
  case timeLimit, gap, method, rounding, feasibilityPump, proximitySearch, objective

  /// The field as a query parameter and as the console form's input name.
  var parameterName: String { SubmissionSpelling.words(self).joined(separator: "_") }

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
    case .api: field == .idempotencyKey ? "Idempotency-Key" : field.parameterName
    case .console: Self.words(field).joined(separator: " ")
    }
  }

  /// How the console's form labels a field: its name in the console's messages, capitalized.
  static func label(_ field: SubmissionField) -> String {
    let name = SubmissionSpelling.console.name(field)
    return name.prefix(1).uppercased() + name.dropFirst()
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
      problems.append(FieldText.notAnID(spelling.name(.previousPlan), "\(previousPlan)"))
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
    /// The field's text read by `read`, or nil (absent, or refused into `problems`).
    func value<T>(_ field: SubmissionField, _ read: (String, String) throws(FieldText.Refusal) -> T) -> T? {
      guard let text = raw[field] else { return nil }
      do {
        return try read(spelling.name(field), text)
      } catch {
        problems.append(error.message)
        return nil
      }
    }
    // Numbers are range-checked below, which refuses nan and inf with the range.
    func number(_ field: SubmissionField) -> Double? {
      value(field) { (n, t) throws(FieldText.Refusal) in try FieldText.number(n, t, finite: false) }
    }
    func flag(_ field: SubmissionField) -> Bool? { value(field, FieldText.bool) }

    if let p = value(.priority, FieldText.integer) { priority = p }
    if let m = value(.maxAttempts, FieldText.integer) { maxAttempts = m }
    idempotencyKey = raw[.idempotencyKey]
    previousPlan = value(.previousPlan, FieldText.id)
    caseName = raw[.caseName]
    settings = SolveSettings.with(
      timeLimit: number(.timeLimit), gap: number(.gap),
      method: value(.method) { (n, t) throws(FieldText.Refusal) in try FieldText.choice(n, t, LPMethod.self)
      },
      rounding: flag(.rounding), feasibilityPump: flag(.feasibilityPump),
      proximitySearch: number(.proximitySearch),
      objective: value(.objective) { (n, t) throws(FieldText.Refusal) in
        try FieldText.choice(n, t, SolveObjective.self)
      })
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
