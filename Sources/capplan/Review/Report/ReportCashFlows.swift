import CapacityModel
import Foundation

/// The report's cash-flow section: each period's cash in and out as bars, the cumulative
/// position as a line, with NPV and payback above and the cash-flow table below.
extension ReportHTML {
  var cashFlowSection: String {
    guard let c = plan.cashFlows else {
      return "<p class=\"note\">This plan was stored before capplan reported cash flows.</p>"
    }
    let tables = PlanTables(plan: plan)
    var out = "<p>Cash in each period ($M in the period, not per year): revenue up; opex, expansion costs "
    out += "and capex (paid in full in the period of the install, where EBIT spreads it as depreciation) "
    out += "down. The line is the cumulative cash flow since the horizon's start.</p>"
    out += "<p><strong>\(html(tables.cashHeadline ?? ""))</strong></p>"
    let periods = c.periods.map(\.id)
    let series = [
      SVGChart.Series(name: "revenue", values: c.periods.map(\.revenue), colour: SVGChart.positive),
      SVGChart.Series(name: "opex", values: c.periods.map { -$0.opex }, colour: SVGChart.colour(1)),
      SVGChart.Series(name: "fixed costs", values: c.periods.map { -$0.fixed }, colour: "#5D4037"),
      SVGChart.Series(name: "capex", values: c.periods.map { -$0.capex }, colour: SVGChart.negative),
    ]
    out += "<figure><h3>Cumulative cash flow ($M)</h3>"
    out += SVGChart.cumulativeLine(
      categories: periods, values: c.periods.map(\.cumulative), unit: "$M",
      label: "Cumulative cash flow, $M since the horizon's start")
    out += "</figure><figure><h3>Cash flow by period ($M in the period)</h3>"
    out += SVGChart.signedStackedBars(
      categories: periods, series: series, unit: "$M in the period", label: "Cash flow by period, $M",
      netLabel: "net cash flow")
    out += "</figure>"
    if let t = tables.cashFlows { out += tableFrom(t) }
    return out
  }
}

extension SVGChart {
  /// A line through each period's end value, with a dot and figure per period and the zero line
  /// marked: where it crosses zero is the payback.
  static func cumulativeLine(
    categories: [String], values: [Double], unit: String, label: String, width: Double = 1040,
    height: Double = 300
  ) -> String {
    let left = 72.0
    let right = width - 16
    let top = 34.0
    let bottom = height - 34
    let scale = Scale(low: values.min() ?? 0, high: values.max() ?? 1, top: top, bottom: bottom)
    let slot = (right - left) / Double(max(1, categories.count))
    var out = open(width: width, height: height, label: label)
    out += yAxis(scale, left: left, right: right, unit: unit)
    var points: [String] = []
    for (i, category) in categories.enumerated() {
      let x = left + slot * (Double(i) + 0.5)
      let y = scale.y(values[i])
      points.append("\(n(x)),\(n(y))")
      out += text(category, x: x, y: bottom + 18, size: 12)
    }
    out += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(total)\" "
    out += "stroke-width=\"2.5\"/>"
    for (i, category) in categories.enumerated() {
      let x = left + slot * (Double(i) + 0.5)
      let y = scale.y(values[i])
      let colour = values[i] < 0 ? negative : positive
      out += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"4\" fill=\"\(colour)\">"
      out += "<title>\(html("\(category): \(fixed(values[i], 1)) \(unit)"))</title></circle>"
      out += text(money(values[i]), x: x, y: y - 8, size: 11, weight: "600", fill: colour)
    }
    return out + "</svg>"
  }
}
