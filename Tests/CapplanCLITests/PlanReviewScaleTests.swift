import CapacityModel
import Foundation
import JobQueue
import Testing

@Suite("Plan review at scale", .serialized)
struct PlanReviewScaleTests {
  static let offerings = 40, hardware = 10, sites = 25, periods = 10

  /// The example's solved plan, blown up to 100,000 allocations with every other section to match.
  static func bigPlan(from template: Plan, shift: Double = 0) throws -> Plan {
    var plan = template
    let periodIDs = (1...periods).map { String(format: "P%02d", $0) }
    let offeringIDs = (1...offerings).map { "offering-\($0)" }
    let hardwareIDs = (1...hardware).map { "hw-\($0)" }
    let siteIDs = (1...sites).map { "site-\($0)" }
    let p0 = try #require(template.periods.first)
    plan.periods = periodIDs.enumerated().map { i, id in
      var p = p0
      p.id = id
      p.revenue += Double(i) * 100 + shift
      p.ebit += Double(i) * 100 + shift
      p.revenueByOffering = Dictionary(
        uniqueKeysWithValues: offeringIDs.map { ($0, p.revenue / Double(offerings)) })
      return p
    }
    plan.allocations.removeAll()
    plan.allocations.reserveCapacity(offerings * hardware * sites * periods)
    var n = 0
    for t in periodIDs {
      for o in offeringIDs {
        for h in hardwareIDs {
          for s in siteIDs {
            n += 1
            plan.allocations.append(
              Plan.Allocation(
                offering: o, hardware: h, site: s, period: t, mw: Double(n % 97) * 0.5 + 0.25 + shift))
          }
        }
      }
    }
    let power = try #require(template.marginals.power.first)
    plan.marginals.power = periodIDs.flatMap { t in
      siteIDs.map { s in
        var p = power
        (p.site, p.period) = (s, t)
        return p
      }
    }
    let supply = try #require(template.marginals.supply.first)
    plan.marginals.supply = periodIDs.flatMap { t in
      hardwareIDs.map { h in
        var m = supply
        (m.subject, m.period, m.value) = (h, t, (m.value ?? 0) + shift)
        return m
      }
    }
    let demand = try #require(template.marginals.demand.first)
    plan.marginals.demand = periodIDs.flatMap { t in
      offeringIDs.map { o in
        var m = demand
        (m.subject, m.period) = (o, t)
        return m
      }
    }
    let install = try #require(template.installs.first)
    plan.installs = periodIDs.flatMap { t in
      siteIDs.flatMap { s in
        hardwareIDs.map { h in
          var i = install
          (i.site, i.hardware, i.period) = (s, h, t)
          return i
        }
      }
    }
    plan.lab = []
    return plan
  }

  static func timed(_ label: String, _ args: [String], limit: Double) throws -> (CLI.Result, Double) {
    let start = Date()
    let r = try CLI.run(args)
    let seconds = Date().timeIntervalSince(start)
    #expect(r.status == 0, "\(label): \(r.stderr)")
    print("plan review at scale: \(label): \(String(format: "%.2f", seconds)) s")
    #expect(seconds < limit, "\(label) took \(seconds) s")
    return (r, seconds)
  }

  @Test func hundredThousandRowsListShowExportDiffAndReportInSeconds() throws {
    let f = try ReviewFixture()
    defer { try? FileManager.default.removeItem(at: f.q.dir) }  // some 60 MB of database and exports
    let template = try f.q.store.plan(try f.solve("aws-2026.yaml"))
    let big = try Self.bigPlan(from: template)
    #expect(big.allocations.count == 100_000)
    let storeStart = Date()
    let id = try f.store(big, scenarioID: "big")
    print(
      "plan review at scale: storing the plan (store.complete, 100,000 rows): \(String(format: "%.2f", Date().timeIntervalSince(storeStart))) s"
    )
    let other = try f.store(try Self.bigPlan(from: template, shift: 0.125), scenarioID: "big")

    // Limits are generous for a debug build on a busy 2-core machine; release figures are in BENCHMARKS.md.
    let (list, _) = try Self.timed("plans list", ["plans", "list", "--db", f.db], limit: 10)
    #expect(list.stdout.contains("big"))
    let (show, _) = try Self.timed("plans show", ["plans", "show", "\(id)", "--db", f.db], limit: 60)
    let lines = show.stdout.split(separator: "\n")
    #expect(lines.contains { $0.hasPrefix("P10 ") && $0.contains(" total ") }, "the pivot's last total row")
    #expect(lines.contains { $0.hasPrefix("allocation rows") && $0.hasSuffix(" 100000") })
    let dir = f.q.dir.appendingPathComponent("big-export")
    _ = try Self.timed(
      "plans export (csv)", ["plans", "export", "\(id)", "--db", f.db, "--out", dir.path], limit: 60)
    let csv = try String(contentsOf: dir.appendingPathComponent("allocations.csv"), encoding: .utf8)
    #expect(csv.split(separator: "\n").count == 100_001)
    let (diff, _) = try Self.timed(
      "plans diff (100,000 changed rows)", ["plans", "diff", "\(id)", "\(other)", "--db", f.db], limit: 60)
    #expect(
      diff.stdout.contains("over 100000 allocations") || diff.stdout.contains("over 100,000 allocations"))
    let report = f.q.dir.appendingPathComponent("big.html")
    _ = try Self.timed(
      "plans report --compare",
      ["plans", "report", "\(id)", "--compare", "\(other)", "--db", f.db, "--out", report.path],
      limit: 60)
  }
}
