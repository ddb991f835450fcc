import ArgumentParser
import CapacityModel
import Foundation
import JobQueue

struct PlansCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plans",
    abstract: "Review stored plans and plan files: list, show, diff, compare, export, report.",
    subcommands: [List.self, Show.self, Diff.self, Compare.self, Export.self, Report.self],
    defaultSubcommand: List.self)

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
        let db = try store.openExisting()
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
        let db = try store.openExisting()
        if format == .json {
          try PlanOutput.print(try db.plan(id), format: .json)
          return
        }
        let stored = try StoredPlan.load(id, from: db, scenarioFile: scenarioFile)
        let tables = PlanShowTables(stored: stored)
        if format == .table || format == .markdown, let summary = stored.summary {
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
      discussion: """
        Changes read B - A. Plans of different scenarios compare too: what one plan lacks counts as 0.

        A and B are two stored plan ids, two plan files (--file, the JSON of `capplan solve --format json`), \
        or one of each: stored ids come first, then files, each in the order given. \
        Example: capplan solve a.yaml --format json > a.json; capplan solve b.yaml --format json > b.json; \
        capplan plans diff --file a.json --file b.json
        """)
    @Argument(help: "Stored plan ids: A (the older one), then B (the newer one).") var ids: [Int64] = []
    @Option(
      name: .customLong("file"),
      help: ArgumentHelp(
        "A plan file from `capplan solve --format json` (repeatable).", valueName: "plan.json"))
    var files: [String] = []
    @Option(help: "text, json or markdown.") var format: DiffFormat = .text
    @Option(help: "List this many single allocation changes, largest first (0: all).") var top: Int = 30
    @OptionGroup var store: StoreOptions

    enum DiffFormat: String, ExpressibleByArgument, CaseIterable { case text, json, markdown }

    func validate() throws {
      if ids.count + files.count != 2 {
        throw ValidationError(
          "plans diff needs two plans, A and B: stored plan ids and/or --file plan.json; "
            + "got \(ids.count) id\(ids.count == 1 ? "" : "s") and \(files.count) file\(files.count == 1 ? "" : "s")"
        )
      }
    }

    func run() throws {
      try reportingFailures {
        let plans = try PlanInputs.load(ids: ids, files: files, store: store)
        let (planA, planB) = (plans[0], plans[1])
        let diff = PlanDiff(planA.plan, planB.plan)
        for w in diff.warnings { printError("warning: \(w)") }
        switch format {
        case .json:
          try JSONOutput.print(PlanDiffDocument(planA, planB, diff: diff))
        case .text, .markdown:
          var tables = PlanDiffTables(diff: diff, nameA: planA.name, nameB: planB.name)
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
        ebit_margin_fraction). csv for spreadsheets, json (arrays of objects with the same keys), markdown (.md tables), \
        xlsx (one Excel workbook, plan.xlsx, a sheet per table, numbers as numeric cells). \
        --file exports a plan file from `capplan solve --format json` instead of a stored plan.
        """)
    @Argument(help: "The plan id.") var id: Int64?
    @Option(
      name: .customLong("file"),
      help: ArgumentHelp(
        "A plan file from `capplan solve --format json`, instead of a stored id.", valueName: "plan.json"))
    var file: String?
    @Option(help: "csv, json, markdown or xlsx.") var format: ExportFormat = .csv
    @Option(help: ArgumentHelp("The folder to write into (created if missing).", valueName: "dir")) var out:
      String
    @Option(help: ArgumentHelp("The scenario file the plan was solved from, if it moved.", valueName: "path"))
    var scenarioFile: String?
    @OptionGroup var store: StoreOptions

    enum ExportFormat: String, ExpressibleByArgument, CaseIterable { case csv, json, markdown, xlsx }

    func validate() throws {
      if (id == nil) == (file == nil) {
        throw ValidationError("give a stored plan id or --file plan.json (one of them)")
      }
    }

    func run() throws {
      try reportingFailures {
        let stored =
          try file.map { (f: String) throws(CommandFailure) in
            try PlanInputs.loadFile(f, scenarioFile: scenarioFile)
          }
          ?? StoredPlan.load(id ?? 0, from: try store.openExisting(), scenarioFile: scenarioFile)
        let format = PlanExport.Format(rawValue: format.rawValue) ?? .csv
        let files = try PlanExport(stored).write(to: out, format: format)
        print("\(stored.name): wrote \(files.joined(separator: ", ")) into \(out)")
      }
    }
  }

  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Write a stored plan as one self-contained HTML report (charts in SVG, no network needed, prints well).",
      discussion: """
        --file reports a plan file from `capplan solve --format json`, with no store: \
        capplan solve X.yaml --format json > a.json; capplan plans report --file a.json --out a.html. \
        Give --scenario-file with it for the commitments in the binding constraints.
        """)
    @Argument(help: "The plan id.") var id: Int64?
    @Option(
      name: .customLong("file"),
      help: ArgumentHelp(
        "A plan file from `capplan solve --format json`, instead of a stored id.", valueName: "plan.json"))
    var file: String?
    @Option(help: ArgumentHelp("Also show what changed since this plan.", valueName: "plan-id")) var compare:
      Int64?
    @Option(
      help: ArgumentHelp("Also show what changed since the plan in this file.", valueName: "plan.json"))
    var compareFile: String?
    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "path")) var out: String
    @Option(help: ArgumentHelp("The scenario file the plan was solved from, if it moved.", valueName: "path"))
    var scenarioFile: String?
    @OptionGroup var store: StoreOptions

    func validate() throws {
      if (id == nil) == (file == nil) {
        throw ValidationError("give a stored plan id or --file plan.json (one of them)")
      }
      if compare != nil && compareFile != nil {
        throw ValidationError("give --compare or --compare-file, not both")
      }
    }

    func run() throws {
      try reportingFailures {
        // The store is opened only for a stored id: a report of files needs no database.
        let stored: StoredPlan
        if let file {
          stored = try PlanInputs.loadFile(file, scenarioFile: scenarioFile)
        } else {
          stored = try StoredPlan.load(id ?? 0, from: try store.openExisting(), scenarioFile: scenarioFile)
        }
        let other = try PlanInputs.load(
          ids: compare.map { [$0] } ?? [], files: compareFile.map { [$0] } ?? [], store: store
        ).first
        let page = ReportHTML(stored: stored, compare: other).render()
        try writeFile(page, to: URL(fileURLWithPath: out))
        print(
          "\(stored.name): report written to \(out)" + (other.map { " (compared with \($0.name))" } ?? ""))
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
