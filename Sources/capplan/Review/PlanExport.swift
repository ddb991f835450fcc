import CapacityModel
import Foundation
import JobQueue

/// `capplan plans export`: a stored plan as files for spreadsheets and other
/// programs. Long ("tidy") tables, one row per fact, every number at full
/// precision, every header naming its unit: `it_mw`, `revenue_musd_per_year`
/// ($M per year), `ebit_margin_fraction`. Marginal values change unit with
/// their kind, so marginals.csv has a `value_unit` column.
struct PlanExport {
  let plan: Plan
  /// The store's record of the plan; nil for a plan just solved (`solve --out`).
  let record: PlanSummary?
  /// Offering id -> use, from the scenario.
  let uses: [String: String]?
  let bindingConstraints: [BindingConstraint]
  /// "Plan 12", or the scenario file of a plan not stored.
  let label: String

  init(_ stored: StoredPlan) {
    plan = stored.plan
    record = stored.summary
    uses = stored.uses
    bindingConstraints = stored.bindings
    label = stored.title
  }

  init(unstored plan: Plan, scenario: ValidScenario, label: String) {
    self.plan = plan
    record = nil
    uses = Dictionary(scenario.offerings.map { ($0.id, $0.use) }, uniquingKeysWith: { a, _ in a })
    bindingConstraints = PlanBindings.derive(plan, scenario: scenario)
    self.label = label
  }

  enum Cell {
    case text(String)
    case number(Double?)
    case flag(Bool)
  }

  struct Sheet {
    var name: String
    var columns: [String]
    var rows: [[Cell]] = []
  }

  enum Format: String, CaseIterable {
    case csv, json, markdown, xlsx
    var fileExtension: String { self == .markdown ? "md" : rawValue }
  }

  var sheets: [Sheet] {
    [
      summary, allocations, financials, revenue, economics, capacity, lab, marginals, power, installs,
      expansions,
      bindings, cashFlows,
    ] + uncertaintySheets
  }

  /// The EBIT breakdown, one row per line and period plus a `total` row per line (money in
  /// `money_unit`: $M per year in a period, $M over the horizon in a total): `view` is
  /// offering, use, hardware or site; idle capacity and fixed costs have their own view. In each
  /// view the lines, with idle capacity and fixed costs, add up to the plan's EBIT.
  var economics: Sheet {
    var s = Sheet(
      name: "economics",
      columns: [
        "view", "line", "use", "period", "period_years", "mw", "mw_unit", "revenue", "opex", "depreciation",
        "fixed_costs", "ebit", "money_unit", "ebit_margin_fraction", "ebit_musd_per_mw_year",
      ])
    guard let e = plan.economics else { return s }
    let years = plan.yearsByPeriod
    let views: [(String, [Plan.Line])] = [
      ("offering", e.offerings), ("use", e.uses), ("hardware", e.hardware), ("site", e.sites),
      ("idle_capacity", [e.idle]), ("fixed_costs", [e.fixed]),
    ]
    for (view, lines) in views {
      for line in lines {
        for f in line.periods + [line.total] {
          let total = f.period == "total"
          s.rows.append([
            .text(view), .text(line.id), .text(line.use ?? ""), .text(f.period),
            .number(total ? Optional(plan.periods.reduce(0) { $0 + $1.years }) : years[f.period]),
            .number(f.mw), .text(total ? "it_mw_years" : "it_mw"), .number(f.revenue), .number(f.opex),
            .number(f.depreciation), .number(f.fixed), .number(f.ebit),
            .text(total ? "musd_over_horizon" : "musd_per_year"), .number(f.ebitMargin),
            .number(f.ebitPerMWYear),
          ])
        }
      }
    }
    return s
  }

  var capacity: Sheet {
    var s = Sheet(
      name: "capacity",
      columns: ["site", "hardware", "period", "installed_it_mw", "used_it_mw", "idle_it_mw"])
    for c in plan.economics?.capacity ?? [] {
      s.rows.append([
        .text(c.site), .text(c.hardware), .text(c.period), .number(c.installedMW), .number(c.usedMW),
        .number(c.idleMW),
      ])
    }
    return s
  }

  var summary: Sheet {
    var s = Sheet(name: "summary", columns: ["field", "value", "unit"])
    if let sum = record {
      s.rows.append([.text("plan_id"), .text("\(sum.id)"), .text("")])
      s.rows.append([.text("job_id"), .text("\(sum.jobID)"), .text("")])
    }
    s.rows.append([.text("scenario"), .text(plan.scenario), .text("")])
    if let sum = record {
      s.rows.append([.text("scenario_sha256"), .text(sum.scenarioSHA256), .text("")])
    }
    s.rows.append([.text("status"), .text(plan.status.rawValue), .text("")])
    if let sum = record {
      s.rows.append([.text("created_at"), .text(isoDate(sum.createdAt)), .text("ISO 8601")])
      s.rows.append([.text("previous_plan_id"), .text(sum.previousPlanID.map { "\($0)" } ?? ""), .text("")])
    }
    s.rows.append([.text("horizon_years"), .number(plan.periods.reduce(0) { $0 + $1.years }), .text("years")])
    if let t = plan.totals {
      s.rows.append([.text("revenue"), .number(t.revenue), .text("$M over the horizon")])
      s.rows.append([.text("opex"), .number(t.opex), .text("$M over the horizon")])
      s.rows.append([.text("depreciation"), .number(t.depreciation), .text("$M over the horizon")])
      s.rows.append([.text("fixed_costs"), .number(t.fixed), .text("$M over the horizon")])
      s.rows.append([.text("ebit"), .number(t.ebit), .text("$M over the horizon")])
      s.rows.append([.text("ebit_margin"), .number(t.ebitMargin), .text("fraction of revenue")])
    }
    s.rows.append([
      .text("objective"), .number(plan.objective),
      .text("$M, \(plan.solvedFor == .npv ? "NPV" : "EBIT") less move cost"),
    ])
    s.rows.append([.text("solve_seconds"), .number(plan.solver.seconds), .text("s")])
    if let st = plan.stability {
      s.rows.append([.text("mw_moved_vs_previous"), .number(st.mwMoved), .text("IT MW")])
      s.rows.append([.text("move_cost"), .number(st.moveCost), .text("$M")])
    }
    return s
  }

  var allocations: Sheet {
    var s = Sheet(
      name: "allocations",
      columns: ["offering", "use", "hardware", "site", "period", "period_years", "it_mw"])
    let years = plan.yearsByPeriod
    let uses = self.uses ?? [:]
    s.rows.reserveCapacity(plan.allocations.count)
    for a in plan.allocations {
      s.rows.append([
        .text(a.offering), .text(uses[a.offering] ?? ""), .text(a.hardware), .text(a.site), .text(a.period),
        .number(years[a.period]), .number(a.mw),
      ])
    }
    return s
  }

  var financials: Sheet {
    var s = Sheet(
      name: "financials",
      columns: [
        "period", "period_years", "revenue_musd_per_year", "opex_musd_per_year", "depreciation_musd_per_year",
        "fixed_costs_musd_per_year", "ebit_musd_per_year", "ebit_margin_fraction", "ebit_musd_in_period",
      ])
    for p in plan.periods {
      s.rows.append([
        .text(p.id), .number(p.years), .number(p.revenue), .number(p.opex), .number(p.depreciation),
        .number(p.fixed),
        .number(p.ebit), .number(p.ebitMargin), .number(p.ebit * p.years),
      ])
    }
    return s
  }

  var revenue: Sheet {
    var s = Sheet(name: "revenue", columns: ["period", "use", "offering", "revenue_musd_per_year"])
    let uses = self.uses ?? [:]
    for p in plan.periods {
      for (offering, value) in p.revenueByOffering.sorted(by: { $0.key < $1.key }) {
        s.rows.append([.text(p.id), .text(uses[offering] ?? ""), .text(offering), .number(value)])
      }
    }
    return s
  }

  var lab: Sheet {
    var s = Sheet(
      name: "lab",
      columns: [
        "offering", "period", "lab_gross_revenue_musd_per_year", "paid_to_platform_musd_per_year",
        "lab_gross_margin_fraction",
      ])
    for l in plan.lab {
      s.rows.append([
        .text(l.offering), .text(l.period), .number(l.grossRevenue), .number(l.platformRevenue),
        .number(l.grossMargin),
      ])
    }
    return s
  }

  var marginals: Sheet {
    var s = Sheet(
      name: "marginals", columns: ["kind", "subject", "period", "value", "value_unit", "binding"])
    for p in plan.marginals.power {
      s.rows.append([
        .text("power"), .text(p.site), .text(p.period), .number(p.value), .text(Self.unit(.power)),
        .flag(p.isAtLimit),
      ])
    }
    for m in plan.marginals.supply + plan.marginals.demand {
      s.rows.append([
        .text(m.kind.rawValue), .text(m.subject), .text(m.period), .number(m.value), .text(Self.unit(m.kind)),
        .flag(m.binding),
      ])
    }
    return s
  }

  static func unit(_ kind: ConstraintKey.Kind) -> String { slug(PlanBindings.valueUnit(of: kind)) }

  /// A unit as a header-style word: "$M per facility MW-year" -> musd_per_facility_mw_year.
  static func slug(_ unit: String) -> String {
    unit.replacingOccurrences(of: "$M", with: "musd").replacingOccurrences(of: "$", with: "usd").lowercased()
      .replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
  }

  var power: Sheet {
    var s = Sheet(
      name: "power",
      columns: [
        "site", "period", "used_facility_mw", "limit_facility_mw", "headroom_facility_mw",
        "value_musd_per_facility_mw_year", "at_limit",
      ])
    for p in plan.marginals.power {
      s.rows.append([
        .text(p.site), .text(p.period), .number(p.usedMW), .number(p.limitMW), .number(p.limitMW - p.usedMW),
        .number(p.value), .flag(p.isAtLimit),
      ])
    }
    return s
  }

  var installs: Sheet {
    var s = Sheet(name: "installs", columns: ["site", "hardware", "period", "new_it_mw"])
    for i in plan.installs {
      s.rows.append([.text(i.site), .text(i.hardware), .text(i.period), .number(i.mw)])
    }
    return s
  }

  var expansions: Sheet {
    var s = Sheet(
      name: "expansions",
      columns: ["expansion", "site", "first_period", "power_facility_mw", "cost_musd_per_year"])
    for e in plan.expansions {
      s.rows.append([.text(e.id), .text(e.site), .text(e.period), .number(e.powerMW), .number(e.costPerYear)])
    }
    return s
  }

  var bindings: Sheet {
    var s = Sheet(
      name: "bindings",
      columns: ["kind", "subject", "period", "level", "limit", "unit", "value", "value_unit"])
    for b in bindingConstraints {
      s.rows.append([
        .text(b.kind.rawValue), .text(b.subject), .text(b.period), .number(b.level), .number(b.limit),
        .text(Self.slug(b.unit)),
        .number(b.value), .text(b.valueUnit.map(Self.slug) ?? ""),
      ])
    }
    return s
  }

  /// Writes plan.json and one file per sheet (xlsx: one workbook, a sheet per table); returns
  /// the file names written.
  func write(to directory: String, format: Format) throws(CommandFailure) -> [String] {
    let url = URL(fileURLWithPath: directory)
    let files = try files(format)
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      for file in files { try OutputFile.write(file.data, to: url.appendingPathComponent(file.name).path) }
    } catch let error as OutputFile.Failure {
      throw CommandFailure(message: error.description, outcome: .error)
    } catch {
      throw CommandFailure(
        message: "cannot write the plan into \(directory): \(error.localizedDescription)", outcome: .error)
    }
    return files.map(\.name)
  }

  /// The export's files, in memory: plan.json, then one file per sheet (xlsx: one workbook).
  /// `write(to:)` puts them in a folder; the HTTP API sends them (zipped, or as one document).
  func files(_ format: Format) throws(CommandFailure) -> [(name: String, data: Data)] {
    let planJSON: Data
    do {
      planJSON = try plan.jsonData()
    } catch {
      throw CommandFailure(message: "cannot encode the plan: \(error)", outcome: .error)
    }
    return [("plan.json", planJSON)] + (try sheetFiles(format))
  }

  /// The workbook: every sheet in one .xlsx.
  func workbook() throws(CommandFailure) -> Data {
    do {
      return try PlanWorkbook.data(sheets)
    } catch {
      throw CommandFailure(message: "\(error)", outcome: .error)
    }
  }

  /// One file per sheet in `format` (xlsx: the workbook), without plan.json.
  func sheetFiles(_ format: Format) throws(CommandFailure) -> [(name: String, data: Data)] {
    if format == .xlsx { return [("plan.xlsx", try workbook())] }
    var files: [(name: String, data: Data)] = []
    for sheet in sheets {
      let text: String
      switch format {
      case .csv, .xlsx: text = Self.csv(sheet)
      case .json: text = Self.json(sheet)
      case .markdown: text = Self.markdown(sheet, title: title(sheet))
      }
      files.append(("\(sheet.name).\(format.fileExtension)", Data(text.utf8)))
    }
    return files
  }

  func title(_ sheet: Sheet) -> String { "\(label) (\(plan.scenario)): \(sheet.name)" }

  // MARK: Rendering

  static func text(_ cell: Cell) -> String {
    switch cell {
    case .text(let s): return s
    case .number(let x): return exact(x)
    case .flag(let b): return b ? "true" : "false"
    }
  }

  static func csv(_ sheet: Sheet) -> String {
    // Typed cells: a number is never a formula; text is neutralised (OutputEscaping.csvField).
    func field(_ cell: Cell) -> String {
      if case .text(let s) = cell { return OutputEscaping.csvField(s, numeric: false) }
      return text(cell)
    }
    var out = sheet.columns.map { OutputEscaping.csvField($0, numeric: false) }.joined(separator: ",") + "\n"
    out.reserveCapacity(sheet.rows.count * 64)
    for r in sheet.rows {
      out += r.map(field).joined(separator: ",")
      out += "\n"
    }
    return out
  }

  /// An array of objects whose keys are the column names, in column order.
  static func json(_ sheet: Sheet) -> String {
    let keys = sheet.columns.map(OutputEscaping.jsonString)
    var out = "["
    out.reserveCapacity(sheet.rows.count * 128)
    for (i, r) in sheet.rows.enumerated() {
      out += i == 0 ? "\n  {" : ",\n  {"
      for (j, cell) in r.enumerated() {
        if j > 0 { out += ", " }
        out += keys[j] + ": "
        switch cell {
        case .text(let s): out += OutputEscaping.jsonString(s)
        case .number(let x): out += x.map { $0.isFinite ? exact($0) : "null" } ?? "null"
        case .flag(let b): out += b ? "true" : "false"
        }
      }
      out += "}"
    }
    return out + (sheet.rows.isEmpty ? "]\n" : "\n]\n")
  }

  static func markdown(_ sheet: Sheet, title: String) -> String {
    var out = "## \(OutputEscaping.markdown(title))\n\n"
    out += "| " + sheet.columns.map(OutputEscaping.markdown).joined(separator: " | ") + " |\n"
    out +=
      "|"
      + sheet.rows.first.map { r in
        r.map { if case .number = $0 { return "---:|" } else { return "---|" } }.joined()
      }.orElse(String(repeating: "---|", count: sheet.columns.count)) + "\n"
    for r in sheet.rows {
      out +=
        "| "
        + r.map { OutputEscaping.markdown(text($0)) }.joined(separator: " | ") + " |\n"
    }
    return out
  }
}

extension Optional {
  func orElse(_ fallback: Wrapped) -> Wrapped { self ?? fallback }
}
