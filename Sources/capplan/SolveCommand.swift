import ArgumentParser
import CapacityModel
import Foundation
import LinearProgramming
import PlanStore

/// Options shared by the commands that solve scenarios.
struct SolveFlags: ParsableArguments {
  @Option(
    name: .customLong("time-limit"),
    help: "Stop the solve after this many seconds (a plan with an incumbent is kept).")
  var timeLimit: Double?

  @Option(help: "Relative MIP gap at which to stop.")
  var gap: Double = 1e-4

  @Option(
    help:
      "LP method: primal (default: fastest on capacity LPs), dual, dualp (dual, then primal) or interior (no basis: no warm start)."
  )
  var method: LPMethod = .primalSimplex

  func validate() throws {
    if let timeLimit { try checkRange(timeLimit, Limits.timeLimit, "--time-limit") }
    if !(gap >= 0 && gap.isFinite) { throw ValidationError("--gap must be a non-negative number") }
  }

  var planOptions: PlanOptions {
    var o = PlanOptions()
    o.timeLimitSeconds = timeLimit
    o.relativeGap = gap
    o.method = method
    return o
  }
}

struct SolveCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "solve",
    abstract: "Find the allocation of MW that maximizes EBIT for a scenario, and print the plan.",
    discussion: """
      Prints per-period financials (revenue by use, opex, depreciation, fixed costs, EBIT, margin), \
      the lab side of revenue-share offerings, allocations by offering, hardware and site, installs, \
      expansions built, marginal values and the solver record. --format json is the complete plan, \
      which --previous reads back to apply the scenario's stability move cost.

      Exit codes: 0 solved, 2 invalid input, 3 infeasible (the conflicting limits are named), \
      5 stopped without a solution.
      """)

  @Argument(help: "The scenario file.")
  var file: String

  @Option(
    help: "A plan (JSON from `solve --format json`) to stay close to, at the scenario's stability.move_cost.")
  var previous: String?

  @OptionGroup var solve: SolveFlags

  @Option(help: "Output format: table, json, csv or markdown.")
  var format: TableFormat = .table

  @Flag(
    help:
      "With --previous: solve from scratch instead of starting from the previous plan's basis or solution.")
  var cold = false

  @Option(
    help: "Also write plan.json and CSV files (as `plans export`, headers with units) into this folder.")
  var out: String?

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    global.bootstrapLogging()
    do {
      let (plan, scenario) = try makePlan()
      try PlanOutput.print(plan, format: format)
      if let out {
        // The same files as `plans export --format csv`: headers carry their units.
        _ = try PlanExport(unstored: plan, scenario: scenario, label: file).write(to: out, format: .csv)
      }
      if plan.status.outcome != .solved { throw plan.status.outcome.exitCode }
    } catch let failure as CommandFailure {
      printError(failure.message)
      throw failure.outcome.exitCode
    }
  }

  func makePlan() throws(CommandFailure) -> (Plan, ValidScenario) {
    let (_, scenario) = try ScenarioInput.load(file)
    var options = solve.planOptions
    if let previous {
      do {
        let plan = try Plan.read(contentsOf: previous)
        options.previous = plan.previousAllocations
        if !cold { options.warmStart = plan.warmStart }
      } catch {
        throw CommandFailure(message: "\(error)", outcome: .invalidInput)
      }
    }
    let progress = Progress.start(label: scenario.scenario.scenario)
    options.progress = progress?.mipCallback
    defer { progress?.finish() }
    do {
      return (try Planner.plan(scenario, options: options), scenario)
    } catch {
      throw CommandFailure(message: error.description, outcome: .error)
    }
  }
}

extension TableFormat: ExpressibleByArgument {}

enum PlanOutput {
  static func print(_ plan: Plan, format: TableFormat) throws {
    switch format {
    case .json:
      FileHandle.standardOutput.write(try plan.jsonData())
      FileHandle.standardOutput.write(Data("\n".utf8))
    case .table, .markdown:
      let tables = PlanTables(plan: plan)
      Swift.print(
        (format == .markdown ? "## " : "")
          + OutputEscaping.lines(tables.headline, markdown: format == .markdown))
      Swift.print(tables.all.rendered(format), terminator: "")
    case .csv:
      Swift.print(PlanTables(plan: plan).all.rendered(.csv), terminator: "")
    }
  }
}
