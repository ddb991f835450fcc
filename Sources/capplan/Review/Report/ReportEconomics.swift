import CapacityModel
import Foundation

/// The report's economics sections: EBIT by offering per period, and capacity by site with the
/// installs and expansions that built it.
extension ReportHTML {
  var ebitByOffering: String {
    guard let e = plan.economics else {
      return "<p class=\"note\">This plan was stored before capplan broke EBIT down by offering.</p>"
    }
    let periods = plan.periods.map(\.id)
    // At most 10 offering colours: past that the smallest (by horizon |EBIT|) are summed as "other".
    let ranked = e.offerings.filter { $0.total.mw != 0 || $0.total.revenue != 0 }
      .sorted { abs($0.total.ebit) > abs($1.total.ebit) }
    let shown = ranked.count > 10 ? Array(ranked.prefix(9)) : ranked
    let rest = ranked.dropFirst(shown.count)
    var series = shown.enumerated().map { i, line in
      SVGChart.Series(
        name: line.id, values: periods.map { line.figures($0)?.ebit ?? 0 }, colour: SVGChart.colour(i))
    }
    if !rest.isEmpty {
      series.append(
        SVGChart.Series(
          name: "other (\(rest.count))",
          values: periods.map { p in rest.reduce(0) { $0 + ($1.figures(p)?.ebit ?? 0) } },
          colour: SVGChart.colour(9)))
    }
    series.append(
      SVGChart.Series(
        name: "idle capacity", values: periods.map { e.idle.figures($0)?.ebit ?? 0 }, colour: "#9E9E9E"))
    series.append(
      SVGChart.Series(
        name: "fixed costs", values: periods.map { e.fixed.figures($0)?.ebit ?? 0 }, colour: "#5D4037"))
    var out = "<p>Each offering's EBIT in each period ($M per year): the revenue it earns less the opex and "
    out +=
      "depreciation of the MW it uses (companion MW included). Idle capacity (depreciation of installed MW "
    out +=
      "no offering uses) and fixed costs (expansions) are bars of their own, below zero; the dark mark is "
    out += "the plan's EBIT, the sum of every bar.</p>"
    out += SVGChart.signedStackedBars(
      categories: periods, series: series, unit: "$M per year",
      label: "EBIT by offering per period, $M per year",
      netLabel: "plan EBIT")
    let tables = PlanTables(plan: plan)
    for t in [tables.ebitByOffering, tables.unitEconomics].compactMap({ $0 }) { out += tableFrom(t) }
    return out
  }

  var capacityBySite: String {
    guard let e = plan.economics else {
      return "<p class=\"note\">This plan was stored before capplan recorded capacity by site.</p>"
    }
    let periods = plan.periods.map(\.id)
    let hardware = e.capacity.map(\.hardware).uniqued()
    let colourOf = Dictionary(
      hardware.enumerated().map { ($1, SVGChart.colour($0)) }, uniquingKeysWith: { a, _ in a })
    var out = "<p>IT MW installed at each site in each period, by hardware: the solid part is allocated "
    out += "(companion MW included), the pale part installed but idle.</p><div class=\"grid2\">"
    for site in e.capacity.map(\.site).uniqued() {
      let rows = e.capacity.filter { $0.site == site }
      var series: [SVGChart.Series] = []
      for h in hardware where rows.contains(where: { $0.hardware == h }) {
        let byPeriod = Dictionary(
          rows.filter { $0.hardware == h }.map { ($0.period, $0) }, uniquingKeysWith: { a, _ in a })
        let colour = colourOf[h] ?? SVGChart.colour(0)
        series.append(
          .init(name: "\(h) used", values: periods.map { byPeriod[$0]?.usedMW ?? 0 }, colour: colour))
        series.append(
          .init(
            name: "\(h) idle", values: periods.map { max(0, byPeriod[$0]?.idleMW ?? 0) },
            colour: SVGChart.pale(colour)))
      }
      out +=
        "<div><h3>\(html(site))</h3>"
        + SVGChart.stackedBars(
          categories: periods, series: series, unit: "IT MW",
          label: "IT MW installed at \(site), used and idle",
          width: 510, height: 240) + "</div>"
    }
    out += "</div>"
    var events: [(site: String, period: String, text: String, expansion: Bool)] = plan.installs.map {
      ($0.site, $0.period, "+\(mwText($0.mw)) \($0.hardware)", false)
    }
    events += plan.expansions.map {
      ($0.site, $0.period, "\($0.id) +\(mwText($0.powerMW)) facility MW", true)
    }
    out += "<h3>Installs and expansions</h3>"
    if events.isEmpty {
      out += "<p>Nothing is installed or built over the horizon.</p>"
    } else {
      let sites = (plan.installs.map(\.site) + plan.expansions.map(\.site)).uniqued()
      out += "<p>Squares: new IT MW installed; diamonds: power expansions built (from that period on).</p>"
      out += SVGChart.timeline(
        periods: periods, sites: sites, events: events, label: "Installs and expansions by site and period")
    }
    return out
  }
}
