import ArgumentParser
import CapacityModel
import Foundation

struct AlternativesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "alternatives",
    abstract: "Near-optimal plans that decide differently: which installs and expansions are forced.",
    discussion: """
      Finds the optimum, then up to --count plans whose EBIT is within --slack of it (0.02: at \
      most 2% less) but whose installs and expansions differ as much as possible from the \
      optimum's and from each other's (modelling to generate alternatives, Hop-Skip-Jump: each \
      search avoids the install and expansion columns earlier plans used). Each alternative's \
      allocations are then solved again for the best EBIT with its decisions fixed.

      The table has a column per plan: EBIT and its change against the optimum, new MW by \
      hardware, the period each expansion is built in, and how far the plan's decisions are \
      from the optimum's. Decisions that every plan makes are listed after it: those are forced.

      Example:
        capplan alternatives Models/aws-2026.yaml --slack 0.02 --count 3 --out alternatives
      """)

  @Argument(help: "The scenario file.")
  var file: String

  @OptionGroup var source: ScenarioSourceOptions

  @Option(help: "How much EBIT an alternative may give up, as a fraction of the optimum's (0.02 = 2%).")
  var slack: Double = 0.02

  @Option(help: "How many alternatives to look for.")
  var count: Int = 5

  @Option(help: "table, json, csv or markdown.")
  var format: TableFormat = .table

  @Option(
    help: ArgumentHelp(
      "Also write each plan as JSON (optimum.json, alternative-1.json, ...) into this folder, "
        + "removing alternative files an earlier run left beyond these."))
  var out: String?

  @OptionGroup var settings: SolveSettingsOptions
  @OptionGroup var global: GlobalOptions

  func validate() throws {
    guard slack.isFinite, slack >= 0, slack <= 1 else {
      throw ValidationError("--slack \(slack) is out of range: give 0 to 1 (0.02 is 2%)")
    }
    guard (1...50).contains(count) else {
      throw ValidationError("--count \(count) is out of range: give 1 to 50")
    }
  }

  func run() async throws {
    global.bootstrapLogging()
    try await reportingFailuresAsync {
      let loaded = try source.load(file)
      let scenario = loaded.scenario
      let result: Alternatives.Result
      do {
        result = try Alternatives.find(
          scenario, slack: slack, count: count, options: PlanOptions(settings: settings.settings))
      } catch {
        throw CommandFailure(message: String(describing: error), outcome: .error)
      }
      if let out { try write(result.plans, to: out) }
      let comparison = AlternativesComparison(result.plans)
      if format == .json {
        try JSONOutput.print(AlternativesJSON(result, comparison))
      } else {
        let tables = AlternativesTables(result: result, comparison: comparison, file: loaded.source)
        print([tables.table].rendered(format), terminator: "")
        if format != .csv { print(OutputEscaping.lines(tables.summary, markdown: format == .markdown)) }
      }
      if let why = result.stoppedEarly {
        printError("found \(result.plans.count - 1) of \(count) alternatives: \(why)")
      }
    }
  }

  func write(_ plans: [Plan], to folder: String) throws(CommandFailure) {
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      for (i, plan) in plans.enumerated() {
        let name = i == 0 ? "optimum.json" : "alternative-\(i).json"
        try OutputFile.write(try plan.jsonData(), to: (folder as NSString).appendingPathComponent(name))
      }
      // An earlier run that found more would leave its later plans beside these ones.
      for i in plans.count...50 {
        let stale = (folder as NSString).appendingPathComponent("alternative-\(i).json")
        if FileManager.default.fileExists(atPath: stale) { try FileManager.default.removeItem(atPath: stale) }
      }
    } catch let failure as CommandFailure {
      throw failure
    } catch {
      throw CommandFailure(message: "cannot write the plans into \(folder): \(error)", outcome: .error)
    }
  }
}

/// The comparison as a table (a column per plan) and the forced decisions as lines.
struct AlternativesTables {
  var result: Alternatives.Result
  var comparison: AlternativesComparison
  var file: String

  var table: Table {
    let names = ["optimum"] + (1..<max(1, result.plans.count)).map { "alternative \($0)" }
    var t = Table("Near-optimal alternatives of \(file)", columns: [""] + names)
    let c = comparison.columns
    t.add(["status"] + result.plans.map(\.status.rawValue))
    t.add(["EBIT ($M)"] + c.map { $0.ebit.map { money($0) } ?? "-" })
    t.add(["EBIT against the optimum"] + c.map { $0.ebitChange.map { percent($0) } ?? "-" })
    for h in comparison.hardware {
      t.add(["new \(h) (MW)"] + c.map { NumberText.mw($0.newMW[h] ?? 0) })
    }
    for e in comparison.expansionIDs {
      t.add(["expansion \(e) built in"] + c.map { $0.expansions[e] ?? "-" })
    }
    t.add(["installs differing from the optimum (MW)"] + c.map { NumberText.mw($0.installMWFromOptimum) })
    t.add(["expansions differing from the optimum"] + c.map { String($0.expansionsFromOptimum) })
    return t
  }

  var summary: String {
    var lines = [
      "Every alternative keeps EBIT at least $\(money(result.ebitFloor))M "
        + "(\(result.plans.count - 1) found)."
    ]
    let forcedMW = comparison.hardware.compactMap { h in
      comparison.forcedNewMW[h].map { "\(NumberText.mw($0)) MW of new \(h)" }
    }
    if !forcedMW.isEmpty || !comparison.forcedExpansions.isEmpty {
      lines.append(
        "In every plan (forced): "
          + (forcedMW + comparison.forcedExpansions.map { "expansion \($0)" }).joined(separator: ", ") + ".")
    } else {
      lines.append("No install or expansion is in every plan.")
    }
    return lines.joined(separator: "\n")
  }
}

/// `--format json`: the plans in full and the comparison's figures.
struct AlternativesJSON: Encodable {
  var ebitFloor: Double
  var stoppedEarly: String?
  var plans: [Plan]
  var installMWFromOptimum: [Double]
  var expansionsFromOptimum: [Int]
  var forcedNewMW: [String: Double]
  var forcedExpansions: [String]

  init(_ r: Alternatives.Result, _ c: AlternativesComparison) {
    ebitFloor = r.ebitFloor
    stoppedEarly = r.stoppedEarly
    plans = r.plans
    installMWFromOptimum = c.columns.map(\.installMWFromOptimum)
    expansionsFromOptimum = c.columns.map(\.expansionsFromOptimum)
    forcedNewMW = c.forcedNewMW
    forcedExpansions = c.forcedExpansions
  }

  enum CodingKeys: String, CodingKey {
    case ebitFloor = "ebit_floor", stoppedEarly = "stopped_early", plans
    case installMWFromOptimum = "install_mw_from_optimum", expansionsFromOptimum = "expansions_from_optimum"
    case forcedNewMW = "forced_new_mw", forcedExpansions = "forced_expansions"
  }
}
