import Foundation
import GLPK
import LinearProgramming
import Synchronization

/// A first feasible plan for a capacity MIP, found before branch-and-cut so that a solve
/// that runs out of time still has one.
///
/// It solves the LP relaxation, rounds the install blocks and expansions of its answer, fixes
/// them, and solves the LP of the allocations that is left (warm-started from the relaxation's
/// basis with the dual simplex: fixing bounds keeps that basis dual feasible). Roundings are
/// tried from the closest to the LP to the most generous with capacity:
/// - `nearest`: blocks and expansions rounded to the nearest whole number;
/// - `fitted`: blocks rounded down, then up again, largest fractions first, where fleet supply
///   and the site's power in that quarter and every later one leave room for a whole block
///   (counting whole blocks and expansions; continuous installs are the LP's to move aside);
/// - `down`: blocks rounded down (less hardware never breaks power or supply), expansions
///   built from the first quarter the LP builds any of them (more power never hurts);
/// - `up`: blocks rounded up within their supply bound, expansions as in `down`, for
///   commitments that need the capacity the fractional blocks held;
/// - `relax-and-fix`: quarter by quarter, the LP with earlier quarters fixed decides the
///   next quarter's rounding, up when nearest leaves the rest infeasible.
/// The best feasible rounding wins. Tier indicators are left to a small MIP of their own.
///
/// It works on a ``RoundingTarget``: one case's model, or the joint model over demand cases, whose
/// rounded columns (the installs and expansions) are shared by the cases.
struct RoundingHeuristic: Sendable {
  let target: RoundingTarget
  let method: LPMethod
  let deadline: SolveDeadline
  /// Set when branch-and-cut beside it has finished: once it has a plan, no further LP solves.
  var stop: StopFlag? = nil
  /// Set when the caller stops the solve: no further LP solves at all.
  var cancel: StopFlag? = nil
  /// The plan's solver (`PlanOptions.solver`).
  var solver: any LPSolver = GLPKSolver()
  let report: @Sendable (String) -> Void
  /// Called with each better plan's objective and the relaxation's bound, as soon as it is found.
  var onPlan: (@Sendable (_ objective: Double, _ bound: Double) -> Void)? = nil

  /// Out of time or stopped, or (`havePlan`) no longer needed.
  func halted(havePlan: Bool = false) -> Bool {
    deadline.passed || (cancel?.isSet ?? false) || (havePlan && (stop?.isSet ?? false))
  }

  struct Outcome {
    /// The LP relaxation's solution: the bound, and the basis that warm-starts the rest.
    var relaxation: Solution
    /// A feasible point of the MIP, with its objective and the rounding that found it.
    var start: [Double]?
    var startObjective: Double?
    var rule: String?
    /// Duals and reduced costs of the LP with the start's integers fixed (the plan's marginals).
    var startDuals: [Double]?
    var startReducedCosts: [Double]?
    /// Seconds from the solve's start to the first plan.
    var seconds: Double?
    /// LP solves made, the relaxation included.
    var lpSolves = 1
  }

  /// The integer columns the rounding decides, with their quarter; expansions keep their
  /// order so that rounding them can keep "once built, stays built".
  struct Decision: Sendable {
    var column: Int
    var period: Int
    var isExpansion: Bool
    var expansion: Int
    /// An install block's site and hardware (-1 for an expansion).
    var site = -1
    var hardware = -1
  }

  var decisions: [Decision] { target.decisions }

  /// The model with its integer columns made continuous: the LP relaxation.
  var relaxedModel: Model {
    var model = target.model
    for j in 0..<model.variableCount where model.variableKinds[j] != .continuous {
      model.setKind(Variable(index: j), .continuous)
    }
    return model
  }

  /// `model` with the `fixed` columns continuous and held at their values.
  static func holding(_ fixed: [Int: Double], in model: Model) -> Model {
    var model = model
    for (j, value) in fixed {
      model.setKind(Variable(index: j), .continuous)
      model.setBounds(Variable(index: j), lower: value, upper: value)
    }
    return model
  }

  func run(warmBasis: Basis?) throws(LPError) -> Outcome {
    var options = lpOptions(method: method, basis: warmBasis)
    let relaxation = try solver.solve(self.relaxedModel, options: options)
    var outcome = Outcome(relaxation: relaxation)
    guard relaxation.termination == .optimal, let bound = relaxation.objectiveValue else { return outcome }
    report(
      "LP relaxation solved in \(NumberText.fixed(deadline.elapsed, 2)) s: EBIT at most \(money(bound))")
    // The dual simplex from the relaxation's basis; without a basis (interior point), the same
    // method again.
    options = lpOptions(method: relaxation.basis == nil ? method : .dualSimplex, basis: relaxation.basis)

    let decisions = self.decisions
    // The interior point's own values, when the relaxation came from it: measured at 200 sites,
    // rounding the crossover's vertex gave a first plan 1% below the bound, the interior point's
    // spread values one within 0.01% (BENCHMARKS.md). The vertex's basis still warm-starts.
    let lp = relaxation.interiorValues ?? relaxation.values
    let upper = target.model.variableUpper
    var tried: [String] = []
    for rule in [Rounding.fitted, .nearest, .down, .up] where !halted(havePlan: outcome.start != nil) {
      let fixed = rule == .fitted ? fitted(decisions, lp: lp) : rule.round(decisions, lp: lp, upper: upper)
      outcome.lpSolves += 1
      guard let (x, z, fixedLP) = try solveFixed(fixed, options: options) else {
        tried.append("\(rule.rawValue) infeasible")
        continue
      }
      tried.append("\(rule.rawValue) \(percent((bound - z) / max(abs(z), 1e-9))) below the bound")
      if z > (outcome.startObjective ?? -.infinity) {
        (outcome.start, outcome.startObjective, outcome.rule) = (x, z, rule.rawValue)
        (outcome.startDuals, outcome.startReducedCosts) = (fixedLP.duals, fixedLP.reducedCosts)
        outcome.seconds = outcome.seconds ?? deadline.elapsed
        onPlan?(z, bound)
      }
      // Within 0.1% of the bound, another rounding cannot win enough to pay for its solve.
      if (bound - z) <= 1e-3 * max(1, abs(z)) { break }
    }
    if outcome.start == nil, !halted() {
      if let (x, z, fixedLP, solves) = try relaxAndFix(decisions, relaxation: relaxation, options: options) {
        (outcome.start, outcome.startObjective, outcome.rule) = (x, z, "relax-and-fix")
        (outcome.startDuals, outcome.startReducedCosts) = (fixedLP.duals, fixedLP.reducedCosts)
        outcome.seconds = deadline.elapsed
        onPlan?(z, bound)
        outcome.lpSolves += solves
      }
    }
    report("roundings: " + tried.joined(separator: ", "))
    if let z = outcome.startObjective, let rule = outcome.rule, let seconds = outcome.seconds {
      report(
        "first plan (\(rule) rounding) in \(NumberText.fixed(seconds, 2)) s: EBIT \(money(z)), "
          + "within \(percent((bound - z) / max(abs(z), 1e-9))) of the bound")
    } else {
      report("no rounding of the LP relaxation was feasible; branch-and-cut searches on its own")
    }
    return outcome
  }

  /// The `fitted` rounding: down, then up where supply and power leave room for whole blocks.
  func fitted(_ decisions: [Decision], lp: [Double]) -> [Int: Double] {
    let f = target
    let sc = f.scenario
    let model = f.model
    var fixed = Rounding.down.round(decisions, lp: lp, upper: model.variableUpper)
    var supplyLeft: [Int: Double] = [:]
    var powerLeft = Array(
      repeating: Array(repeating: Double.infinity, count: f.periodCount), count: sc.sites.count)
    for (s, site) in sc.sites.enumerated() {
      for t in 0..<f.periodCount {
        guard let row = f.powerRows[s][t] else { continue }
        powerLeft[s][t] = model.constraintUpper[row]
        for e in site.expansions {
          if let built = f.builtColumns[e][t] {
            powerLeft[s][t] += sc.expansions[e].powerMW * (fixed[built] ?? 0)
          }
        }
      }
    }
    var blocks: [(column: Int, s: Int, h: Int, t: Int, mw: Double)] = []
    for d in decisions where !d.isExpansion {
      let (s, h, t) = (d.site, d.hardware, d.period)
      let mw = sc.hardware[h].installBlockMW
      let whole = (fixed[d.column] ?? 0) * mw
      supplyLeft[h * f.periodCount + t, default: sc.hardware[h].supplyMW[t]] -= whole
      for later in t..<f.periodCount { powerLeft[s][later] -= sc.sites[s].pue * whole }
      blocks.append((d.column, s, h, t, mw))
    }
    func fraction(_ j: Int) -> Double { max(0, lp[j]) - (fixed[j] ?? 0) }
    let tolerance = 1e-6
    for b in blocks.sorted(by: { fraction($0.column) > fraction($1.column) }) {
      guard fraction(b.column) > tolerance, (fixed[b.column] ?? 0) + 1 <= model.variableUpper[b.column] else {
        continue
      }
      let facility = sc.sites[b.s].pue * b.mw
      let supplyKey = b.h * f.periodCount + b.t
      guard (supplyLeft[supplyKey] ?? 0) >= b.mw - tolerance,
        (b.t..<f.periodCount).allSatisfy({ powerLeft[b.s][$0] >= facility - tolerance })
      else { continue }
      fixed[b.column, default: 0] += 1
      supplyLeft[supplyKey, default: 0] -= b.mw
      for later in b.t..<f.periodCount { powerLeft[b.s][later] -= facility }
    }
    return fixed
  }

  func lpOptions(method: LPMethod, basis: Basis?) -> SolveOptions {
    var o = SolveOptions()
    o.method = method
    o.warmStartBasis = basis
    o.mipDuals = false
    // GLPK's plain interior point cannot stop at a time limit: it runs to its end (the
    // crossover variant stops between its iterations).
    o.timeLimitSeconds = method.stopsAtTimeLimit ? deadline.remaining : nil
    // A caller's stop, or the deadline, ends the LP in progress, not only the next one (the
    // plain interior point too, which takes no time limit of its own).
    let cancel = cancel
    let deadline = deadline
    o.shouldStop = { (cancel?.isSet ?? false) || deadline.passed }
    o.relativeGap = 1e-4
    return o
  }

  /// The model with `fixed` columns held at their values, solved; nil when infeasible.
  func solveFixed(_ fixed: [Int: Double], options: SolveOptions) throws(LPError) -> (
    [Double], Double, Solution
  )? {
    let model = Self.holding(fixed, in: target.model)
    var options = options
    options.timeLimitSeconds = options.method.stopsAtTimeLimit ? deadline.remaining : nil
    if halted() { return nil }
    // Tier indicators, if any, stay integer: a small MIP that cannot take an LP basis.
    if model.isMIP { options.warmStartBasis = nil }
    let s = try solver.solve(model, options: options)
    guard s.hasFeasibleSolution else { return nil }
    var x = s.values
    for (j, value) in fixed { x[j] = value }
    guard target.model.isFeasible(x) else { return nil }
    return (x, target.model.objectiveValue(at: x), s)
  }

  /// The LP with every integer column fixed at its value in `values` (a MIP plan), solved with
  /// the dual simplex from `basis`: the plan's duals and reduced costs.
  func fixedLP(at values: [Double], basis: Basis?) throws(LPError) -> Solution? {
    let model = target.model
    var integers: [Int: Double] = [:]
    for j in 0..<model.variableCount where model.variableKinds[j] != .continuous {
      integers[j] = values[j].rounded()
    }
    var options = lpOptions(method: basis == nil ? method : .dualSimplex, basis: basis)
    options.timeLimitSeconds = nil
    let s = try solver.solve(Self.holding(integers, in: model), options: options)
    return s.termination == .optimal ? s : nil
  }

  /// Quarter by quarter: the LP with the quarters before fixed (and the rest relaxed)
  /// decides this quarter's blocks and expansions, rounded to nearest, or up when nearest
  /// leaves the rest of the horizon infeasible.
  func relaxAndFix(_ decisions: [Decision], relaxation: Solution, options: SolveOptions)
    throws(LPError) -> ([Double], Double, Solution, Int)?
  {
    let periods = target.periodCount
    let upper = target.model.variableUpper
    var fixed: [Int: Double] = [:]
    var lp = relaxation.interiorValues ?? relaxation.values
    var solves = 0
    let relaxed = relaxedModel
    for t in 0..<periods {
      let now = decisions.filter { $0.period == t }
      guard !now.isEmpty else { continue }
      var settled = false
      for rule in [Rounding.nearest, .up] where !halted() {
        var trial = fixed
        // Quarters already decided (an expansion built earlier stays built) keep their values.
        for (j, v) in rule.round(now, lp: lp, upper: upper) where trial[j] == nil { trial[j] = v }
        // Expansions stay built: later quarters of an expansion built now are built too.
        for d in decisions where d.isExpansion && d.period > t {
          if now.contains(where: { $0.isExpansion && $0.expansion == d.expansion && trial[$0.column] == 1 }) {
            trial[d.column] = 1
          }
        }
        solves += 1
        guard let s = try solveRelaxed(relaxed, fixing: trial, options: options) else { continue }
        fixed = trial
        lp = s
        settled = true
        break
      }
      if !settled { return nil }
    }
    solves += 1
    guard let (x, z, fixedLP) = try solveFixed(fixed, options: options) else { return nil }
    return (x, z, fixedLP, solves)
  }

  /// The LP relaxation with `fixed` columns held; its values, or nil when infeasible.
  func solveRelaxed(_ relaxed: Model, fixing fixed: [Int: Double], options: SolveOptions) throws(LPError)
    -> [Double]?
  {
    let model = Self.holding(fixed, in: relaxed)
    var options = options
    options.timeLimitSeconds = options.method.stopsAtTimeLimit ? deadline.remaining : nil
    if halted() { return nil }
    let s = try solver.solve(model, options: options)
    return s.termination == .optimal ? s.values : nil
  }

  func money(_ x: Double) -> String { "$" + NumberText.fixed(x, 2) + "M" }
  func percent(_ x: Double) -> String { NumberText.percent(max(0, x), 3) }
}

/// How a fractional LP value of a block count or an expansion becomes a whole one.
enum Rounding: String {
  case nearest, fitted, down, up

  func round(_ decisions: [RoundingHeuristic.Decision], lp: [Double], upper: [Double]) -> [Int: Double] {
    var fixed: [Int: Double] = [:]
    fixed.reserveCapacity(decisions.count)
    var builtFrom: [Int: Int] = [:]
    for d in decisions {
      let x = max(0, lp[d.column])
      if d.isExpansion {
        let on: Bool
        switch self {
        case .nearest: on = x >= 0.5
        case .fitted, .down, .up: on = x > 1e-6
        }
        if on { builtFrom[d.expansion] = min(builtFrom[d.expansion] ?? .max, d.period) }
        continue
      }
      let whole: Double
      switch self {
      case .nearest: whole = x.rounded()
      case .down, .fitted: whole = (x + 1e-6).rounded(.down)
      case .up: whole = (x - 1e-6).rounded(.up)
      }
      fixed[d.column] = min(max(whole, 0), upper[d.column])
    }
    // Once built, an expansion stays built: from its first quarter on.
    for d in decisions where d.isExpansion {
      fixed[d.column] = d.period >= (builtFrom[d.expansion] ?? .max) ? 1 : 0
    }
    return fixed
  }
}

/// The wall-clock deadline of one solve, shared by its phases.
struct SolveDeadline: Sendable {
  let clock = ContinuousClock()
  let start: ContinuousClock.Instant
  let limitSeconds: Double?

  init(limitSeconds: Double?) {
    start = clock.now
    self.limitSeconds = limitSeconds
  }

  var elapsed: Double {
    let d = clock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }
  /// Seconds left, at least a millisecond; nil without a limit.
  var remaining: Double? { limitSeconds.map { max($0 - elapsed, 0.001) } }
  var passed: Bool { limitSeconds.map { elapsed >= $0 } ?? false }
}
