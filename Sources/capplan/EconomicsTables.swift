import CapacityModel
import Foundation

/// The plan's EBIT taken apart (`Plan.Economics`): per offering under its use, with idle
/// capacity and fixed costs as lines of their own that make the column add up to EBIT.
extension PlanTables {
  /// Offerings grouped under their use, in the scenario's order of first appearance.
  var offeringsByUse: [(use: String, offerings: [Plan.Line])] {
    guard let e = plan.economics else { return [] }
    return e.offerings.compactMap(\.use).uniqued().map { use in
      (use, e.offerings.filter { $0.use == use })
    }
  }

  /// EBIT per period and over the horizon, by use and offering, with the margin and the EBIT
  /// per allocated MW-year of the horizon.
  var ebitByOffering: Table? {
    guard let e = plan.economics else { return nil }
    var t = Table(
      "EBIT by offering ($M per year; total in $M over the horizon; lines add up to EBIT)",
      columns: ["line"] + periodIDs + ["total", "margin", "EBIT per MW-year"])
    func add(_ name: String, _ line: Plan.Line, perMW: Bool = true) {
      t.add(
        [name] + periodIDs.map { p in line.figures(p).map { fixed($0.ebit) } ?? "" } + [
          fixed(line.total.ebit), percent(line.total.ebitMargin),
          perMW ? line.total.ebitPerMWYear.map { fixed($0, 2) } ?? "-" : "",
        ])
    }
    for (use, offerings) in offeringsByUse {
      if let u = e.uses.first(where: { $0.id == use }) { add("use \(use)", u) }
      for o in offerings { add("  \(o.id)", o) }
    }
    add("idle capacity", e.idle, perMW: false)
    add("fixed costs", e.fixed, perMW: false)
    t.add(
      ["EBIT"] + plan.periods.map { fixed($0.ebit) } + [
        plan.totals.map { fixed($0.ebit) } ?? "", percent(plan.totals?.ebitMargin), "",
      ])
    return t
  }

  /// The same allocations by the hardware they run on and by site, per period; with idle
  /// capacity and fixed costs each block adds up to EBIT.
  var ebitByHardwareAndSite: Table? {
    guard let e = plan.economics, !e.hardware.isEmpty else { return nil }
    var t = Table(
      "EBIT by hardware and by site ($M per year; total in $M over the horizon; companion MW on the hardware that needs it)",
      columns: ["by", "line"] + periodIDs + ["total", "margin"], firstNumeric: 2)
    for (view, lines) in [("hardware", e.hardware), ("site", e.sites)] {
      for line in lines {
        t.add(
          [view, line.id] + periodIDs.map { p in line.figures(p).map { fixed($0.ebit) } ?? "" } + [
            fixed(line.total.ebit), percent(line.total.ebitMargin),
          ])
      }
    }
    return t
  }

  /// EBIT margin per period, by use and offering.
  var marginByOffering: Table? {
    guard let e = plan.economics else { return nil }
    var t = Table("EBIT margin by offering (EBIT / revenue)", columns: ["line"] + periodIDs + ["total"])
    for (use, offerings) in offeringsByUse {
      if let u = e.uses.first(where: { $0.id == use }) {
        t.add(
          ["use \(use)"] + periodIDs.map { percent(u.figures($0)?.ebitMargin) } + [
            percent(u.total.ebitMargin)
          ])
      }
      for o in offerings {
        t.add(
          ["  \(o.id)"] + periodIDs.map { percent(o.figures($0)?.ebitMargin) } + [percent(o.total.ebitMargin)]
        )
      }
    }
    t.add(["plan"] + plan.periods.map { percent($0.ebitMargin) } + [percent(plan.totals?.ebitMargin)])
    return t
  }

  /// Horizon figures per offering, use, hardware and site: unit economics per MW-year.
  var unitEconomics: Table? {
    guard let e = plan.economics else { return nil }
    var t = Table(
      "Unit economics over the horizon ($M; MW-years of allocated IT MW; each view adds up to EBIT with idle capacity and fixed costs)",
      columns: [
        "by", "line", "MW-years", "revenue", "opex", "depreciation", "fixed", "EBIT", "margin",
        "EBIT per MW-year",
      ], firstNumeric: 2)
    func add(_ view: String, _ line: Plan.Line, mw: Bool = true) {
      let f = line.total
      t.add([
        view, line.id, mw ? fixed(f.mw, 2) : "", fixed(f.revenue), fixed(f.opex), fixed(f.depreciation),
        fixed(f.fixed), fixed(f.ebit), percent(f.ebitMargin),
        mw ? f.ebitPerMWYear.map { fixed($0, 2) } ?? "-" : "",
      ])
    }
    for (view, lines) in [
      ("offering", e.offerings), ("use", e.uses), ("hardware", e.hardware), ("site", e.sites),
    ] {
      for line in lines { add(view, line) }
    }
    add("", e.idle, mw: false)
    add("", e.fixed, mw: false)
    return t
  }

  /// Installed IT MW against what allocations use (companions included), by site and hardware.
  var capacity: Table? {
    guard let e = plan.economics, e.capacity.contains(where: { $0.idleMW > 1e-6 }) else { return nil }
    var t = Table(
      "Idle capacity: installed IT MW no allocation uses (used / installed where some is idle)",
      columns: ["site", "hardware"] + periodIDs, firstNumeric: 2)
    let keys = e.capacity.map { [$0.site, $0.hardware] }.uniqued()
    var cells: [[String]: [String: Plan.Capacity]] = [:]
    for c in e.capacity { cells[[c.site, c.hardware], default: [:]][c.period] = c }
    for key in keys where (cells[key] ?? [:]).values.contains(where: { $0.idleMW > 1e-6 }) {
      t.add(
        key
          + periodIDs.map { p in
            cells[key]?[p].map { "\(fixed($0.usedMW, 1)) / \(fixed($0.installedMW, 1))" } ?? ""
          })
    }
    return t
  }

  var economicsTables: [Table] {
    [ebitByOffering, marginByOffering, ebitByHardwareAndSite, unitEconomics, capacity].compactMap { $0 }
  }
}
