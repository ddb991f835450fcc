import ArgumentParser
import Foundation
import GLPK
import JobQueue
import LinearProgramming

struct LPCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lp",
    abstract: "Solve an LP/MIP model file (MPS, CPLEX LP or GNU MathProg) with GLPK.",
    discussion: """
      Prints the status, objective and solve time; --json prints one JSON object with \
      status, objective, values (variable name to value) and the solver record. \
      A MathProg model's printf and display output comes first (in JSON: "output").

      Examples:
        capplan lp afiro.mps.gz
        capplan lp model.mod --data model.dat --json
        capplan lp p0033.mps --gap 0.01 --time-limit 10
      """)

  @Argument(help: "The model file (.mps, .lp, .mod; .gz is read compressed).")
  var file: String

  @Option(help: "File format: mps (fixed), freemps, lp (CPLEX LP) or mathprog. Default: from the file name.")
  var format: ModelFileFormat?

  @Option(help: "MathProg data file.")
  var data: String?

  @Option(name: .customLong("time-limit"), help: "Stop after this many seconds.")
  var timeLimit: Double?

  @Option(help: "Relative MIP gap at which to stop (e.g. 0.0001).")
  var gap: Double?

  @Option(help: "LP method: primal, dual, dualp (dual, then primal) or interior.")
  var method: LPMethod = .dualPrimalSimplex

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @Flag(name: .customLong("solver-log"), help: "Send GLPK's own log to stderr.")
  var solverLog = false

  @Flag(help: "For an infeasible LP, list an irreducible infeasible subset of rows and bounds.")
  var iis = false

  @Option(help: "Also write the model to this file (format from its name: .mps, .lp, .gz).")
  var write: String?

  @OptionGroup var global: GlobalOptions

  func validate() throws {
    if let timeLimit { try checkRange(timeLimit, Limits.timeLimit, "--time-limit") }
    if let g = gap, !(g >= 0 && g.isFinite) { throw ValidationError("--gap must be a non-negative number") }
    if data != nil, (format ?? ModelFileFormat.guess(path: file)) != .mathProg {
      throw ValidationError("--data goes with a MathProg model (.mod or --format mathprog)")
    }
  }

  func run() async throws {
    // GLPK's log goes through swift-log at info level: --solver-log must show it.
    LoggingBootstrap.once(solverLog && global.logLevel > .info ? .info : global.logLevel)
    do {
      if (format ?? ModelFileFormat.guess(path: file)) == .mathProg,
        ProcessInfo.processInfo.environment[Self.childMarker] == nil
      {
        try runMathProgInChild()
        return
      }
      try solve()
    } catch let failure as CommandFailure {
      printError(failure.message)
      throw failure.outcome.exitCode
    }
  }

  func solve() throws {
    guard let format = format ?? ModelFileFormat.guess(path: file) else {
      throw CommandFailure(
        message: "cannot tell the format of \(file) from its name; pass --format mps|freemps|lp|mathprog",
        outcome: .invalidInput)
    }
    var options = SolveOptions()
    options.timeLimitSeconds = timeLimit
    options.relativeGap = gap
    options.method = method
    options.logLevel = solverLog ? .normal : .off
    let model: Model
    let solution: Solution
    var output = ""
    do {
      if format == .mathProg {
        let run = try MathProg.run(modelPath: file, dataPath: data, options: options)
        (model, solution, output) = (run.model, run.solution, run.output)
      } else {
        model = try Model.read(contentsOf: file, format: format)
        solution = try GLPKSolver().solve(model, options: options)
      }
      if let write {
        guard let target = ModelFileFormat.guess(path: write), target != .mathProg else {
          throw CommandFailure(message: "--write needs a .mps or .lp file name", outcome: .invalidInput)
        }
        try model.write(to: write, format: target)
      }
    } catch let error as LPError {
      throw CommandFailure(message: error.description, outcome: Self.outcome(of: error))
    }
    var subset: [String]?
    if iis, solution.termination == .infeasible {
      do {
        if let found = try GLPKSolver().infeasibleSubset(model) {
          subset =
            found.constraints.map { "row \(model.name(of: $0))" }
            + found.boundedVariables.map { "bounds of \(model.name(of: $0))" }
        }
      } catch {
        throw CommandFailure(message: "\(error)", outcome: .error)
      }
    }
    let report = LPReport(model: model, solution: solution, output: output, infeasibleSubset: subset)
    if json {
      try JSONOutput.print(report)
    } else {
      print(report.text, terminator: "")
    }
    let outcome = Self.outcome(of: solution)
    if outcome != .solved { throw outcome.exitCode }
  }

  /// Set in the environment of the child that runs a MathProg model.
  static let childMarker = "CAPPLAN_LP_MATHPROG_CHILD"

  /// MathProg text reaches GLPK paths that end the process with no error
  /// return to catch: glibc's buffer checks on a `printf "%10000d"`, a stack
  /// overflow on 10,000 nested parentheses. So `lp` runs a MathProg model in a
  /// child (this executable again, same arguments, same output streams), and
  /// a child that dies of a signal becomes an error message.
  func runMathProgInChild() throws {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: currentExecutablePath())
    child.arguments = Array(CommandLine.arguments.dropFirst())
    var environment = ProcessInfo.processInfo.environment
    environment[Self.childMarker] = "1"
    // A crash is reported below in one line, not as the runtime's backtrace.
    environment["SWIFT_BACKTRACE"] = "enable=no"
    child.environment = environment
    // Standard output goes straight through; standard error is held until the
    // child ends, so a crash's glibc chatter is replaced by one message.
    let errors = Pipe()
    child.standardError = errors
    do {
      try child.run()
    } catch {
      throw CommandFailure(message: "cannot start the MathProg process: \(error)", outcome: .error)
    }
    let errorText = errors.fileHandleForReading.readDataToEndOfFile()
    child.waitUntilExit()
    if child.terminationReason != .uncaughtSignal { FileHandle.standardError.write(errorText) }
    if child.terminationReason == .uncaughtSignal {
      let signal = child.terminationStatus
      let name =
        signal == SIGSEGV
        ? "SIGSEGV" : signal == SIGABRT ? "SIGABRT" : signal == SIGKILL ? "SIGKILL" : "signal \(signal)"
      throw CommandFailure(
        message: "GLPK crashed (\(name)) on the MathProg model \(file): it holds something GLPK cannot "
          + "survive, such as a printf format with a huge width or precision or very deep nesting",
        outcome: .error)
    }
    if child.terminationStatus != 0 { throw ExitCode(child.terminationStatus) }
  }

  static func outcome(of error: LPError) -> Outcome {
    switch error {
    case .solverFailure: return .error
    default: return .invalidInput
    }
  }

  static func outcome(of s: Solution) -> Outcome {
    switch s.termination {
    case .optimal, .gapLimit: return .solved
    case .infeasible: return .infeasible
    case .unbounded, .infeasibleOrUnbounded: return .unbounded
    case .timeLimit, .iterationLimit, .interrupted: return s.hasFeasibleSolution ? .solved : .noSolution
    case .numericalError, .error: return .error
    }
  }
}

extension ModelFileFormat: ExpressibleByArgument {}
extension LPMethod: ExpressibleByArgument {}

/// What `capplan lp` prints.
struct LPReport: Encodable {
  var status: String
  var hasSolution: Bool
  var objective: Double?
  var bestBound: Double?
  var gap: Double?
  var timeSeconds: Double
  var rows, columns, nonzeros, integerColumns, iterations, nodes: Int
  var values: [String: Double]
  var output: String
  var infeasibleSubset: [String]?
  var message: String?

  enum CodingKeys: String, CodingKey {
    case status, objective, gap, rows, columns, nonzeros, iterations, nodes, values, output, message
    case hasSolution = "has_solution", bestBound = "best_bound", timeSeconds = "time_seconds"
    case integerColumns = "integer_columns", infeasibleSubset = "infeasible_subset"
  }

  init(model: Model, solution s: Solution, output: String, infeasibleSubset: [String]?) {
    status = s.termination.rawValue
    hasSolution = s.hasFeasibleSolution
    objective = s.objectiveValue
    bestBound = s.bestBound
    gap = s.relativeGap
    timeSeconds = s.statistics.seconds
    rows = s.statistics.rows
    columns = s.statistics.columns
    nonzeros = s.statistics.nonzeros
    integerColumns = s.statistics.integerColumns
    iterations = s.statistics.iterations
    nodes = s.statistics.nodes
    var values: [String: Double] = [:]
    if s.hasFeasibleSolution {
      for v in model.variables where v.index < s.values.count {
        values[model.name(of: v)] = s.values[v.index]
      }
    }
    self.values = values
    self.output = output
    self.infeasibleSubset = infeasibleSubset
    message = s.message
  }

  var text: String {
    var t = output
    t += "status:     \(status)\(hasSolution ? "" : " (no feasible solution)")\n"
    if let objective { t += "objective:  \(objective)\n" }
    if let bestBound, integerColumns > 0 { t += "best bound: \(bestBound)\n" }
    if let gap, integerColumns > 0 { t += "gap:        \(String(format: "%.4g", gap))\n" }
    t += "time:       \(String(format: "%.3f", timeSeconds)) s\n"
    t += "size:       \(rows) rows, \(columns) columns (\(integerColumns) integer), \(nonzeros) non-zeros\n"
    t += "work:       \(iterations) simplex iterations\(integerColumns > 0 ? ", \(nodes) nodes" : "")\n"
    if let message { t += "note:       \(message)\n" }
    if let infeasibleSubset {
      t += "infeasible subset (\(infeasibleSubset.count)):\n"
      for e in infeasibleSubset { t += "  \(e)\n" }
    }
    return t
  }
}
