import Foundation
import LinearProgramming

/// Near-optimal alternatives (modelling to generate alternatives): plans whose EBIT is within a
/// slack of the optimum but whose installs and expansions differ from the optimum's and from
/// each other's, so a planner sees which decisions are forced and which are a matter of taste.
///
/// The loop is Hop-Skip-Jump MGA. Solve for the optimum EBIT z*. Add the row
/// EBIT >= z* - slack |z*|. Then, for each alternative, minimise the scaled sum of the install
/// and expansion columns that earlier plans used (each weighted by how many used it), which
/// steers the search away from every earlier choice at once (ties go to the most EBIT). The
/// decisions found are then fixed
/// and the allocations solved again for the best EBIT, so each alternative reads as a plan with
/// its own marginal values.
public enum Alternatives {
  public struct Result: Sendable {
    /// The optimum, then each alternative found.
    public var plans: [Plan]
    /// The EBIT every alternative keeps: z* - slack |z*|.
    public var ebitFloor: Double
    /// Why the loop found fewer plans than asked (a solve without a solution), if it did.
    public var stoppedEarly: String?
  }

  /// Tolerance below which a column counts as unused (MW or a fraction of a block).
  static let used = 1e-6

  public static func find(
    _ scenario: ValidScenario, slack: Double, count: Int, options: PlanOptions = PlanOptions()
  ) throws(PlanningError) -> Result {
    guard slack.isFinite, slack >= 0, slack <= 1 else {
      throw PlanningError(message: "--slack must be between 0 and 1 (0.02 is 2%), found \(slack)")
    }
    // The search varies one demand's installs; over demand cases it would silently plan for the
    // base demand alone, which is not the scenario's plan.
    if let cases = scenario.demandCases {
      throw PlanningError(
        message: "alternatives searches plans for one demand, but the scenario's uncertainty section has "
          + "\(cases.ids.count) demand case\(cases.ids.count == 1 ? "" : "s") (\(cases.ids.joined(separator: ", "))); "
          + "remove the uncertainty section, or solve it with `capplan solve` for the plan across the cases")
    }
    let base = Formulation(scenario, previous: options.previous)
    let (best, _) = try Planner.solveRecording(base, options: options)
    var optimum = Planner.explain(base, solution: best, options: options)
    optimum.warnings = optimum.plausibilityWarnings.isEmpty ? nil : optimum.plausibilityWarnings
    guard optimum.status.hasSolution, let z = best.objectiveValue else {
      throw PlanningError(
        message: "no optimum to search around: the scenario's plan is \(optimum.status.rawValue)"
          + (optimum.message.map { " (\($0))" } ?? ""))
    }
    let floor = z - slack * abs(z)
    let decisions = decisionColumns(base)
    guard !decisions.isEmpty else {
      return Result(
        plans: [optimum], ebitFloor: floor,
        stoppedEarly: "the scenario has no install or expansion decisions to vary")
    }
    var constrained = base
    var ebit = LinearExpression()
    for (j, c) in base.model.objectiveCoefficients.enumerated() where c != 0 {
      ebit += c * Variable(index: j)
    }
    constrained.row(
      .nearOptimal, ebit, lower: floor - base.model.objectiveConstant, upper: .infinity)

    var plans = [optimum]
    var usage = [Double](repeating: 0, count: decisions.count)
    func remember(_ values: [Double]) {
      for (i, d) in decisions.enumerated() where values[d.variable.index] > used { usage[i] += 1 }
    }
    remember(best.values)
    var stoppedEarly: String?
    for n in 1...max(1, count) {
      var search = constrained
      var weights = LinearExpression()
      for (i, d) in decisions.enumerated() where usage[i] > 0 {
        weights += (usage[i] / d.scale) * d.variable
      }
      // Among equally different decisions, the one with the most EBIT: a tie-breaker far too
      // small to trade any distance for EBIT (the whole EBIT range weighs about 1e-4).
      let tieBreak = 1e-4 / max(1, abs(z))
      for (j, c) in base.model.objectiveCoefficients.enumerated() where c != 0 {
        weights += (-tieBreak * c) * Variable(index: j)
      }
      search.model.setObjective(.minimize, weights)
      var searchOptions = options
      searchOptions.warmStart = nil
      searchOptions.progress = nil
      let found: Solution
      do {
        found = try Planner.solve(search, options: searchOptions)
      } catch {
        stoppedEarly = "alternative \(n): \(error.message)"
        break
      }
      guard found.hasFeasibleSolution else {
        stoppedEarly = "alternative \(n): the search ended \(found.termination) without a plan"
        break
      }
      // The decisions found, fixed; the allocations solved again for EBIT.
      var fixed = constrained
      for d in decisions {
        let v = found.values[d.variable.index]
        let x = fixed.model.variableKinds[d.variable.index] == .continuous ? max(0, v) : v.rounded()
        fixed.model.setBounds(d.variable, lower: x, upper: x)
      }
      var fixedOptions = options
      fixedOptions.warmStart = nil
      let solution: Solution
      do {
        solution = try Planner.solve(fixed, options: fixedOptions)
      } catch {
        stoppedEarly = "alternative \(n): \(error.message)"
        break
      }
      var plan = Planner.explain(fixed, solution: solution, options: fixedOptions)
      guard plan.status.hasSolution else {
        stoppedEarly = "alternative \(n): its allocations solved \(plan.status.rawValue)"
        break
      }
      plan.message =
        "near-optimal alternative \(n): EBIT at least \(NumberText.grouped(floor)) "
        + "($M, within \(NumberText.percent(slack)) of the optimum)"
      remember(solution.values)
      plans.append(plan)
    }
    return Result(plans: plans, ebitFloor: floor, stoppedEarly: stoppedEarly)
  }

  /// An install or expansion column, and what one unit of it is worth in the distance (its
  /// largest value: a block count's bound, the supply for MW, 1 for an expansion).
  struct Decision {
    var variable: Variable
    var scale: Double
  }

  static func decisionColumns(_ f: Formulation) -> [Decision] {
    f.variableKeys.enumerated().compactMap { j, key in
      let v = Variable(index: j)
      let upper = f.model.variableUpper[j]
      switch key {
      case .installBlocks:
        return Decision(variable: v, scale: upper.isFinite ? max(1, upper) : 1)
      case .install(_, let h, let t):
        return Decision(variable: v, scale: max(1, f.scenario.hardware[h].supplyMW[t]))
      case .built:
        return Decision(variable: v, scale: 1)
      default:
        return nil
      }
    }
  }
}
