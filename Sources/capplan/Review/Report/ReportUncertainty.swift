import CapacityModel

/// The report's demand-case section: EBIT in each case under the one install plan, what the
/// uncertainty is worth, and the installs and expansions every case shares.
extension ReportHTML {
  var demandCaseSection: String {
    guard let u = plan.uncertainty else { return "" }
    let tables = PlanTables(plan: plan)
    var out = "<p>One plan of installs and expansions for every demand case; allocations follow each case. "
    out += "The figures elsewhere in this report are expected values over the cases.</p>"
    out += "<p><strong>\(html(tables.uncertaintyHeadline ?? ""))</strong></p>"
    var items = u.cases.map { c in
      (label: "\(c.id) (\(percent(c.probability)))", value: c.ebit)
    }
    items.append((label: "expected", value: u.expectedEbit))
    items.append((label: "CVaR at \(NumberText.plain(u.cvarAlpha))", value: u.cvar))
    out += "<figure><h3>EBIT distribution by demand case ($M over the horizon)</h3>"
    out += SVGChart.divergingBars(
      items, unit: "$M", label: "EBIT by demand case, $M over the horizon", valueText: { money($0) })
    out += "</figure>"
    for t in tables.uncertaintyTables { out += tableFrom(t) }
    out += "<h3>Installs and expansions shared by every case</h3>"
    out += tableFrom(tables.installs)
    return out
  }
}
