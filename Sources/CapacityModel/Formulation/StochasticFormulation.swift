import LinearProgramming

/// The scenario's demand cases, resolved: one ``ValidScenario`` per case (the base with the
/// case's demand and prices), with the risk settings.
public struct DemandCases: Sendable {
  public let ids: [String]
  public let probabilities: [Double]
  public let scenarios: [ValidScenario]
  /// The CVaR level and the weight of CVaR in the objective (0: expected EBIT only).
  public let cvarAlpha: Double
  public let riskWeight: Double
  /// Whether some case changes a price (the expected-demand scenario then keeps the base prices).
  public let changesPrices: Bool

  public static let defaultCVaRAlpha = 0.9

  /// The same cases, valued by expected EBIT alone. With the first stage fixed, each case's
  /// allocations are then the best for that case, which is also best for any CVaR (CVaR never
  /// falls when one case's EBIT rises).
  public var expectedOnly: DemandCases {
    DemandCases(
      ids: ids, probabilities: probabilities, scenarios: scenarios, cvarAlpha: cvarAlpha, riskWeight: 0,
      changesPrices: changesPrices)
  }

  /// The cases as the model has them. One case of probability 1 has CVaR = EBIT, so its risk
  /// term changes nothing but adds columns: it is modelled as the deterministic model.
  var modelled: DemandCases { ids.count == 1 ? expectedOnly : self }
}

extension ValidScenario {
  /// The demand cases of the `uncertainty` section, or nil without one. The scenario was
  /// validated with the section, so every case resolves.
  public var demandCases: DemandCases? {
    guard let u = asWritten.uncertainty, !u.cases.isEmpty else { return nil }
    return DemandCases(
      ids: u.cases.map(\.id), probabilities: u.cases.map(\.probability),
      scenarios: u.cases.map { ValidScenario(resolving: asWritten.applying($0)) },
      cvarAlpha: u.risk?.cvarAlpha ?? DemandCases.defaultCVaRAlpha, riskWeight: u.risk?.weight ?? 0,
      changesPrices: u.cases.contains { ($0.offerings ?? []).contains(where: \.changesPrices) })
  }

  /// The deterministic scenario of the expected demand: every demand series the probability-weighted
  /// mean of the cases' (prices as in the base). Its plan's first stage, held fixed across the
  /// cases, is what the value of the stochastic solution (VSS) compares against.
  public var expectedDemandScenario: ValidScenario? {
    guard let u = asWritten.uncertainty, !u.cases.isEmpty else { return nil }
    var mean = asWritten
    mean.uncertainty = nil
    let periods = asWritten.periods.map(\.id)
    let cases = u.cases.map { asWritten.applying($0) }
    for o in mean.offerings.indices {
      func average(_ series: (Scenario) -> Series?) -> Series? {
        guard cases.contains(where: { series($0) != nil }) else { return nil }
        var values = Array(repeating: 0.0, count: periods.count)
        for (c, scenario) in cases.enumerated() {
          // A case without a cap on an offering that others cap has no finite mean.
          guard let s = series(scenario) else { return nil }
          for (t, v) in s.values(over: periods).enumerated() { values[t] += u.cases[c].probability * v }
        }
        return .byPeriod(IDMap(zip(periods, values).map { IDMap.Entry(key: $0, value: $1) }))
      }
      mean.offerings[o].demandGrossRevenuePerYear = average { $0.offerings[o].demandGrossRevenuePerYear }
      mean.offerings[o].demandMW = average { $0.offerings[o].demandMW }
    }
    return ValidScenario(resolving: mean)
  }
}

/// The two-stage model over demand cases: installs and expansions (the first stage) are columns
/// shared by every case; allocations, tiers, moves and every row that holds them are repeated per
/// case. Objective: (1 - w) sum_k p_k EBIT_k + w CVaR_alpha, with CVaR in its linear form
/// eta - 1/(1 - alpha) sum_k p_k u_k, u_k >= eta - EBIT_k, u_k >= 0 (docs/formulation.md).
///
/// Built from one deterministic ``Formulation`` per case, so every rule of the deterministic
/// model holds in each case by construction; a case's columns and rows are those of its
/// formulation, mapped into the one model.
public struct StochasticFormulation: Sendable {
  public let cases: DemandCases
  /// Each case's deterministic formulation; `columnMap[k][j]` is the model column of its column j.
  public let formulations: [Formulation]
  public let columnMap: [[Int]]
  /// `rowMap[k][i]`: the model row of case k's row i.
  public let rowMap: [[Int]]
  public private(set) var model = Model(name: "capplan")

  /// First-stage columns: one decision, whatever the demand.
  static func isFirstStage(_ key: VariableKey) -> Bool {
    switch key {
    case .install, .installBlocks, .built: return true
    default: return false
    }
  }

  /// Rows over first-stage columns only: the same in every case, so kept once.
  static func isShared(_ key: ConstraintKey) -> Bool {
    switch key {
    case .power, .supply, .expansionStaysBuilt: return true
    default: return false
    }
  }

  /// `fixed`: first-stage values by column key, held fixed (bounds), for VSS's evaluation.
  /// `previousByCase`: a previous two-stage plan's allocations by case id; a case it lacks is
  /// compared with `previous`.
  public init(
    _ cases: DemandCases, previous: PreviousAllocations? = nil,
    previousByCase: [String: PreviousAllocations]? = nil, objective: SolveObjective = .ebit,
    fixed: [VariableKey: Double]? = nil
  ) {
    // Normalised here, where every model over cases is built (the solve, `solve --write`, VSS),
    // so a written model is always the solved one.
    let cases = cases.modelled
    self.cases = cases
    let formulations = cases.scenarios.indices.map { k in
      Formulation(
        cases.scenarios[k], previous: previousByCase?[cases.ids[k]] ?? previous, objective: objective)
    }
    self.formulations = formulations
    let base = formulations[0]
    let single = cases.ids.count == 1
    let w = cases.riskWeight
    if single, w == 0, fixed == nil {
      // One case without a risk term or fixed columns is its deterministic model, names and all.
      model = base.model
      columnMap = [Array(0..<base.model.variableCount)]
      rowMap = [Array(0..<base.model.constraintCount)]
      return
    }
    model.name = base.model.name
    model.objectiveName = base.model.objectiveName
    model.sense = .maximize
    var shared: [VariableKey: Int] = [:]
    var sharedRows: [ConstraintKey: Int] = [:]
    var columnMap: [[Int]] = []
    var rowMap: [[Int]] = []
    var objective = [Double]()
    for (k, f) in formulations.enumerated() {
      let p = cases.probabilities[k]
      // A single case keeps the deterministic names, so its model file and warm start are the same.
      let suffix = single ? "" : "@\(k + 1)"
      var map: [Int] = []
      map.reserveCapacity(f.model.variableCount)
      for (j, key) in f.variableKeys.enumerated() {
        let first = Self.isFirstStage(key)
        if first, let existing = shared[key] {
          map.append(existing)
          objective[existing] += (1 - w) * p * f.model.objectiveCoefficients[j]
          continue
        }
        var lower = f.model.variableLower[j]
        var upper = f.model.variableUpper[j]
        var kind = f.model.variableKinds[j]
        if first, let fixed {
          lower = fixed[key] ?? 0
          upper = lower
          // Fixed, its kind no longer matters; a binary would get [0, 1] whatever its bounds.
          kind = .continuous
        }
        let name = first ? f.model.variableNames[j] : Self.named(f.model.variableNames[j], suffix)
        let v = model.addVariable(name, kind: kind, lower: lower, upper: upper)
        map.append(v.index)
        objective.append((1 - w) * p * f.model.objectiveCoefficients[j])
        if first { shared[key] = v.index }
      }
      var rows: [Int] = []
      for (i, key) in f.constraintKeys.enumerated() {
        if Self.isShared(key), let existing = sharedRows[key] {
          rows.append(existing)
          continue
        }
        var e = LinearExpression()
        for term in f.model.terms(of: Constraint(index: i)) {
          e.add(term.coefficient, Variable(index: map[term.variable.index]))
        }
        let isShared = Self.isShared(key)
        let name = isShared ? f.model.constraintNames[i] : Self.named(f.model.constraintNames[i], suffix)
        let c = model.addConstraint(
          e, lower: f.model.constraintLower[i], upper: f.model.constraintUpper[i], name: name)
        rows.append(c.index)
        if isShared { sharedRows[key] = c.index }
      }
      columnMap.append(map)
      rowMap.append(rows)
      model.objectiveConstant += (1 - w) * p * f.model.objectiveConstant
    }
    for (j, c) in objective.enumerated() where c != 0 {
      model.setObjectiveCoefficient(Variable(index: j), c)
    }
    if w > 0 {
      // EBIT_k - eta + u_k >= 0: u_k is how far case k falls below eta.
      let eta = model.addVariable("cvar_eta", kind: .continuous, lower: -.infinity, upper: .infinity)
      model.setObjectiveCoefficient(eta, w)
      for (k, f) in formulations.enumerated() {
        let u = model.addVariable("cvar_shortfall@\(k + 1)", kind: .continuous, lower: 0, upper: .infinity)
        model.setObjectiveCoefficient(u, -w * cases.probabilities[k] / (1 - cases.cvarAlpha))
        var e = LinearExpression()
        for (j, c) in f.model.objectiveCoefficients.enumerated() where c != 0 {
          e.add(c, Variable(index: columnMap[k][j]))
        }
        e.add(-1, eta)
        e.add(1, u)
        model.addConstraint(e, lower: -f.model.objectiveConstant, upper: .infinity, name: "cvar[\(k + 1)]")
      }
    }
    self.columnMap = columnMap
    self.rowMap = rowMap
  }

  /// `name` with the case suffix, or "" (GLPK's unnamed) when that passes GLPK's 255 bytes, as the
  /// deterministic names do.
  static func named(_ name: String, _ suffix: String) -> String {
    guard !name.isEmpty else { return "" }
    let full = name + suffix
    return full.utf8.count <= 255 ? full : ""
  }

  /// Case k's part of `solution`, as a solution of its own formulation: the values and
  /// activities of its columns and rows (duals are left out: in the joint model they price a
  /// row for all cases at once).
  public func caseSolution(_ k: Int, of solution: Solution) -> Solution {
    var s = solution
    s.values = columnMap[k].map { solution.values[$0] }
    s.rowActivities = rowMap[k].map { $0 < solution.rowActivities.count ? solution.rowActivities[$0] : 0 }
    s.duals = nil
    s.reducedCosts = nil
    s.basis = nil
    s.ranging = nil
    s.objectiveValue = formulations[k].model.objectiveValue(at: s.values)
    return s
  }

  /// The solution seen from case 0's formulation with the cases averaged: first-stage values as
  /// they are, allocations and activities probability-weighted, duals of repeated rows summed
  /// (the value of one more unit of a limit in every case).
  public func expectedSolution(of solution: Solution) -> Solution {
    var s = caseSolution(0, of: solution)
    let f = formulations[0]
    // Every case has the same columns in the same order (cases change demand caps and prices,
    // which are rows and coefficients), so case k's column j is case 0's column j; the lookup by
    // key is only a fallback should a case ever differ.
    let sameColumns = formulations.allSatisfy { $0.variableKeys == f.variableKeys }
    for (j, key) in f.variableKeys.enumerated() where !Self.isFirstStage(key) {
      s.values[j] = 0
      for k in formulations.indices {
        let kj = sameColumns ? j : formulations[k].variables[key]?.index
        if let kj { s.values[j] += cases.probabilities[k] * solution.values[columnMap[k][kj]] }
      }
    }
    for (i, key) in f.constraintKeys.enumerated() where !Self.isShared(key) {
      s.rowActivities[i] = 0
      for k in formulations.indices {
        if let c = formulations[k].constraints[key] {
          s.rowActivities[i] += cases.probabilities[k] * solution.rowActivities[rowMap[k][c.index]]
        }
      }
    }
    if let duals = solution.duals {
      var d = rowMap[0].map { duals[$0] }
      for (i, key) in f.constraintKeys.enumerated() where !Self.isShared(key) {
        d[i] = formulations.indices.reduce(0) { sum, k in
          guard let c = formulations[k].constraints[key] else { return sum }
          return sum + duals[rowMap[k][c.index]]
        }
      }
      s.duals = d
    }
    return s
  }

  /// First-stage values by key, for fixing them in another solve.
  public func firstStage(of solution: Solution) -> [VariableKey: Double] {
    Self.firstStage(of: formulations[0]) { solution.values[columnMap[0][$0]] }
  }

  /// The first-stage values of `f`, column j's value being `value(j)`, for fixing them in
  /// another solve.
  static func firstStage(of f: Formulation, value: (Int) -> Double) -> [VariableKey: Double] {
    var out: [VariableKey: Double] = [:]
    for (j, key) in f.variableKeys.enumerated() where isFirstStage(key) {
      var x = value(j)
      // Whole blocks and builds stay whole when fixed, whatever the solver's float noise.
      if f.model.variableKinds[j] != .continuous { x = x.rounded() }
      out[key] = x
    }
    return out
  }
}
