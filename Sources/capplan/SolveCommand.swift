import ArgumentParser
import CapacityModel
import Foundation
import GLPK
import JobQueue
import LinearProgramming

struct SolveCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "solve",
    abstract: "Find the allocation of MW that maximizes EBIT for a scenario, and print the plan.",
    discussion: """
      Prints per-period financials (revenue by use, opex, depreciation, fixed costs, EBIT, margin), \
      the lab side of revenue-share offerings, allocations by offering, hardware and site, installs, \
      expansions built, marginal values and the solver record. --format json is the complete plan, \
      which --previous reads back to apply the scenario's stability move cost.

      An infeasible scenario names the limits that conflict and what the least relaxation needs, \
      limit by limit ("committed_mw of gpu-rental in 2026Q4: short 50 MW of 250 MW"); --elastic \
      prints that relaxed plan in full, marked infeasible_relaxed.

      Exit codes: 0 solved, 2 invalid input, 3 infeasible (the conflicting limits are named), \
      5 stopped without a solution.
      """)

  @Argument(help: "The scenario file.")
  var file: String

  @OptionGroup var source: ScenarioSourceOptions

  @Option(
    help: "A plan (JSON from `solve --format json`) to stay close to, at the scenario's stability.move_cost.")
  var previous: String?

  @OptionGroup var settings: SolveSettingsOptions

  @Flag(
    help:
      "Progress lines on stderr (time, best plan's EBIT, bound, gap, nodes) even when stderr is not a terminal."
  )
  var progress = false

  @Option(help: "Output format: table, json, csv or markdown.")
  var format: TableFormat = .table

  @Flag(
    help:
      "When the scenario is infeasible, print the elastic plan (status infeasible_relaxed): the best plan when the limits listed as shortfalls give way by the least total amount. Exit code 3 all the same."
  )
  var elastic = false

  @Flag(
    name: .customLong("no-price-of-stability"),
    help:
      "With --previous and a move cost: skip the second solve without the move cost that prices stability.")
  var noPriceOfStability = false

  @Flag(
    name: .customLong("skip-evpi-vss"),
    help:
      "With demand cases (uncertainty.cases): skip the extra solves behind EVPI and VSS (each case alone, and the expected-demand plan across the cases)."
  )
  var skipEVPIVSS = false

  @Flag(
    help:
      "With --previous: solve from scratch instead of starting from the previous plan's basis or solution.")
  var cold = false

  @Option(
    help: "Also write plan.json and CSV files (as `plans export`, headers with units) into this folder.")
  var out: String?

  @Option(
    help:
      "Also write the scenario's LP/MIP to this file for another solver (.mps, free-format .mps, .lp; .gz compresses)."
  )
  var write: String?

  @Flag(help: "With --write: write the model and stop, without solving.")
  var noSolve = false

  @OptionGroup var global: GlobalOptions

  func validate() throws {
    if noSolve && write == nil { throw ValidationError("--no-solve needs --write FILE") }
    if let write, ModelFileFormat.guess(path: write).map({ $0 == .mathProg }) ?? true {
      throw ValidationError("--write needs a file name ending in .mps or .lp (optionally .gz)")
    }
  }

  func run() async throws {
    global.bootstrapLogging()
    do {
      let loaded = try source.load(file)
      let (document, scenario) = (loaded.document, loaded.scenario)
      try settings.check(for: scenario, file: loaded.source)
      let previous = try readPrevious()
      if let write {
        try writeModel(of: scenario, previous: previous, to: write)
        if noSolve { return }
      }
      let plan = try makePlan(document, scenario, previous: previous)
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

  /// The model a solve would hand to GLPK (with the previous plan's move cost, if any).
  func writeModel(of scenario: ValidScenario, previous: Plan?, to path: String) throws(CommandFailure) {
    let objective = settings.settings.objective
    let model =
      scenario.demandCases.map {
        StochasticFormulation(
          $0, previous: previous?.previousAllocations, previousByCase: previous?.previousAllocationsByCase,
          objective: objective
        ).model
      } ?? Formulation(scenario, previous: previous?.previousAllocations, objective: objective).model
    let format: ModelFileFormat = ModelFileFormat.guess(path: path) ?? .mps
    do {
      try model.write(to: path, format: format)
    } catch {
      throw CommandFailure(message: "cannot write \(path): \(error)", outcome: .error)
    }
    printError(
      "wrote \(path): \(model.constraintCount) rows, \(model.variableCount) columns, "
        + "\(model.nonzeroCount) non-zeros, \(model.integerCount) integer")
  }

  func readPrevious() throws(CommandFailure) -> Plan? {
    guard let previous else { return nil }
    do {
      return try Plan.read(contentsOf: previous)
    } catch {
      throw CommandFailure(message: "\(error)", outcome: .invalidInput)
    }
  }

  func makePlan(_ document: ScenarioDocument, _ scenario: ValidScenario, previous: Plan?)
    throws(CommandFailure)
    -> Plan
  {
    var options = PlanOptions(settings: settings.settings)
    options.elastic = elastic
    options.priceOfStability = !noPriceOfStability
    options.valueOfInformation = !skipEVPIVSS
    var warnings = PlanWarnings.scenario(document, scenario)
    if let previous {
      options.stayClose(to: previous, warmStart: !cold)
      warnings += PlanWarnings.previous(previous, for: scenario)
    }
    let progress = Progress.start(label: scenario.asWritten.id, forced: self.progress)
    options.progress = progress?.mipCallback
    options.log = progress?.logCallback
    defer { progress?.finish() }
    do {
      var plan = try Planner.plan(scenario, options: options)
      PlanWarnings.attach(warnings, to: &plan)
      return plan
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
