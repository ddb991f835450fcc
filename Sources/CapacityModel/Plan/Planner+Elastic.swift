import Foundation
import LinearProgramming

extension Planner {
  /// The plan of `formulation`'s elastic version (status `infeasible_relaxed`): the soft limits
  /// give by the least total amount, then EBIT is maximized. Nil when a solve fails.
  static func relaxedPlan(_ formulation: Formulation, options: PlanOptions) -> Plan? {
    let elastic = ElasticFormulation(formulation)
    let solve = options.settings.solveOptions
    let solver = options.solver
    guard let first = try? solver.solve(elastic.shortfallModel, options: solve),
      first.hasFeasibleSolution, let least = first.objectiveValue
    else { return nil }
    guard let second = try? solver.solve(elastic.ebitModel(leastShortfall: least), options: solve),
      second.hasFeasibleSolution
    else { return nil }
    let explanation = PlanExplanation(f: elastic.formulation, solution: second)
    var plan = explanation.explain(status: .infeasibleRelaxed, method: options.settings.method)
    if let previous = options.previous, let cost = formulation.scenario.moveCost, cost > 0 {
      plan.stability = explanation.stabilityReport(previous: previous, moveCost: cost)
    }
    var infeasibility = Plan.Infeasibility(summary: "", conflicts: [])
    infeasibility.shortfalls = shortfalls(elastic, solution: second)
    infeasibility.relaxedEbit = plan.totals?.ebit
    plan.infeasibility = infeasibility
    return plan
  }

  static func shortfalls(_ elastic: ElasticFormulation, solution: Solution) -> [Plan.Shortfall] {
    let f = elastic.formulation
    let sc = f.scenario
    func value(_ v: Variable) -> Double {
      v.index >= 0 && v.index < solution.values.count ? solution.values[v.index] : 0
    }
    var out: [Plan.Shortfall] = []
    for slack in elastic.slacks {
      let amount = value(slack.column)
      guard amount > 1e-6 else { continue }
      switch slack.row {
      case .committed(let o, let t), .required(let o, let t):
        var isCommitted = false
        if case .committed = slack.row { isCommitted = true }
        let kind: ConstraintKey.Kind = isCommitted ? .committed : .required
        let limit = (isCommitted ? sc.offerings[o].committedMW?[t] : sc.offerings[o].requiredMW?[t]) ?? 0
        out.append(
          Plan.Shortfall(
            kind: kind, subject: sc.offerings[o].id, period: sc.periods[t].id, amount: amount, unit: "MW",
            limit: limit,
            text:
              "\(kind.rawValue) of \(sc.offerings[o].id) in \(sc.periods[t].id): short \(NumberText.quantity(amount)) MW "
              + "of \(NumberText.quantity(limit)) MW"))
      case .power(let s, let t):
        var limit = sc.sites[s].powerMW[t]
        for e in sc.sites[s].expansions {
          if let built = f.variables[.built(expansion: e, period: t)], value(built) > 0.5 {
            limit += sc.expansions[e].powerMW
          }
        }
        out.append(
          Plan.Shortfall(
            kind: .power, subject: sc.sites[s].id, period: sc.periods[t].id, amount: amount,
            unit: "facility MW",
            limit: limit,
            text:
              "power at \(sc.sites[s].id) in \(sc.periods[t].id): \(NumberText.quantity(amount)) facility MW over "
              + "the limit of \(NumberText.quantity(limit))"))
      case .supply(let h, let t):
        let limit = sc.hardware[h].supplyMW[t]
        out.append(
          Plan.Shortfall(
            kind: .supply, subject: sc.hardware[h].id, period: sc.periods[t].id, amount: amount,
            unit: "MW",
            limit: limit,
            text:
              "supply_mw of \(sc.hardware[h].id) in \(sc.periods[t].id): \(NumberText.quantity(amount)) MW installed "
              + "over the supply of \(NumberText.quantity(limit)) MW"))
      case .policy(let p, let t):
        let policy = sc.policies[p]
        let covered = Set(policy.hardware)
        var on = 0.0
        var all = 0.0
        for o in policy.offerings {
          for (h, _, v) in f.allocationsByOffering[o][t] {
            let m =
              policy.measure == .mw ? 1 : sc.offerings[o].serving(hardware: h)?.grossRevenuePerMWYear ?? 0
            all += m * value(v)
            if covered.contains(h) { on += m * value(v) }
          }
        }
        let share = all > 0 ? on / all : 0
        let bound = policy.kind == .minShare ? "a minimum" : "a maximum"
        let what = policy.measure == .mw ? "of the MW" : "of the gross revenue"
        out.append(
          Plan.Shortfall(
            kind: .policy, subject: policy.id, period: sc.periods[t].id, amount: share, unit: "share",
            limit: policy.share,
            text: "policy \(policy.id) in \(sc.periods[t].id): \(NumberText.percent(share)) \(what) on "
              + "\(policy.hardware.map { sc.hardware[$0].id }.joined(separator: ", ")) against \(bound) of "
              + NumberText.percent(policy.share)))
      default: continue
      }
    }
    return out
  }
}
