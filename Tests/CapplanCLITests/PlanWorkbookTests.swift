import CapacityModel
import Foundation
import JobQueue
import Testing

/// `plans export --format xlsx`, opened by a real reader (Python's openpyxl) and checked cell by
/// cell against the plan. openpyxl is a CI dependency (scripts/install-deps); elsewhere, without
/// it, the test says so and checks nothing more.
@Suite(.serialized) struct PlanWorkbookTests {
  /// Reads every sheet of `path` into JSON: sheet -> rows of [type, value] cells.
  static let reader = """
    import json, sys
    import openpyxl
    wb = openpyxl.load_workbook(sys.argv[1])
    out = {"sheets": wb.sheetnames, "cells": {}}
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows():
            # Numbers as repr text: exact, whatever the JSON reader on the other side does with floats.
            rows.append([[type(c.value).__name__, repr(c.value) if type(c.value) in (int, float) else c.value] for c in row])
        out["cells"][ws.title] = rows
    print(json.dumps(out))
    """

  static func openpyxlAvailable() throws -> Bool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import openpyxl"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    return p.terminationStatus == 0
  }

  /// The workbook as openpyxl reads it; nil (after saying why) when openpyxl is missing outside CI.
  static func read(_ path: String) throws -> [String: Any]? {
    guard try openpyxlAvailable() else {
      if ProcessInfo.processInfo.environment["CI"] == "true" {
        Issue.record("openpyxl is missing on CI: scripts/install-deps installs it (pip install openpyxl)")
      } else {
        print("PlanWorkbookTests: openpyxl not installed (pip install openpyxl); the xlsx is not read back")
      }
      return nil
    }
    let script = FileManager.default.temporaryDirectory.appendingPathComponent("read-xlsx-\(UUID()).py")
    try reader.write(to: script, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: script) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", script.path, path]
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    try #require(p.terminationStatus == 0, "openpyxl could not read \(path): \(errText)")
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  /// Rows of one sheet as [column name: (type, value)].
  static func records(_ workbook: [String: Any], _ sheet: String) throws -> [[String: (String, Any)]] {
    let cells = try #require((workbook["cells"] as? [String: Any])?[sheet] as? [[[Any]]], "sheet \(sheet)")
    let header = try #require(cells.first).map { ($0.count > 1 ? $0[1] : "") as? String ?? "" }
    return cells.dropFirst().map { row in
      var r: [String: (String, Any)] = [:]
      for (i, cell) in row.enumerated() where i < header.count && cell.count == 2 {
        r[header[i]] = (cell[0] as? String ?? "", cell[1])
      }
      return r
    }
  }

  static func number(_ cell: (String, Any)?) -> Double? {
    guard let (type, value) = cell, type == "float" || type == "int" else { return nil }
    return (value as? String).flatMap { Double($0) }
  }

  @Test func storedPlanReadsBackNumberByNumber() throws {
    let f = try ReviewFixture()
    // User text that XML must escape: the use of the offering.
    let hostileUse = "a<b & \"c\" 'd' </t>]]>"
    let scenario = try PlanCompareTests.highRevenueSeed(in: f.q.dir, scenarioID: "seed-xlsx", use: hostileUse)
    let id = try f.solve("aws-2026.yaml")
    let seed = try f.solve(scenario)
    for (planID, checkUse) in [(id, false), (seed, true)] {
      let plan = try f.q.store.plan(planID)
      let dir = f.q.dir.appendingPathComponent("xlsx-\(planID)")
      let r = try CLI.run([
        "plans", "export", "\(planID)", "--db", f.db, "--format", "xlsx", "--out", dir.path,
      ])
      #expect(r.status == 0, "\(r.stderr)")
      #expect(r.stdout.contains("plan.xlsx"))
      let path = dir.appendingPathComponent("plan.xlsx").path
      guard let workbook = try Self.read(path) else { return }
      #expect(
        workbook["sheets"] as? [String] == [
          "summary", "allocations", "financials", "revenue", "economics", "capacity", "lab", "marginals",
          "power",
          "installs", "expansions", "bindings", "cash_flows",
        ])

      let summary = try Self.records(workbook, "summary")
      let ebitRow = try #require(summary.first { ($0["field"]?.1 as? String) == "ebit" })
      #expect(Self.number(ebitRow["value"]) == plan.totals?.ebit, "EBIT is a numeric cell, full precision")
      #expect(ebitRow["unit"]?.1 as? String == "$M over the horizon")

      let allocations = try Self.records(workbook, "allocations")
      #expect(allocations.count == plan.allocations.count)
      for (row, a) in zip(allocations, plan.allocations).prefix(50) {
        #expect(row["offering"]?.1 as? String == a.offering && row["period"]?.1 as? String == a.period)
        #expect(Self.number(row["it_mw"]) == a.mw, "\(a)")
      }
      let financials = try Self.records(workbook, "financials")
      for (row, p) in zip(financials, plan.periods) {
        #expect(Self.number(row["ebit_musd_per_year"]) == p.ebit)
      }
      let power = try Self.records(workbook, "power")
      #expect(power.count == plan.marginals.power.count)
      #expect(power.allSatisfy { $0["at_limit"]?.0 == "bool" })
      if checkUse {
        #expect(allocations.first?["use"]?.1 as? String == hostileUse, "user text survives exactly")
        #expect(allocations.first?["use"]?.0 == "str")
      }
    }
  }

  /// A plan file may hold text longer than Excel's 32,767 characters per cell (a site id here);
  /// the cell is cut with `…` so the workbook opens, and other text is kept whole.
  @Test func textLongerThanAnExcelCellIsCut() throws {
    let dir = try CLI.temporaryDirectory()
    let seed = CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml").path
    let solved = try CLI.run(["solve", seed, "--format", "json"])
    #expect(solved.status == 0, "\(solved.stderr)")
    let long = "s" + String(repeating: "é", count: 40_000)
    let text = solved.stdout.replacingOccurrences(of: "\"seed-site\"", with: "\"\(long)\"")
    let planFile = dir.appendingPathComponent("long.json").path
    try text.write(toFile: planFile, atomically: true, encoding: .utf8)
    let out = dir.appendingPathComponent("xlsx").path
    let r = try CLI.run(["plans", "export", "--file", planFile, "--format", "xlsx", "--out", out])
    #expect(r.status == 0, "\(r.stderr)")
    guard let workbook = try Self.read(out + "/plan.xlsx") else { return }
    let power = try Self.records(workbook, "power")
    let site = try #require(power.first?["site"]?.1 as? String)
    #expect(site.utf16.count == 32_767 && site.hasPrefix("sé") && site.hasSuffix("é…"))
    let capacity = try Self.records(workbook, "capacity")
    #expect(capacity.allSatisfy { ($0["site"]?.1 as? String).map { $0.utf16.count <= 32_767 } ?? true })
    #expect(try Self.records(workbook, "allocations").first?["offering"]?.1 as? String == "claude")
  }
}
