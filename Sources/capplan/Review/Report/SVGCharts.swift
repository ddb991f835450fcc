import Foundation

/// Escapes text for HTML and SVG content and attribute values.
func html(_ s: String) -> String {
  var out = ""
  out.reserveCapacity(s.utf8.count)
  for c in s.unicodeScalars {
    switch c {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    case "'": out += "&#39;"
    default:
      // Control characters other than tab and newline are not allowed in HTML text.
      if c.value < 0x20 && c != "\t" && c != "\n" { out += "\u{FFFD}" } else { out.unicodeScalars.append(c) }
    }
  }
  return out
}

/// Charts drawn as inline SVG: no script, no fonts or files fetched, so the
/// report opens offline and prints as it shows.
enum SVGChart {
  /// Colour-blind-safe categorical colours (Okabe-Ito, then Tableau's muted set).
  static let palette = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#6F6F6F",
    "#4E79A7", "#F28E2B", "#59A14F", "#B07AA1", "#9C755F", "#EDC948", "#76B7B2", "#FF9DA7",
  ]
  static func colour(_ i: Int) -> String { palette[i % palette.count] }

  static let positive = "#2E7D32"
  static let negative = "#C62828"
  static let total = "#37474F"
  static let ink = "#222222"
  static let grid = "#DDDDDD"
  static let font = "font-family=\"Helvetica Neue, Arial, sans-serif\""

  /// A coordinate with at most one decimal.
  static func n(_ x: Double) -> String {
    let r = (x * 10).rounded() / 10
    return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
  }

  /// A round step of about range / target.
  static func niceStep(_ range: Double, target: Int = 5) -> Double {
    guard range > 0, range.isFinite else { return 1 }
    let raw = range / Double(target)
    let magnitude = pow(10, floor(log10(raw)))
    let f = raw / magnitude
    let nice: Double = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10
    return nice * magnitude
  }

  /// Axis label text: 1,200 / 2.5 / 0.25.
  static func tick(_ x: Double, step: Double) -> String {
    let decimals = step >= 1 ? 0 : step >= 0.1 ? 1 : step >= 0.01 ? 2 : 3
    let s = money(x).split(separator: ".")[0]
    return decimals == 0 ? String(s) : fixed(x, decimals)
  }

  /// A y scale from `low` to `high` (both rounded out to whole steps), top to bottom pixels.
  struct Scale {
    var low, high, step: Double
    var top, bottom: Double
    init(low: Double, high: Double, top: Double, bottom: Double, ticks: Int = 5) {
      let lo = min(0, low)
      let hi = max(0, high)
      let step = SVGChart.niceStep(hi - lo == 0 ? 1 : hi - lo, target: ticks)
      self.step = step
      self.low = (lo / step).rounded(.down) * step
      self.high = max((hi / step).rounded(.up) * step, self.low + step)
      self.top = top
      self.bottom = bottom
    }
    func y(_ v: Double) -> Double { bottom - (v - low) / (high - low) * (bottom - top) }
    var ticks: [Double] {
      var out: [Double] = []
      var v = low
      while v <= high + step / 2 {
        out.append(v)
        v += step
      }
      return out
    }
  }

  static func open(width: Double, height: Double, label: String) -> String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" "
      + "height=\"\(n(height))\" role=\"img\" aria-label=\"\(html(label))\" \(font) font-size=\"12\">"
      + "<title>\(html(label))</title>"
  }

  static func text(
    _ s: String, x: Double, y: Double, anchor: String = "middle", size: Double = 12, weight: String? = nil,
    fill: String = ink, rotate: Double? = nil
  ) -> String {
    var attrs =
      "x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\" font-size=\"\(n(size))\" fill=\"\(fill)\""
    if let weight { attrs += " font-weight=\"\(weight)\"" }
    if let rotate { attrs += " transform=\"rotate(\(n(rotate)) \(n(x)) \(n(y)))\"" }
    return "<text \(attrs)>\(html(s))</text>"
  }

  static func rect(x: Double, y: Double, w: Double, h: Double, fill: String, title: String? = nil) -> String {
    let r =
      "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, w)))\" height=\"\(n(max(0, h)))\" fill=\"\(fill)\""
    guard let title else { return r + "/>" }
    return r + "><title>\(html(title))</title></rect>"
  }

  static func line(
    x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String? = nil
  )
    -> String
  {
    "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
      + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>"
  }

  /// Horizontal grid lines with labels on the left axis, and the unit above it.
  static func yAxis(_ scale: Scale, left: Double, right: Double, unit: String) -> String {
    var out = ""
    for t in scale.ticks {
      let y = scale.y(t)
      out += line(
        x1: left, y1: y, x2: right, y2: y, stroke: t == 0 ? "#888888" : grid, width: t == 0 ? 1.2 : 1)
      out += text(tick(t, step: scale.step), x: left - 6, y: y + 4, anchor: "end", size: 11, fill: "#555555")
    }
    out += text(unit, x: left - 6, y: scale.top - 12, anchor: "start", size: 11, fill: "#555555")
    return out
  }

  /// A legend in rows under a chart; returns the markup and the height it takes.
  static func legend(_ items: [(name: String, colour: String)], x: Double, y: Double, width: Double) -> (
    String, Double
  ) {
    var out = ""
    var cx = x
    var cy = y
    for item in items {
      let w = 22 + Double(item.name.count) * 6.6 + 14
      if cx + w > x + width && cx > x {
        cx = x
        cy += 18
      }
      out += rect(x: cx, y: cy - 9, w: 12, h: 12, fill: item.colour)
      out += text(item.name, x: cx + 17, y: cy + 1, anchor: "start", size: 12)
      cx += w
    }
    return (out, cy - y + 18)
  }

  struct Series {
    var name: String
    var values: [Double]
    var colour: String
  }

  /// Stacked bars, one per category (period), with the total on top of each.
  static func stackedBars(
    categories: [String], series: [Series], unit: String, label: String, width: Double = 1040,
    height: Double = 340
  ) -> String {
    let left = 64.0
    let right = width - 16
    let top = 34.0
    let bottom = height - 34
    let totals = categories.indices.map { i in series.reduce(0) { $0 + max(0, $1.values[i]) } }
    let scale = Scale(low: 0, high: totals.max() ?? 1, top: top, bottom: bottom)
    let slot = (right - left) / Double(max(1, categories.count))
    let barWidth = min(72, slot * 0.62)
    let (legendMarkup, legendHeight) = legend(
      series.map { ($0.name, $0.colour) }, x: left, y: height + 8, width: right - left)
    var out = open(width: width, height: height + legendHeight + 8, label: label)
    out += yAxis(scale, left: left, right: right, unit: unit)
    for (i, category) in categories.enumerated() {
      let cx = left + slot * (Double(i) + 0.5)
      var base = 0.0
      for s in series where s.values[i] > 0 {
        let y0 = scale.y(base)
        let y1 = scale.y(base + s.values[i])
        out += rect(
          x: cx - barWidth / 2, y: y1, w: barWidth, h: y0 - y1, fill: s.colour,
          title: "\(category) \(s.name): \(fixed(s.values[i], 1)) \(unit)")
        base += s.values[i]
      }
      out += text(mwText(totals[i]), x: cx, y: scale.y(totals[i]) - 5, size: 11, weight: "600")
      out += text(category, x: cx, y: bottom + 18, size: 12)
    }
    out += legendMarkup
    return out + "</svg>"
  }

  struct Step {
    enum Kind { case start, up, down, total }
    var label: String
    var value: Double
    var kind: Kind
  }

  /// One waterfall: a start bar, steps up or down from the running level, and a total bar.
  static func waterfall(
    _ steps: [Step], unit: String, label: String, width: Double = 1040, height: Double = 320
  ) -> String {
    let left = 70.0
    let right = width - 16
    let top = 30.0
    let bottom = height - 40
    var level = 0.0
    var spans: [(from: Double, to: Double)] = []
    for s in steps {
      switch s.kind {
      case .start, .total:
        spans.append((0, s.value))
        level = s.value
      case .up, .down:
        let next = level + s.value
        spans.append((level, next))
        level = next
      }
    }
    let values = spans.flatMap { [$0.from, $0.to] }
    let scale = Scale(low: values.min() ?? 0, high: values.max() ?? 1, top: top, bottom: bottom)
    let slot = (right - left) / Double(max(1, steps.count))
    let barWidth = min(110, slot * 0.6)
    var out = open(width: width, height: height, label: label)
    out += yAxis(scale, left: left, right: right, unit: unit)
    for (i, s) in steps.enumerated() {
      let cx = left + slot * (Double(i) + 0.5)
      let span = spans[i]
      let y0 = scale.y(max(span.from, span.to))
      let y1 = scale.y(min(span.from, span.to))
      let fill: String
      switch s.kind {
      case .start: fill = colour(0)
      case .total: fill = s.value >= 0 ? total : negative
      case .up: fill = positive
      case .down: fill = s.value >= 0 ? positive : negative
      }
      out += rect(
        x: cx - barWidth / 2, y: y0, w: barWidth, h: max(1, y1 - y0), fill: fill,
        title: "\(s.label): \(fixed(s.value, 1)) \(unit)")
      if i + 1 < steps.count {
        let y = scale.y(span.to)
        out += line(
          x1: cx + barWidth / 2, y1: y, x2: cx + slot - barWidth / 2, y2: y, stroke: "#999999", dash: "3,3")
      }
      let shown = s.kind == .start || s.kind == .total ? money(s.value) : signedMoney(s.value)
      out += text(shown, x: cx, y: y0 - 6, size: 12, weight: "600")
      out += text(s.label, x: cx, y: bottom + 18, size: 12)
    }
    return out + "</svg>"
  }

  /// Small waterfalls side by side on one scale: revenue, minus each cost, EBIT; one group per period.
  static func waterfallGroups(
    groups: [(label: String, steps: [Step])], stepNames: [String], unit: String, label: String,
    width: Double = 1040,
    height: Double = 340
  ) -> String {
    let left = 70.0
    let right = width - 16
    let top = 30.0
    let bottom = height - 40
    var allSpans: [[(from: Double, to: Double)]] = []
    for g in groups {
      var level = 0.0
      var spans: [(from: Double, to: Double)] = []
      for s in g.steps {
        switch s.kind {
        case .start, .total:
          spans.append((0, s.value))
          level = s.value
        case .up, .down:
          spans.append((level, level + s.value))
          level += s.value
        }
      }
      allSpans.append(spans)
    }
    let values = allSpans.flatMap { $0.flatMap { [$0.from, $0.to] } }
    let scale = Scale(low: values.min() ?? 0, high: values.max() ?? 1, top: top, bottom: bottom)
    let slot = (right - left) / Double(max(1, groups.count))
    let inner = slot * 0.86
    var out = open(width: width, height: height + 26, label: label)
    out += yAxis(scale, left: left, right: right, unit: unit)
    for (g, group) in groups.enumerated() {
      let x0 = left + slot * Double(g) + (slot - inner) / 2
      let bar = inner / Double(max(1, group.steps.count))
      for (i, s) in group.steps.enumerated() {
        let span = allSpans[g][i]
        let y0 = scale.y(max(span.from, span.to))
        let y1 = scale.y(min(span.from, span.to))
        let fill: String
        switch s.kind {
        case .start: fill = colour(0)
        case .total: fill = s.value >= 0 ? total : negative
        case .up: fill = positive
        case .down: fill = s.value >= 0 ? positive : "#E57373"
        }
        out += rect(
          x: x0 + bar * Double(i) + 1, y: y0, w: bar - 2, h: max(1, y1 - y0), fill: fill,
          title: "\(group.label) \(s.label): \(fixed(s.value, 1)) \(unit)")
      }
      if let last = group.steps.last {
        out += text(
          money(last.value), x: x0 + inner - bar / 2, y: scale.y(max(0, last.value)) - 5, size: 10,
          weight: "600")
      }
      out += text(group.label, x: x0 + inner / 2, y: bottom + 18, size: 12)
    }
    let items = stepNames.enumerated().map { i, name in
      (name, i == 0 ? colour(0) : i == stepNames.count - 1 ? total : "#E57373")
    }
    out += legend(items, x: left, y: height + 8, width: right - left).0
    return out + "</svg>"
  }

  /// Horizontal bars left (negative) or right (positive) of zero, one per item. Values are
  /// labelled as changes (+1.5) unless `valueText` says otherwise.
  static func divergingBars(
    _ items: [(label: String, value: Double)], unit: String, label: String, width: Double = 1040,
    decimals: Int = 1, valueText: ((Double) -> String)? = nil
  ) -> String {
    let rowHeight = 24.0
    let labelWidth = min(300, max(90, Double(items.map(\.label.count).max() ?? 8) * 7 + 12))
    let left = labelWidth + 10
    let right = width - 16
    let top = 26.0
    let height = top + rowHeight * Double(max(1, items.count)) + 30
    let lo = min(0, items.map(\.value).min() ?? 0)
    let hi = max(0, items.map(\.value).max() ?? 0)
    let span = hi - lo == 0 ? 1 : hi - lo
    // Room on both sides for the value labels.
    func x(_ v: Double) -> Double { left + 70 + (v - lo) / span * (right - left - 140) }
    var out = open(width: width, height: height, label: label)
    out += text(unit, x: x(0), y: 14, size: 11, fill: "#555555")
    for (i, item) in items.enumerated() {
      let y = top + rowHeight * Double(i)
      let x0 = x(min(0, item.value))
      let x1 = x(max(0, item.value))
      out += text(item.label, x: left - 8, y: y + 16, anchor: "end", size: 12)
      out += rect(
        x: x0, y: y + 4, w: max(1, x1 - x0), h: rowHeight - 8, fill: item.value >= 0 ? positive : negative,
        title: "\(item.label): \(fixed(item.value, decimals)) \(unit)")
      let shown = valueText?(item.value) ?? signed(item.value, decimals)
      out +=
        item.value >= 0
        ? text(shown, x: x1 + 5, y: y + 16, anchor: "start", size: 11)
        : text(shown, x: x0 - 5, y: y + 16, anchor: "end", size: 11)
    }
    out += line(
      x1: x(0), y1: top - 4, x2: x(0), y2: top + rowHeight * Double(items.count) + 2, stroke: "#666666")
    return out + "</svg>"
  }

  /// A site's facility power per period: bars of use, the limit as a step line,
  /// bars at the limit marked, and the marginal value of power under each period.
  static func powerSite(
    site: String, periods: [String], used: [Double], limit: [Double], value: [Double?], width: Double = 510,
    height: Double = 230
  ) -> String {
    let left = 56.0
    let right = width - 10
    let top = 40.0
    let bottom = height - 52
    let scale = Scale(
      low: 0, high: max(used.max() ?? 0, limit.max() ?? 0), top: top, bottom: bottom, ticks: 4)
    let slot = (right - left) / Double(max(1, periods.count))
    let bar = slot * 0.62
    var out = open(width: width, height: height, label: "Facility power at \(site)")
    out += text(site, x: left, y: 16, anchor: "start", size: 14, weight: "700")
    out += yAxis(scale, left: left, right: right, unit: "facility MW")
    var path = ""
    for (i, period) in periods.enumerated() {
      let cx = left + slot * (Double(i) + 0.5)
      let atLimit = used[i] >= limit[i] - 1e-6
      let y = scale.y(used[i])
      out += rect(
        x: cx - bar / 2, y: y, w: bar, h: scale.y(0) - y, fill: atLimit ? "#E69F00" : "#56B4E9",
        title: "\(site) \(period): \(fixed(used[i], 1)) of \(fixed(limit[i], 1)) facility MW")
      let ly = scale.y(limit[i])
      path +=
        (i == 0 ? "M" : "L")
        + "\(n(left + slot * Double(i))) \(n(ly)) L\(n(left + slot * Double(i + 1))) \(n(ly)) "
      out += text(period, x: cx, y: bottom + 14, size: 10)
      out += text(
        value[i].map { fixed($0, 2) } ?? "-", x: cx, y: bottom + 30, size: 10, weight: atLimit ? "700" : nil,
        fill: atLimit ? "#8A5A00" : "#555555")
    }
    out += "<path d=\"\(path)\" fill=\"none\" stroke=\"#C62828\" stroke-width=\"2\"/>"
    out += text(
      "marginal value, $M per facility MW-year", x: left, y: bottom + 46, anchor: "start", size: 10,
      fill: "#555555")
    return out + "</svg>"
  }
}
