import CapacityModel
import Foundation

/// `plans compare` as a table (text, Markdown, CSV) and as JSON.
extension PlanComparison {
  /// A plan's column heading: "plan 12 (seed-bedrock-deal)" or "a.json (seed-bedrock-deal)".
  static func heading(_ p: StoredPlan) -> String { "\(p.name) (\(p.plan.scenario))" }

  /// How a person reads a cell.
  static func display(_ cell: Cell, _ style: Style) -> String {
    switch cell {
    case .none: return "-"
    case .text(let s): return s
    case .number(let x):
      switch style {
      // Two decimals: cases of a small scenario can differ by less than $0.1M.
      case .money: return money(x, 2)
      case .percent: return percent(x)
      case .mw: return mwText(x)
      case .count: return String(Int(x.rounded()))
      case .seconds: return fixed(x, 3)
      case .fraction: return fixed(x * 100, 4) + "%"
      case .text: return exact(x)
      }
    }
  }

  /// `raw`: full-precision numbers, keys beside the labels and true/false for `differs` (CSV).
  func table(onlyDifferences: Bool, raw: Bool = false) -> Table {
    let shown = onlyDifferences ? differingRows : rows
    var title = "Comparison of \(plans.count) plans (one column per plan; differs: the plans disagree)"
    if onlyDifferences { title += ": \(shown.count) of \(rows.count) figures differ" }
    let headings = plans.map(Self.heading)
    var t = Table(
      title,
      columns: raw
        ? ["section", "key", "figure"] + headings + ["differs"]
        : ["section", "figure"] + headings + ["differs"],
      firstNumeric: raw ? 3 : 2)
    var lastSection: String?
    for row in shown {
      let cells = row.cells.map { cell -> String in
        guard raw else { return Self.display(cell, row.style) }
        switch cell {
        case .none: return ""
        case .text(let s): return s
        case .number(let x): return exact(x)
        }
      }
      if raw {
        t.add([row.section, row.key, row.label] + cells + [row.differs ? "true" : "false"])
      } else {
        t.add(
          [row.section == lastSection ? "" : row.section, row.label] + cells + [row.differs ? "yes" : ""])
      }
      lastSection = row.section
    }
    return t
  }

  func document(onlyDifferences: Bool) -> Document {
    Document(
      plans: plans.map { p in
        Document.PlanRef(
          name: p.name, planID: p.id, file: p.file, scenario: p.plan.scenario, status: p.plan.status.rawValue)
      },
      rows: (onlyDifferences ? differingRows : rows).map { r in
        Document.RowValues(
          section: r.section, key: r.key, label: r.label, differs: r.differs,
          values: r.cells.map { c in
            switch c {
            case .none: return .null
            case .text(let s): return .text(s)
            case .number(let x): return .number(x)
            }
          })
      })
  }

  /// The JSON of `plans compare --format json`: the plans in column order and each row's values
  /// in the same order (null where a plan has no such figure).
  struct Document: Encodable {
    struct PlanRef: Encodable {
      var name: String
      var planID: Int64?
      var file: String?
      var scenario: String
      var status: String
      enum CodingKeys: String, CodingKey { case name, planID = "plan_id", file, scenario, status }
    }
    enum Value: Encodable {
      case number(Double), text(String), null
      func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let x): try c.encode(x)
        case .text(let s): try c.encode(s)
        case .null: try c.encodeNil()
        }
      }
    }
    struct RowValues: Encodable {
      var section, key, label: String
      var differs: Bool
      var values: [Value]
    }
    var plans: [PlanRef]
    var rows: [RowValues]
  }
}
