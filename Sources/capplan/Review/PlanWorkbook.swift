import Foundation
import ZIPFoundation

/// A zip made in memory: an xlsx workbook's container, and the API's CSV export.
enum ZipArchive {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// The archive of `parts` (path in the zip, bytes), deflated.
  static func data(_ parts: [(String, Data)]) throws(Failure) -> Data {
    do {
      let archive = try Archive(data: Data(), accessMode: .create)
      for (path, bytes) in parts {
        try archive.addEntry(
          with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate
        ) { position, size in
          bytes.subdata(in: Int(position)..<Int(position) + size)
        }
      }
      guard let data = archive.data else { throw Failure(description: "the zip was not made") }
      return data
    } catch let failure as Failure {
      throw failure
    } catch {
      throw Failure(description: "cannot make the zip: \(error)")
    }
  }
}

/// `plans export --format xlsx`: the export's tables as one Excel workbook (Office Open XML
/// SpreadsheetML), a sheet per table. Numbers are numeric cells at full precision, text is an
/// inline string (escaped for XML), true/false are boolean cells and a missing number is an
/// empty cell. The first row holds the column names, which carry their units as in the CSV.
/// The XML is small and regular, so it is written here; ZIPFoundation makes the container.
enum PlanWorkbook {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// The workbook's bytes.
  static func data(_ sheets: [PlanExport.Sheet]) throws(Failure) -> Data {
    let names = sheetNames(sheets.map(\.name))
    var parts: [(String, Data)] = [
      ("[Content_Types].xml", Data(contentTypes(count: sheets.count).utf8)),
      ("_rels/.rels", Data(rootRelationships.utf8)),
      ("xl/workbook.xml", Data(workbook(names).utf8)),
      ("xl/_rels/workbook.xml.rels", Data(workbookRelationships(count: sheets.count).utf8)),
      ("xl/styles.xml", Data(styles.utf8)),
    ]
    for (i, sheet) in sheets.enumerated() {
      parts.append(("xl/worksheets/sheet\(i + 1).xml", Data(worksheet(sheet).utf8)))
    }
    do {
      return try ZipArchive.data(parts)
    } catch {
      throw Failure(description: "cannot make the workbook: \(error)")
    }
  }

  /// Excel's rules for a sheet name: 1 to 31 characters, none of []:*?/\, not starting or
  /// ending with an apostrophe, unique regardless of case.
  static func sheetNames(_ names: [String]) -> [String] {
    var used: Set<String> = []
    return names.map { raw in
      var name = String(
        raw.map { "[]:*?/\\".contains($0) ? "_" : $0 }.filter { !$0.isNewline && $0 != "\u{0}" })
      name = name.trimmingCharacters(in: CharacterSet(charactersIn: "'"))
      if name.isEmpty { name = "sheet" }
      name = String(name.prefix(31))
      var candidate = name
      var n = 2
      while used.contains(candidate.lowercased()) {
        let suffix = " (\(n))"
        candidate = String(name.prefix(31 - suffix.count)) + suffix
        n += 1
      }
      used.insert(candidate.lowercased())
      return candidate
    }
  }

  /// Text as XML character data: the five special characters escaped, and characters XML
  /// cannot carry at all (control characters but tab, newline and carriage return) replaced by U+FFFD.
  static func xml(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for u in s.unicodeScalars {
      switch u {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      default:
        let v = u.value
        let allowed = v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v != 0xFFFE && v != 0xFFFF)
        if allowed { out.unicodeScalars.append(u) } else { out += "\u{FFFD}" }
      }
    }
    return out
  }

  /// Excel holds at most 32,767 characters (UTF-16 units) in a cell and calls a workbook with a
  /// longer one damaged; longer text (an id from a plan file) is cut, ending in `…`.
  static let maxCellCharacters = 32_767

  static func cellText(_ s: String) -> String {
    guard s.utf16.count > maxCellCharacters else { return s }
    var out = ""
    var units = 0
    for u in s.unicodeScalars {
      units += u.utf16.count
      if units > maxCellCharacters - 1 { break }
      out.unicodeScalars.append(u)
    }
    return out + "…"
  }

  /// A1-style column letters: 0 -> A, 25 -> Z, 26 -> AA.
  static func column(_ index: Int) -> String {
    var n = index + 1
    var letters = ""
    while n > 0 {
      let r = (n - 1) % 26
      letters = String(UnicodeScalar(UInt8(65 + r))) + letters
      n = (n - 1) / 26
    }
    return letters
  }

  static func worksheet(_ sheet: PlanExport.Sheet) -> String {
    var out = """
      <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
      <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
      <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" \
      state="frozen"/></sheetView></sheetViews><sheetData>
      """
    out.reserveCapacity(sheet.rows.count * 96)
    let letters = (0..<max(sheet.columns.count, sheet.rows.map(\.count).max() ?? 0)).map(column)
    out += "<row r=\"1\">"
    for (j, name) in sheet.columns.enumerated() {
      out += "<c r=\"\(letters[j])1\" t=\"inlineStr\" s=\"1\"><is><t>\(xml(name))</t></is></c>"
    }
    out += "</row>"
    for (i, row) in sheet.rows.enumerated() {
      let r = i + 2
      out += "<row r=\"\(r)\">"
      for (j, cell) in row.enumerated() {
        let ref = "\(letters[j])\(r)"
        switch cell {
        case .text(let s):
          out +=
            "<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(xml(cellText(s)))</t></is></c>"
        case .number(let x):
          guard let x else { continue }
          if x.isFinite {
            out += "<c r=\"\(ref)\"><v>\(exact(x))</v></c>"
          } else {
            // A spreadsheet has no infinite number: the text says what it was.
            out +=
              "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(x.isNaN ? "nan" : x > 0 ? "inf" : "-inf")</t></is></c>"
          }
        case .flag(let b):
          out += "<c r=\"\(ref)\" t=\"b\"><v>\(b ? 1 : 0)</v></c>"
        }
      }
      out += "</row>"
    }
    return out + "</sheetData></worksheet>"
  }

  static func contentTypes(count: Int) -> String {
    var out = """
      <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
      <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
      <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
      <Default Extension="xml" ContentType="application/xml"/>\
      <Override PartName="/xl/workbook.xml" \
      ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
      <Override PartName="/xl/styles.xml" \
      ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
      """
    for i in 0..<count {
      out += "<Override PartName=\"/xl/worksheets/sheet\(i + 1).xml\" "
      out += "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    }
    return out + "</Types>"
  }

  static let rootRelationships = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" \
    Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
    Target="xl/workbook.xml"/></Relationships>
    """

  static func workbook(_ names: [String]) -> String {
    var out = """
      <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
      <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
      xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>
      """
    for (i, name) in names.enumerated() {
      out += "<sheet name=\"\(xml(name))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
    }
    return out + "</sheets></workbook>"
  }

  static func workbookRelationships(count: Int) -> String {
    var out = """
      <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
      <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
      """
    for i in 0..<count {
      out += "<Relationship Id=\"rId\(i + 1)\" "
      out += "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
      out += "Target=\"worksheets/sheet\(i + 1).xml\"/>"
    }
    out += "<Relationship Id=\"rId\(count + 1)\" "
    out += "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
    out += "Target=\"styles.xml\"/>"
    return out + "</Relationships>"
  }

  /// Two cell formats: 0 plain, 1 bold (the header row).
  static let styles = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
    <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>\
    <font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
    <fills count="2"><fill><patternFill patternType="none"/></fill>\
    <fill><patternFill patternType="gray125"/></fill></fills>\
    <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
    <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
    <cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
    <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
    <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
    </styleSheet>
    """
}
