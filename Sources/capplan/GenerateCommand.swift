import ArgumentParser
import CapacityModel
import Foundation
import JobQueue

struct GenerateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate",
    abstract:
      "Write a generated scenario (YAML) of any size: for benchmarks, tests and trying capplan at scale.",
    discussion: """
      The same arguments and seed give the same scenario on every machine. The scenario imitates \
      Models/aws-2026.yaml: Trainium and GPU hardware with Graviton4 head nodes, revenue-share, \
      first-party, rental and internal offerings, demand caps, commitments, a Trainium policy, \
      fleet-wide supply and site power that grows. It is an LP unless --integers adds install \
      blocks and expansions. Feasible by construction.

      Example (the 200-site LP of BENCHMARKS.md):
        capplan generate --sites 200 --periods 12 --hardware 5 --offerings 8 --out big.yaml
      """)

  @Option(help: "Sites.") var sites: Int
  @Option(help: "Quarters, from 2026Q3.") var periods: Int = 12
  @Option(help: "Kinds of hardware (trainium2, gb200, graviton4, trainium3, gb300, accel-6, ...).")
  var hardware: Int = 5
  @Option(
    help:
      "Offerings (lab-a, gpu-rental, first-party, internal-training, lab-b, trainium-rental, cpu-rental, lab-c, ...)."
  )
  var offerings: Int = 8
  @Option(help: "Seed of the generator.") var seed: UInt64 = 1
  @Flag(help: "Install blocks and expansions: a MIP.") var integers = false
  @Option(
    help:
      "Add an uncertainty section with this many demand cases (1-50): every demand series scaled from 0.7 to 1.3, equally likely."
  )
  var demandCases: Int?
  @Option(help: "Write the scenario here instead of to standard output.") var out: String?

  func validate() throws {
    for (name, value, limit) in [
      ("sites", sites, Limits.generatedSites), ("periods", periods, Limits.generatedPeriods),
      ("hardware", hardware, Limits.generatedHardware), ("offerings", offerings, Limits.generatedOfferings),
    ] {
      try checkRange(value, limit, "--\(name)")
    }
    if let demandCases, !(1...Scenario.Uncertainty.maxCases).contains(demandCases) {
      throw ValidationError("--demand-cases must be between 1 and \(Scenario.Uncertainty.maxCases)")
    }
  }

  func run() throws {
    var scenario = ScenarioGenerator(
      sites: sites, periods: periods, hardware: hardware, offerings: offerings, seed: seed, integers: integers
    ).generate()
    if let demandCases { scenario = scenario.withDemandCases(demandCases) }
    do {
      let text = try scenario.yamlText()
      if let out {
        try OutputFile.write(Data(text.utf8), to: out)
      } else {
        print(text, terminator: "")
      }
    } catch {
      printError("cannot write the scenario: \(error)")
      throw Outcome.error.exitCode
    }
  }
}
