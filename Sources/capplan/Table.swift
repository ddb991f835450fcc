import ArgumentParser
import CapacityModel

/// A titled table rendered as aligned text, Markdown or CSV, so every output
/// format shows the same numbers.
struct Table {
  var title: String
  var columns: [String]
  var rows: [[String]] = []
  /// Columns from this index on are numbers (right-aligned)...
  var firstNumeric: Int
  /// ...except these, which hold words.
  var textColumns: Set<Int> = []

  init(_ title: String, columns: [String], firstNumeric: Int = 1) {
    self.title = title
    self.columns = columns
    self.firstNumeric = firstNumeric
  }

  mutating func add(_ row: [String]) { rows.append(row) }

  func isNumeric(_ column: Int) -> Bool { column >= firstNumeric && !textColumns.contains(column) }

  var text: String {
    let columns = columns.map(OutputEscaping.terminal)
    let rows = rows.map { $0.map(OutputEscaping.terminal) }
    var widths = columns.map(\.count)
    for r in rows {
      for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) }
    }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { i, c in
        let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
        return isNumeric(i) ? pad + c : c + pad
      }.joined(separator: "  ").replacingTrailingSpaces()
    }
    var out = "\(OutputEscaping.terminal(title))\n"
    out += line(columns) + "\n"
    out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
    for r in rows { out += line(r) + "\n" }
    return out
  }

  var markdown: String {
    var out = "### \(OutputEscaping.markdown(title))\n\n"
    out += "| " + columns.map(OutputEscaping.markdown).joined(separator: " | ") + " |\n"
    out += "|" + columns.indices.map { isNumeric($0) ? "---:|" : "---|" }.joined() + "\n"
    for r in rows {
      out += "| " + r.map(OutputEscaping.markdown).joined(separator: " | ") + " |\n"
    }
    return out
  }

  var csv: String {
    func field(_ s: String) -> String { OutputEscaping.csvField(s) }
    var out = columns.map(field).joined(separator: ",") + "\n"
    for r in rows { out += r.map(field).joined(separator: ",") + "\n" }
    return out
  }
}

extension String {
  func replacingTrailingSpaces() -> String {
    var s = self
    while s.last == " " { s.removeLast() }
    return s
  }
}

enum TableFormat: String, CaseIterable {
  case table, json, csv, markdown
}

/// What `jobs list`, `plans list` and `schedule list` print.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json
}

extension [Table] {
  func rendered(_ format: TableFormat) -> String {
    switch format {
    case .table: return map(\.text).joined(separator: "\n")
    case .markdown: return map(\.markdown).joined(separator: "\n")
    case .csv: return map { "# \(OutputEscaping.terminal($0.title))\n" + $0.csv }.joined(separator: "\n")
    case .json: return ""
    }
  }
}
