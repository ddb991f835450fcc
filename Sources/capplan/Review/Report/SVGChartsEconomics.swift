import CapacityModel
import Foundation

extension SVGChart {
  /// Stacked bars that may go below zero: positive parts stack up from 0, negative parts down,
  /// and a dark tick with its figure marks each bar's net (the sum of all its parts).
  static func signedStackedBars(
    categories: [String], series: [Series], unit: String, label: String, netLabel: String,
    width: Double = 1040, height: Double = 360
  ) -> String {
    let left = 72.0
    let right = width - 16
    let top = 34.0
    let bottom = height - 34
    let ups = categories.indices.map { i in series.reduce(0) { $0 + max(0, $1.values[i]) } }
    let downs = categories.indices.map { i in series.reduce(0) { $0 + min(0, $1.values[i]) } }
    let nets = categories.indices.map { i in series.reduce(0) { $0 + $1.values[i] } }
    let scale = Scale(low: downs.min() ?? 0, high: ups.max() ?? 1, top: top, bottom: bottom)
    let slot = (right - left) / Double(max(1, categories.count))
    let barWidth = min(72, slot * 0.62)
    var items: [(name: String, colour: String)] = series.map { ($0.name, $0.colour) }
    items.append((netLabel, total))
    let (legendMarkup, legendHeight) = legend(items, x: left, y: height + 8, width: right - left)
    var out = open(width: width, height: height + legendHeight + 8, label: label)
    out += yAxis(scale, left: left, right: right, unit: unit)
    for (i, category) in categories.enumerated() {
      let cx = left + slot * (Double(i) + 0.5)
      var up = 0.0
      var down = 0.0
      for s in series where s.values[i] != 0 {
        let v = s.values[i]
        let from = v > 0 ? up : down
        let to = from + v
        out += rect(
          x: cx - barWidth / 2, y: scale.y(max(from, to)), w: barWidth, h: abs(scale.y(from) - scale.y(to)),
          fill: s.colour, title: "\(category) \(s.name): \(fixed(v, 1)) \(unit)")
        if v > 0 { up = to } else { down = to }
      }
      let ny = scale.y(nets[i])
      out += line(
        x1: cx - barWidth / 2 - 4, y1: ny, x2: cx + barWidth / 2 + 4, y2: ny, stroke: total, width: 3)
      out += text(money(nets[i]), x: cx, y: scale.y(ups[i]) - 5, size: 11, weight: "600")
      out += text(category, x: cx, y: bottom + 18, size: 12)
    }
    out += legendMarkup
    return out + "</svg>"
  }

  /// A paler version of a palette colour, for the idle part of a hardware's bar.
  static func pale(_ hex: String) -> String {
    let digits = Array(hex.dropFirst())
    guard digits.count == 6 else { return hex }
    var out = "#"
    for i in stride(from: 0, to: 6, by: 2) {
      let v = Int(String(digits[i..<i + 2]), radix: 16) ?? 0
      out += String(v + (255 - v) * 6 / 10, radix: 16, uppercase: true).leftPadded(to: 2)
    }
    return out
  }

  /// Installs and expansions on a timeline: a row per site, a column per period, each event a
  /// labelled marker (a square for new IT MW, a diamond for an expansion built).
  static func timeline(
    periods: [String], sites: [String],
    events: [(site: String, period: String, text: String, expansion: Bool)],
    label: String, width: Double = 1040
  ) -> String {
    let left = 130.0
    let right = width - 10
    let top = 30.0
    let slot = (right - left) / Double(max(1, periods.count))
    // A row is as tall as its busiest period's list of events.
    var heights: [Double] = []
    for site in sites {
      let most = periods.map { p in events.filter { $0.site == site && $0.period == p }.count }.max() ?? 0
      heights.append(max(1, Double(most)) * 16 + 12)
    }
    let height = top + heights.reduce(0, +) + 8
    var out = open(width: width, height: height, label: label)
    for (i, p) in periods.enumerated() {
      let x = left + slot * Double(i)
      out += text(p, x: x + slot / 2, y: 18, size: 11)
      out += line(x1: x, y1: top - 6, x2: x, y2: height - 4, stroke: grid)
    }
    var y = top
    for (row, site) in sites.enumerated() {
      out += line(x1: 8, y1: y, x2: right, y2: y, stroke: grid)
      out += text(site, x: 10, y: y + 16, anchor: "start", size: 12, weight: "600")
      for (i, p) in periods.enumerated() {
        var ey = y + 16
        for e in events where e.site == site && e.period == p {
          let x = left + slot * Double(i) + 8
          let fill = e.expansion ? "#C62828" : "#0072B2"
          if e.expansion {
            out +=
              "<path d=\"M\(n(x)) \(n(ey - 9)) L\(n(x + 5)) \(n(ey - 4)) L\(n(x)) \(n(ey + 1)) L\(n(x - 5)) \(n(ey - 4)) Z\" fill=\"\(fill)\"/>"
          } else {
            out += rect(x: x - 4, y: ey - 8, w: 8, h: 8, fill: fill)
          }
          out += text(e.text, x: x + 9, y: ey, anchor: "start", size: 10)
          ey += 16
        }
      }
      y += heights[row]
    }
    return out + "</svg>"
  }
}

extension String {
  func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
