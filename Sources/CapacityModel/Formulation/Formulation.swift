import LinearProgramming

/// The previous plan's allocations that the stability move cost compares against.
public struct PreviousAllocations: Sendable, Equatable {
  public struct Entry: Sendable, Equatable, Hashable {
    public var offering, hardware, site, period: String
    public init(offering: String, hardware: String, site: String, period: String) {
      (self.offering, self.hardware, self.site, self.period) = (offering, hardware, site, period)
    }
  }
  /// The periods the previous plan covers; moves are charged only there.
  public var periods: [String]
  public var mw: [Entry: Double]
  public init(periods: [String], mw: [Entry: Double]) {
    self.periods = periods
    self.mw = mw
  }
}

/// The LP/MIP of model-spec.md for one scenario, with the meaning of every
/// column and row kept beside it.
public struct Formulation: Sendable {
  public let scenario: ValidScenario
  /// What the objective measures: horizon EBIT, or the NPV of the cash flows.
  public let objective: SolveObjective
  /// The NPV objective's discount factors; nil for EBIT.
  public let discounting: Discounting?
  public internal(set) var model = Model(name: "capplan")
  public internal(set) var variableKeys: [VariableKey] = []
  public internal(set) var constraintKeys: [ConstraintKey] = []
  public internal(set) var variables: [VariableKey: Variable] = [:]
  public internal(set) var constraints: [ConstraintKey: Constraint] = [:]
  /// Allocation columns by (offering, period), for demand, tiers and policies.
  var allocationsByOffering: [[[(h: Int, s: Int, v: Variable)]]] = []
  /// Allocation columns by (site, hardware, period).
  var allocationsAt: [[[[(o: Int, v: Variable)]]]] = []
  /// The column of new[s,h,t] and the MW per unit of it, by (site, hardware, period): read in
  /// O(T^2) loops (cumulative capacity, depreciation), where a dictionary lookup per read was the
  /// formulation's hotspot.
  var installs: [[[(v: Variable, mw: Double)?]]] = []
  /// The previous plan's MW that match no column of this scenario.
  public internal(set) var unmatchedPreviousMW = 0.0
  public internal(set) var previousCovered: Set<Int> = []

  /// `objective` npv needs the scenario's discount rate (``SolveSettings/check(for:naming:)``
  /// refuses it otherwise, before any formulation is built); without one it discounts at 0.
  public init(
    _ scenario: ValidScenario, previous: PreviousAllocations? = nil, objective: SolveObjective = .ebit
  ) {
    self.scenario = scenario
    self.objective = objective
    discounting =
      objective == .npv ? Discounting(rate: scenario.discountRate ?? 0, years: scenario.years) : nil
    model.name = scenario.asWritten.id.utf8.count <= 255 ? scenario.asWritten.id : "capplan"
    model.objectiveName = objective.rawValue
    model.sense = .maximize
    reserveCapacity()
    addAllocations()
    addInstalls()
    addExpansions()
    addHardwareAndPowerRows()
    addSupplyRows()
    addDemandAndCommitmentRows()
    addPolicyRows()
    addTiers()
    if discounting != nil { addDiscountedObjective() } else { addOperatingObjective() }
    if let previous, let cost = scenario.moveCost, cost > 0 { addMoveCost(previous, cost: cost) }
  }

  @discardableResult
  mutating func column(
    _ key: VariableKey, kind: VariableKind = .continuous, lower: Double = 0, upper: Double = .infinity
  )
    -> Variable
  {
    let v = model.addVariable(scenario.columnName(key), kind: kind, lower: lower, upper: upper)
    variableKeys.append(key)
    variables[key] = v
    return v
  }

  @discardableResult
  mutating func row(_ key: ConstraintKey, _ e: LinearExpression, lower: Double, upper: Double) -> Constraint {
    let c = model.addConstraint(e, lower: lower, upper: upper, name: scenario.rowName(key))
    constraintKeys.append(key)
    constraints[key] = c
    return c
  }

  func addObjective(_ v: Variable, _ coefficient: Double, into model: inout Model) {
    model.setObjectiveCoefficient(v, model.objectiveCoefficients[v.index] + coefficient)
  }

  var periodCount: Int { scenario.periods.count }

  /// Sizes the column and row storage (and the key dictionaries) for the allocation, install,
  /// hardware and power columns and rows, most of a large model: growing a dictionary of a
  /// few hundred thousand keys rehashes it again and again.
  mutating func reserveCapacity() {
    let sc = scenario
    var columns = sc.sites.count * sc.hardware.count * periodCount + sc.expansions.count * periodCount
    for offering in sc.offerings {
      for serving in offering.servedBy {
        columns += offering.sites.count * max(0, periodCount - serving.firstPeriod)
      }
    }
    let rows =
      sc.sites.count * (sc.hardware.count + 1) * periodCount
      + (sc.hardware.count + 4 * sc.offerings.count + sc.policies.count) * periodCount
    model.reserveCapacity(variables: columns, constraints: rows, nonzeros: 0)
    variableKeys.reserveCapacity(columns)
    variables.reserveCapacity(columns)
    constraintKeys.reserveCapacity(rows)
    constraints.reserveCapacity(rows)
  }

  // MARK: columns

  mutating func addAllocations() {
    let sc = scenario
    allocationsByOffering = Array(
      repeating: Array(repeating: [], count: periodCount), count: sc.offerings.count)
    allocationsAt = Array(
      repeating: Array(repeating: Array(repeating: [], count: periodCount), count: sc.hardware.count),
      count: sc.sites.count)
    for t in 0..<periodCount {
      for (o, offering) in sc.offerings.enumerated() {
        for s in offering.sites {
          for serving in offering.servedBy where t >= serving.firstPeriod {
            let v = column(.allocation(offering: o, hardware: serving.hardware, site: s, period: t))
            allocationsByOffering[o][t].append((serving.hardware, s, v))
            allocationsAt[s][serving.hardware][t].append((o, v))
          }
        }
      }
    }
  }

  /// Whether hardware h can be put to use at site s at all: some offering may
  /// run on it there, or it is the companion of hardware that may.
  func hardwareUsable(site s: Int, hardware h: Int) -> Bool {
    if allocationsAt[s][h].contains(where: { !$0.isEmpty }) { return true }
    return scenario.companions(requiring: h).contains { rule in
      allocationsAt[s][rule.hardware].contains { !$0.isEmpty }
    }
  }

  /// The column of new[s,h,t] and the MW per unit of it (the block size, or 1).
  func installColumn(site s: Int, hardware h: Int, period t: Int) -> (Variable, Double)? {
    installs[s][h][t]
  }

  mutating func addInstalls() {
    installs = Array(
      repeating: Array(repeating: Array(repeating: nil, count: periodCount), count: scenario.hardware.count),
      count: scenario.sites.count)
    for (h, hw) in scenario.hardware.enumerated() {
      for s in scenario.sites.indices where hardwareUsable(site: s, hardware: h) {
        for t in 0..<periodCount {
          // Periods without supply get no column: new[s,h,t] = 0 there. Columns for
          // periods with supply carry the supply row's marginal value.
          guard hw.supplyMW[t] > 0 else { continue }
          if hw.installBlockMW > 0 {
            let v = column(
              .installBlocks(site: s, hardware: h, period: t), kind: .integer,
              upper: (hw.supplyMW[t] / hw.installBlockMW + 1e-9).rounded(.down))
            installs[s][h][t] = (v, hw.installBlockMW)
          } else {
            // No upper bound: the supply row alone limits it, so the row (not a
            // column bound that says the same) carries the supply's marginal value.
            let v = column(.install(site: s, hardware: h, period: t))
            installs[s][h][t] = (v, 1)
          }
        }
      }
    }
  }

  mutating func addExpansions() {
    for (e, expansion) in scenario.expansions.enumerated() {
      var previous: Variable?
      for t in expansion.earliestPeriod..<periodCount {
        let built = column(.built(expansion: e, period: t), kind: .binary)
        if let previous {
          row(.expansionStaysBuilt(expansion: e, period: t), built - previous, lower: 0, upper: .infinity)
        }
        previous = built
      }
    }
  }

  // MARK: rows

  /// Constraints 1 and 2: hardware in use (with companions) within capacity,
  /// and capacity within the site's power.
  mutating func addHardwareAndPowerRows() {
    let sc = scenario
    for (s, site) in sc.sites.enumerated() {
      for t in 0..<periodCount {
        var power = LinearExpression()
        var installedFacilityMW = 0.0
        for h in sc.hardware.indices {
          var cumulativeNew = LinearExpression()
          for tau in 0...t {
            if let (v, mw) = installColumn(site: s, hardware: h, period: tau) { cumulativeNew.add(mw, v) }
          }
          power.add(cumulativeNew, times: site.pue)
          installedFacilityMW += site.pue * site.installedMW[h]
          var use = LinearExpression()
          for (_, v) in allocationsAt[s][h][t] { use.add(1, v) }
          for rule in sc.companions(requiring: h) {
            for (_, v) in allocationsAt[s][rule.hardware][t] { use.add(rule.mwPerMW, v) }
          }
          guard !use.terms.isEmpty else { continue }
          row(
            .hardware(site: s, hardware: h, period: t), use - cumulativeNew, lower: -.infinity,
            upper: site.installedMW[h])
        }
        for e in site.expansions {
          if let built = variables[.built(expansion: e, period: t)] {
            power.add(-sc.expansions[e].powerMW, built)
          }
        }
        // Kept even when nothing can change it: power below what is installed
        // is infeasible, and the diagnosis must be able to name this row.
        row(
          .power(site: s, period: t), power, lower: -.infinity, upper: site.powerMW[t] - installedFacilityMW)
      }
    }
  }

  /// Constraint 3: fleet-wide new installs within supply.
  mutating func addSupplyRows() {
    for (h, hw) in scenario.hardware.enumerated() {
      for t in 0..<periodCount {
        var e = LinearExpression()
        for s in scenario.sites.indices {
          if let (v, mw) = installColumn(site: s, hardware: h, period: t) { e.add(mw, v) }
        }
        guard !e.terms.isEmpty else { continue }
        row(.supply(hardware: h, period: t), e, lower: -.infinity, upper: hw.supplyMW[t])
      }
    }
  }

  func grossRevenue(offering o: Int, period t: Int) -> LinearExpression {
    var e = LinearExpression()
    for (h, _, v) in allocationsByOffering[o][t] {
      if let g = scenario.offerings[o].serving(hardware: h)?.grossRevenuePerMWYear, g != 0 { e.add(g, v) }
    }
    return e
  }

  func allocatedMW(offering o: Int, period t: Int) -> LinearExpression {
    allocationsByOffering[o][t].map(\.v).linearSum()
  }

  /// Constraints 4 and 5.
  mutating func addDemandAndCommitmentRows() {
    for (o, offering) in scenario.offerings.enumerated() {
      for t in 0..<periodCount {
        if let cap = offering.demandGrossRevenuePerYear?[t] {
          row(
            .demandGrossRevenue(offering: o, period: t), grossRevenue(offering: o, period: t),
            lower: -.infinity, upper: cap)
        }
        if let cap = offering.demandMW?[t] {
          row(
            .demandMW(offering: o, period: t), allocatedMW(offering: o, period: t), lower: -.infinity,
            upper: cap)
        }
        if let floor = offering.committedMW?[t], floor > 0 {
          row(
            .committed(offering: o, period: t), allocatedMW(offering: o, period: t), lower: floor,
            upper: .infinity)
        }
        if let floor = offering.requiredMW?[t], floor > 0 {
          row(
            .required(offering: o, period: t), allocatedMW(offering: o, period: t), lower: floor,
            upper: .infinity)
        }
      }
    }
  }

  /// Constraint 6: share of the group's MW (or gross revenue) on the policy's hardware.
  mutating func addPolicyRows() {
    for (p, policy) in scenario.policies.enumerated() {
      let covered = Set(policy.hardware)
      for t in 0..<periodCount {
        var e = LinearExpression()
        for o in policy.offerings {
          for (h, _, v) in allocationsByOffering[o][t] {
            let m: Double
            switch policy.measure {
            case .mw: m = 1
            case .grossRevenue: m = scenario.offerings[o].serving(hardware: h)?.grossRevenuePerMWYear ?? 0
            }
            // sum_{H_p} m - share * sum_all m = (1 - share) m on H_p, -share m elsewhere.
            let c = covered.contains(h) ? (1 - policy.share) * m : -policy.share * m
            if c != 0 { e.add(c, v) }
          }
        }
        guard !e.terms.isEmpty else { continue }
        switch policy.kind {
        case .minShare: row(.policy(policy: p, period: t), e, lower: 0, upper: .infinity)
        case .maxShare: row(.policy(policy: p, period: t), e, lower: -.infinity, upper: 0)
        }
      }
    }
  }

  /// What one MW of `offering` on hardware `h` earns a year before capex: its unit revenue less
  /// the hardware's opex and that of the companion MW it needs.
  func operatingMarginPerMWYear(_ offering: ValidScenario.Offering, hardware h: Int) -> Double {
    var perMWYear =
      (offering.serving(hardware: h)?.unitRevenuePerMWYear ?? 0) - scenario.hardware[h].opexPerMWYear
    for rule in scenario.companions where rule.hardware == h {
      perMWYear -= rule.mwPerMW * scenario.hardware[rule.requires].opexPerMWYear
    }
    return perMWYear
  }

  /// EBIT without tier revenue and move costs: unit revenue less opex (with
  /// companions' opex), depreciation of all installed MW, fixed expansion costs.
  mutating func addOperatingObjective() {
    let sc = scenario
    var constant = 0.0
    for t in 0..<periodCount {
      let years = sc.periods[t].years
      for (o, offering) in sc.offerings.enumerated() {
        for (h, _, v) in allocationsByOffering[o][t] {
          addObjective(v, years * operatingMarginPerMWYear(offering, hardware: h), into: &model)
        }
      }
      for (s, site) in sc.sites.enumerated() {
        for (h, hw) in sc.hardware.enumerated() {
          let dep = hw.depreciationPerMWYear
          guard dep != 0 else { continue }
          constant -= years * dep * site.installedMW[h]
          // new[s,h,tau] is depreciated in every period from tau on.
          for tau in 0...t {
            if let (v, mw) = installColumn(site: s, hardware: h, period: tau) {
              addObjective(v, -years * dep * mw, into: &model)
            }
          }
        }
      }
      for (e, expansion) in sc.expansions.enumerated() where expansion.costPerYear != 0 {
        if let built = variables[.built(expansion: e, period: t)] {
          addObjective(built, -years * expansion.costPerYear, into: &model)
        }
      }
    }
    model.objectiveConstant += constant
  }
}
