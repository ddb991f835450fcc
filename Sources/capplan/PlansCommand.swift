import ArgumentParser
import CapacityModel
import Foundation
import PlanStore

struct PlansCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plans", abstract: "Review stored plans.",
    subcommands: [List.self, Show.self], defaultSubcommand: List.self)

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stored plans, newest first.")
    @Option(help: "Only plans of this scenario id.") var scenario: String?
    @Option(help: "Only plans with this status (optimal, infeasible, ...).") var status: String?
    @Option(help: "At most this many.") var limit: Int = 50
    @Option(help: "table or json.") var format: ListFormat = .table
    @OptionGroup var store: StoreOptions

    func run() throws {
      try reportingFailures {
        var filter = PlanFilter()
        filter.scenarioID = scenario
        filter.status = status
        filter.limit = limit
        let plans = try store.open().plans(filter)
        if format == .json {
          try JSONOutput.print(plans)
        } else {
          print(PlanListTable.table(plans).text, terminator: "")
        }
      }
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "A stored plan: summary, financials, allocations, power, marginals, solver record.")
    @Argument var id: Int64
    @Option(help: "table, json, csv or markdown.") var format: TableFormat = .table
    @OptionGroup var store: StoreOptions
    func run() throws {
      try reportingFailures {
        let db = try store.open()
        let plan = try db.plan(id)
        if format == .json {
          try PlanOutput.print(plan, format: .json)
          return
        }
        let summary = try db.planSummary(id)
        if format == .table || format == .markdown {
          print(
            "Plan \(id) of job \(summary.jobID) (attempt \(summary.attempt)), \(isoDate(summary.createdAt))"
              + (summary.previousPlanID.map { ", previous plan \($0)" } ?? ""))
        }
        try PlanOutput.print(plan, format: format)
      }
    }
  }
}

enum PlanListTable {
  static func table(_ plans: [PlanSummary]) -> Table {
    var t = Table(
      "Plans ($M over the horizon)",
      columns: ["id", "created", "scenario", "status", "EBIT", "EBIT margin", "solve s", "job", "previous"],
      firstNumeric: 4)
    for p in plans {
      t.add([
        "\(p.id)", isoDate(p.createdAt), p.scenarioID, p.status, p.ebit.map { money($0) } ?? "-",
        percent(p.ebitMargin), fixed(p.solveSeconds, 3), "\(p.jobID)", p.previousPlanID.map { "\($0)" } ?? "-",
      ])
    }
    return t
  }
}
