/// Checks what a scenario means: ids, references, ranges, pricing fit (model spec, "Validation"
/// and "Conventions"). Reports every issue, not just the first.
///
/// Infeasible is not invalid: a scenario whose demands cannot be met passes here and is solved
/// and reported as infeasible.
public enum ScenarioValidator {
  /// Every issue in `scenario`; empty when it is valid. `sourceMap` supplies lines.
  public static func issues(
    in scenario: Scenario, file: String = "scenario", sourceMap: SourceMap = SourceMap()
  ) -> [ScenarioIssue] {
    let checker = ScenarioChecker(scenario: scenario, file: file, sourceMap: sourceMap)
    checker.checkAll()
    return checker.issues
  }

  /// The scenario resolved for formulation, or every issue found.
  public static func validate(
    _ scenario: Scenario, file: String = "scenario", sourceMap: SourceMap = SourceMap()
  ) throws(ScenarioError) -> ValidScenario {
    let found = issues(in: scenario, file: file, sourceMap: sourceMap)
    guard found.isEmpty else { throw ScenarioError(issues: found) }
    return ValidScenario(resolving: scenario)
  }

  /// Validates a loaded document, locating issues in its file.
  public static func validate(_ document: ScenarioDocument) throws(ScenarioError) -> ValidScenario {
    try validate(document.scenario, file: document.file, sourceMap: document.sourceMap)
  }
}

/// One validation pass over a scenario; collects issues.
final class ScenarioChecker {
  let scenario: Scenario
  let file: String
  let sourceMap: SourceMap
  private(set) var issues: [ScenarioIssue] = []

  let periodIDs: [String]
  let hardwareIDs: [String]
  let siteIDs: [String]
  let offeringIDs: [String]

  init(scenario: Scenario, file: String, sourceMap: SourceMap) {
    self.scenario = scenario
    self.file = file
    self.sourceMap = sourceMap
    periodIDs = scenario.periods.map(\.id)
    hardwareIDs = scenario.hardware.map(\.id)
    siteIDs = scenario.sites.map(\.id)
    offeringIDs = scenario.offerings.map(\.id)
  }

  func checkAll() {
    checkID(scenario.id, at: "scenario")
    checkPeriods()
    checkHardware()
    checkCompanions()
    checkSites()
    checkOfferings()
    checkPolicies()
    if let stability = scenario.stability {
      checkNumber(stability.moveCost, at: "stability.move_cost", .money)
    }
    if let rate = scenario.finance?.discountRate { checkDiscountRate(rate, at: "finance.discount_rate") }
    if let uncertainty = scenario.uncertainty { checkUncertainty(uncertainty) }
  }

  func report(_ path: String, _ message: String) {
    issues.append(
      ScenarioIssue(
        file: sourceMap.file(for: path) ?? file, path: path, line: sourceMap.line(for: path), message: message
      ))
  }

  // MARK: Numbers

  enum NumberRule {
    /// MW or $M: at least 0.
    case mw, money
    /// Strictly above 0.
    case positive
    /// PUE: at least 1.
    case atLeastOne
    /// A share: in [0, 1].
    case share
  }

  /// No MW, $M or year count in a capacity plan is beyond these; values outside them are slips
  /// (a unit off by millions) whose products overflow, or whose tiny coefficients the solver's
  /// scaling cannot take (an install block of 1e-300 MW made GLPK refuse the model).
  static let largest = 1e9
  static let smallest = 1e-9

  func checkNumber(_ value: Double, at path: String, _ rule: NumberRule) {
    guard value.isFinite else {
      report(path, "must be a finite number, found \(ScenarioText.number(value))")
      return
    }
    if abs(value) > Self.largest {
      report(
        path, "\(ScenarioText.number(value)) is too large to plan with (at most 1e9: is the unit right?)")
      return
    }
    if value != 0, abs(value) < Self.smallest {
      report(path, "\(ScenarioText.number(value)) is too small to plan with (write 0, or at least 1e-9)")
      return
    }
    switch rule {
    case .mw where value < 0:
      report(path, "MW cannot be negative, found \(ScenarioText.number(value))")
    case .money where value < 0:
      report(path, "money cannot be negative, found \(ScenarioText.number(value))")
    case .positive where value <= 0:
      report(path, "must be above 0, found \(ScenarioText.number(value))")
    case .atLeastOne where value < 1:
      report(path, "must be at least 1, found \(ScenarioText.number(value))")
    case .share where value < 0 || value > 1:
      report(path, "a share must be between 0 and 1, found \(ScenarioText.number(value))")
    default:
      break
    }
  }

  /// An annual rate in [0, 1): 1 or more (100% a year) is a typing slip for a percentage.
  func checkDiscountRate(_ value: Double, at path: String) {
    guard value.isFinite else {
      report(path, "must be a finite number, found \(ScenarioText.number(value))")
      return
    }
    if value < 0 {
      report(path, "a discount rate cannot be negative, found \(ScenarioText.number(value))")
    } else if value >= 1 {
      report(
        path,
        "a discount rate is an annual fraction below 1 (0.08 for 8%), found \(ScenarioText.number(value))")
    }
  }

  /// A period series: map keys must be period ids, every value passes `rule`.
  func checkSeries(_ series: Series, at path: String, _ rule: NumberRule) {
    for (key, value) in series.numbers {
      guard let key else {
        checkNumber(value, at: path, rule)
        continue
      }
      let entryPath = "\(path).\(key)"
      if !periodIDs.contains(key) {
        report(entryPath, "unknown period '\(key)' (periods: \(ScenarioText.ids(periodIDs)))")
      } else {
        checkNumber(value, at: entryPath, rule)
      }
    }
  }

  // MARK: Ids and references

  func checkID(_ id: String, at path: String) {
    if id.isEmpty {
      report(path, "an id cannot be empty")
    } else if !id.unicodeScalars.allSatisfy(Self.idCharacters.contains) {
      report(path, "'\(id)' is not a valid id: use only letters, digits, '-', '_' and '.'")
    }
  }

  /// ASCII only: ids become LP row and column names and file names downstream.
  static let idCharacters = Set(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.".unicodeScalars)

  /// Checks each id's form and that none repeats; `entries` are (id, path of the id field).
  func checkIDs(_ entries: [(id: String, path: String)], kind: String) {
    var first: [String: String] = [:]
    for (id, path) in entries {
      checkID(id, at: path)
      if let earlier = first[id] {
        let line = sourceMap.line(for: earlier).map { ", line \($0)" } ?? ""
        report(path, "duplicate \(kind) id '\(id)' (also at \(earlier)\(line))")
      } else {
        first[id] = path
      }
    }
  }

  /// Reports `id` unless it is among `known`; returns whether it was.
  @discardableResult
  func checkReference(_ id: String, at path: String, kind: String, known: [String]) -> Bool {
    if known.contains(id) { return true }
    let plural = kind == "hardware" ? "known" : "\(kind)s"
    report(path, "unknown \(kind) '\(id)' (\(plural): \(ScenarioText.ids(known)))")
    return false
  }

  /// Reports a list entry that repeats an earlier one.
  func checkNoRepeats(_ ids: [String], at path: String, what: String) {
    var seen: Set<String> = []
    for (index, id) in ids.enumerated() where !seen.insert(id).inserted {
      report("\(path)[\(index)]", "\(what) '\(id)' is listed twice")
    }
  }
}
