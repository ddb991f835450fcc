import ArgumentParser
import CapacityModel
import Foundation
import JobQueue

struct PlansCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plans", abstract: "Review stored plans: list, show, diff, export, report.",
    subcommands: [List.self, Show.self, Diff.self, Export.self, Report.self], defaultSubcommand: List.self)

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Stored plans, newest first: id, time, scenario, status, EBIT, margin, solve time, previous plan.")
    @Option(
      help: ArgumentHelp("Only plans of this schedule: its name (capplan schedule) or id.", valueName: "name")
    )
    var schedule: String?
    @Option(help: "Only plans of this scenario id.") var scenario: String?
    @Option(help: "Only plans with this status (optimal, infeasible, ...).") var status: String?
    @Option(
      help: ArgumentHelp(
        "Only plans made at or after this time: YYYY-MM-DD (UTC) or ISO 8601.", valueName: "date"))
    var since: String?
    @Option(help: "At most this many.") var limit: Int = 50
    @Option(help: "table, json, csv or markdown.") var format: TableFormat = .table
    @OptionGroup var store: StoreOptions

    func validate() throws {
      if limit < 1 { throw ValidationError("--limit must be at least 1") }
      if let since, SinceDate.parse(since) == nil {
        throw ValidationError("--since \(since): expected YYYY-MM-DD or ISO 8601 (2026-11-26T09:30:00Z)")
      }
    }

    func run() throws {
      try reportingFailures {
        let db = try store.open()
        var filter = PlanFilter()
        filter.scenarioID = scenario
        filter.status = status
        filter.limit = limit
        filter.since = since.flatMap(SinceDate.parse)
        if let schedule { filter.scheduleID = try ScheduleLookup.resolve(schedule, in: db) }
        let plans = try db.plans(filter)
        switch format {
        case .json: try JSONOutput.print(plans)
        case .table: print(PlanListTable.table(plans).text, terminator: "")
        case .markdown: print(PlanListTable.table(plans).markdown, terminator: "")
        case .csv: print(PlanListTable.table(plans, raw: true).csv, terminator: "")
        }
      }
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "A stored plan: summary, financials, allocations by offering x hardware, power against limits, "
        + "binding constraints, marginal values, solver record.")
    @Argument(help: "The plan id.") var id: Int64
    @Option(help: "table, json (the stored plan), csv or markdown.") var format: TableFormat = .table
    @Flag(help: "Also list allocations by offering, hardware and site.") var sites = false
    @Option(
      help: ArgumentHelp(
        "The scenario file the plan was solved from, if it moved (checked against the stored hash).",
        valueName: "path"))
    var scenarioFile: String?
    @OptionGroup var store: StoreOptions
    func run() throws {
      try reportingFailures {
        let db = try store.open()
        if format == .json {
          try PlanOutput.print(try db.plan(id), format: .json)
          return
        }
        let stored = try StoredPlan.load(id, from: db, scenarioFile: scenarioFile)
        let summary = stored.summary
        let tables = PlanShowTables(stored: stored)
        if format == .table || format == .markdown {
          print(
            (format == .markdown ? "## " : "")
              + "Plan \(id) of job \(summary.jobID) (attempt \(summary.attempt)), \(isoDate(summary.createdAt))"
              + (summary.previousPlanID.map { ", previous plan \($0)" } ?? ""))
          print(OutputEscaping.lines(PlanTables(plan: stored.plan).headline, markdown: format == .markdown))
        }
        var out = tables.all(siteDetail: sites).rendered(format)
        if !out.hasSuffix("\n") { out += "\n" }
        print(out, terminator: "")
      }
    }
  }

  struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "What changed from plan A to plan B: MW by offering, hardware, site and period; EBIT by period; "
        + "marginal values; installs and expansions.",
      discussion:
        "Changes read B - A. Plans of different scenarios compare too: what one plan lacks counts as 0.")
    @Argument(help: "The plan to compare against (the older one).") var a: Int64
    @Argument(help: "The plan to compare (the newer one).") var b: Int64
    @Option(help: "text, json or markdown.") var format: DiffFormat = .text
    @Option(help: "List this many single allocation changes, largest first (0: all).") var top: Int = 30
    @OptionGroup var store: StoreOptions

    enum DiffFormat: String, ExpressibleByArgument, CaseIterable { case text, json, markdown }

    func run() throws {
      try reportingFailures {
        let db = try store.open()
        let planA = try StoredPlan.load(a, from: db, withScenario: false)
        let planB = try StoredPlan.load(b, from: db, withScenario: false)
        let diff = PlanDiff(planA.plan, planB.plan)
        for w in diff.warnings { printError("warning: \(w)") }
        switch format {
        case .json:
          try JSONOutput.print(PlanDiffDocument(planA: a, planB: b, diff: diff))
        case .text, .markdown:
          var tables = PlanDiffTables(diff: diff, idA: a, idB: b)
          tables.top = max(0, top)
          var out =
            (format == .markdown ? "## " : "")
            + OutputEscaping.lines(tables.headline, markdown: format == .markdown) + "\n"
          out += tables.all.rendered(format == .markdown ? .markdown : .table)
          print(out, terminator: "")
        }
      }
    }
  }

  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a stored plan as files: plan.json and summary, allocations, financials, revenue, lab, "
        + "marginals, power, installs, expansions and bindings tables.",
      discussion: """
        One row per fact, full precision, units in the headers (it_mw, revenue_musd_per_year: $M per year, \
        ebit_margin_fraction). csv for spreadsheets, json (arrays of objects with the same keys), markdown (.md tables).
        """)
    @Argument(help: "The plan id.") var id: Int64
    @Option(help: "csv, json or markdown.") var format: ExportFormat = .csv
    @Option(help: ArgumentHelp("The folder to write into (created if missing).", valueName: "dir")) var out:
      String
    @Option(help: ArgumentHelp("The scenario file the plan was solved from, if it moved.", valueName: "path"))
    var scenarioFile: String?
    @OptionGroup var store: StoreOptions

    enum ExportFormat: String, ExpressibleByArgument, CaseIterable { case csv, json, markdown }

    func run() throws {
      try reportingFailures {
        let stored = try StoredPlan.load(id, from: try store.open(), scenarioFile: scenarioFile)
        let format = PlanExport.Format(rawValue: format.rawValue) ?? .csv
        let files = try PlanExport(stored).write(to: out, format: format)
        print("plan \(id): wrote \(files.joined(separator: ", ")) into \(out)")
      }
    }
  }

  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Write a stored plan as one self-contained HTML report (charts in SVG, no network needed, prints well)."
    )
    @Argument(help: "The plan id.") var id: Int64
    @Option(help: ArgumentHelp("Also show what changed since this plan.", valueName: "plan-id")) var compare:
      Int64?
    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "path")) var out: String
    @Option(help: ArgumentHelp("The scenario file the plan was solved from, if it moved.", valueName: "path"))
    var scenarioFile: String?
    @OptionGroup var store: StoreOptions

    func run() throws {
      try reportingFailures {
        let db = try store.open()
        let stored = try StoredPlan.load(id, from: db, scenarioFile: scenarioFile)
        let other = try compare.map { (c: Int64) throws(CommandFailure) -> StoredPlan in
          try StoredPlan.load(c, from: db, withScenario: false)
        }
        let page = ReportHTML(stored: stored, compare: other).render()
        try writeFile(page, to: URL(fileURLWithPath: out))
        print("plan \(id): report written to \(out)" + (compare.map { " (compared with plan \($0))" } ?? ""))
      }
    }
  }
}

enum PlanListTable {
  /// `raw`: full-precision numbers and no thousands separators (CSV for spreadsheets).
  static func table(_ plans: [PlanSummary], raw: Bool = false) -> Table {
    var t = Table(
      "Plans ($M over the horizon)",
      columns: raw
        ? [
          "id", "created", "scenario", "status", "ebit_musd", "ebit_margin_fraction", "solve_seconds", "job",
          "previous_plan", "schedule",
        ]
        : [
          "id", "created", "scenario", "status", "EBIT", "EBIT margin", "solve s", "job", "previous",
          "schedule",
        ],
      firstNumeric: 4)
    for p in plans {
      t.add([
        "\(p.id)", isoDate(p.createdAt), p.scenarioID, p.status,
        raw ? exact(p.ebit) : p.ebit.map { money($0) } ?? "-",
        raw ? exact(p.ebitMargin) : percent(p.ebitMargin),
        raw ? exact(p.solveSeconds) : fixed(p.solveSeconds, 3), "\(p.jobID)",
        p.previousPlanID.map { "\($0)" } ?? (raw ? "" : "-"),
        p.scheduleID.map { "\($0)" } ?? (raw ? "" : "-"),
      ])
    }
    return t
  }
}
