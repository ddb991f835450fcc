import ArgumentParser
import Logging

@main
struct Capplan: AsyncParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "capplan",
    abstract:
      "Plan AI capacity: how many MW of each hardware serve each offering, where and when, for the most EBIT.",
    discussion: """
      A scenario file (YAML) describes periods, hardware, sites, offerings and policies; \
      capplan formulates it as an LP/MIP, solves it with GLPK and explains the plan.

      Exit codes: 0 solved (or valid), 1 error, 2 invalid input, 3 infeasible, \
      4 unbounded, 5 stopped without a solution (time or iteration limit).
      """,
    version: version,
    subcommands: [
      ValidateCommand.self, SolveCommand.self, SweepCommand.self, StudiesCommand.self,
      AlternativesCommand.self,
      SubmitCommand.self,
      WorkerCommand.self,
      JobsCommand.self, PlansCommand.self, ScheduleCommand.self, ServeCommand.self, LPCommand.self,
      MigrateCommand.self, CopyCommand.self, TokensCommand.self, GenerateCommand.self, RunJobCommand.self,
    ]
  )
}

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
  @Option(name: .long, help: "Log level for messages on stderr: trace, debug, info, notice, warning, error.")
  var logLevel: Logger.Level = .warning

  func bootstrapLogging() {
    let level = logLevel
    LoggingBootstrap.once(level)
  }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

enum LoggingBootstrap {
  /// swift-log allows one bootstrap per process; commands call this first.
  nonisolated(unsafe) private static var done = false
  static func once(_ level: Logger.Level) {
    guard !done else { return }
    done = true
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = level
      return handler
    }
  }
}
