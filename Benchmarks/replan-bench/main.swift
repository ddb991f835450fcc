// replan-bench: what a re-plan after a forecast change costs and moves.
//   replan-bench [scenario.yaml] [demand factor] [runs] [method: primal|dual|dualp|interior]
// Plan A solves the scenario; B is the same scenario with every demand series
// scaled (default 1.05). Reports MW moved from A to B without and with the
// stability move cost, and B's solve (iterations, nodes, time) cold and warm
// from A. Runs the MIP as written and an LP variant (no install blocks, no
// expansions) where the warm start is a simplex basis.

import CapacityModel
import Foundation
import LinearProgramming

let args = CommandLine.arguments
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()
let path = args.count > 1 ? args[1] : root.appendingPathComponent("Models/aws-2026.yaml").path
let factor = args.count > 2 ? Double(args[2]) ?? 1.05 : 1.05
let runs = args.count > 3 ? Int(args[3]) ?? 5 : 5
let method = args.count > 4 ? LPMethod(rawValue: args[4]) ?? .dualPrimalSimplex : .dualPrimalSimplex

func scaled(_ s: Series?, _ f: Double) -> Series? {
  switch s {
  case .constant(let v)?: return .constant(v * f)
  case .byPeriod(let m)?:
    return .byPeriod(IDMap(m.entries.map { IDMap.Entry(key: $0.key, value: $0.value * f) }))
  case nil: return nil
  }
}

func withDemand(_ scenario: Scenario, times f: Double) -> Scenario {
  var s = scenario
  for i in s.offerings.indices {
    s.offerings[i].demandGrossRevenuePerYear = scaled(s.offerings[i].demandGrossRevenuePerYear, f)
    s.offerings[i].demandMW = scaled(s.offerings[i].demandMW, f)
  }
  return s
}

func asLP(_ scenario: Scenario) -> Scenario {
  var s = scenario
  for i in s.hardware.indices { s.hardware[i].installBlockMW = nil }
  for i in s.sites.indices { s.sites[i].expansions = nil }
  return s
}

func moved(_ a: Plan, _ b: Plan) -> Double {
  var mw: [String: Double] = [:]
  for x in a.allocations { mw["\(x.offering)|\(x.hardware)|\(x.site)|\(x.period)", default: 0] -= x.mw }
  for x in b.allocations { mw["\(x.offering)|\(x.hardware)|\(x.site)|\(x.period)", default: 0] += x.mw }
  return mw.values.reduce(0) { $0 + abs($1) }
}

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

func report(_ label: String, _ base: Scenario) throws {
  let validA = try ScenarioValidator.validate(base)
  let validB = try ScenarioValidator.validate(withDemand(base, times: factor))
  var exact = PlanOptions()
  exact.settings.relativeGap = 0
  exact.settings.method = method
  let a = try Planner.plan(validA, options: exact)
  let free = try Planner.plan(validB, options: exact)
  var sticky = exact
  sticky.previous = a.previousAllocations
  // The timed solves are the re-plan alone: the price of stability's second solve is off.
  sticky.priceOfStability = false
  var cold: [Plan] = []
  var warm: [Plan] = []
  for _ in 0..<runs {
    cold.append(try Planner.plan(validB, options: sticky))
    var w = sticky
    w.warmStart = a.warmStart
    warm.append(try Planner.plan(validB, options: w))
  }
  let c = cold[0]
  let w = warm[0]
  print(
    "\(label): \(c.solver.rows) rows x \(c.solver.columns) columns (\(c.solver.integerColumns) integer); demand x\(factor)"
  )
  print(
    String(
      format: "  EBIT  A %.1f   B without move cost %.1f   B with move cost %.1f ($M)",
      a.totals?.ebit ?? .nan, free.totals?.ebit ?? .nan, c.totals?.ebit ?? .nan))
  print(
    String(
      format: "  MW moved A->B  without move cost %.1f   with move cost %.2f $M/MW: %.1f (cost $%.1fM)",
      moved(a, free), base.stability?.moveCost ?? 0, moved(a, c), c.stability?.moveCost ?? 0))
  print(
    String(
      format:
        "  re-plan  cold: %d iterations, %d nodes, %.3f s   warm (%@): %d iterations, %d nodes, %.3f s   time ratio warm/cold %.2f",
      c.solver.iterations, c.solver.nodes, median(cold.map(\.solver.seconds)), w.solver.start,
      w.solver.iterations, w.solver.nodes, median(warm.map(\.solver.seconds)),
      median(warm.map(\.solver.seconds)) / median(cold.map(\.solver.seconds))))
  let agree = abs((c.objective ?? 0) - (w.objective ?? 1)) <= 1e-6 * max(1, abs(c.objective ?? 1))
  print("  cold and warm objectives agree: \(agree)")
}

let document = try ScenarioLoader.load(contentsOf: path)
try report("MIP as written", document.scenario)
try report("LP variant", asLP(document.scenario))
