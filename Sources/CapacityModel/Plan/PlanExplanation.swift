import LinearProgramming

/// Turns a solution of a `Formulation` into a `Plan`: every figure is
/// recomputed from the MW values, so EBIT never includes the move cost and
/// rounding noise of the solver stays out of the report.
struct PlanExplanation {
  let f: Formulation
  let solution: Solution
  var sc: ValidScenario { f.scenario }

  /// A solver value with float noise below a millionth of a MW dropped.
  func value(_ key: VariableKey) -> Double {
    guard let v = f.variables[key], v.index < solution.values.count else { return 0 }
    let x = solution.values[v.index]
    return abs(x) < 1e-7 ? 0 : x
  }

  func installedMW(site s: Int, hardware h: Int, period t: Int) -> Double {
    var mw = sc.sites[s].installedMW[h]
    for tau in 0...t {
      if f.variables[.install(site: s, hardware: h, period: tau)] != nil {
        mw += value(.install(site: s, hardware: h, period: tau))
      } else if f.variables[.installBlocks(site: s, hardware: h, period: tau)] != nil {
        mw +=
          value(.installBlocks(site: s, hardware: h, period: tau)).rounded() * sc.hardware[h].installBlockMW
      }
    }
    return mw
  }

  func newMW(site s: Int, hardware h: Int, period t: Int) -> Double {
    if f.variables[.installBlocks(site: s, hardware: h, period: t)] != nil {
      return value(.installBlocks(site: s, hardware: h, period: t)).rounded() * sc.hardware[h].installBlockMW
    }
    return value(.install(site: s, hardware: h, period: t))
  }

  func isBuilt(_ e: Int, _ t: Int) -> Bool { value(.built(expansion: e, period: t)) > 0.5 }

  /// The platform's tier revenue on gross revenue rate G: bands fill in order.
  static func tierRevenue(_ tiers: [Tier], gross: Double) -> Double {
    var lower = 0.0
    var revenue = 0.0
    for tier in tiers {
      let upper = tier.upTo ?? .infinity
      revenue += tier.share * max(0, min(gross, upper) - lower)
      lower = upper
      if gross <= lower { break }
    }
    return revenue
  }

  func explain(status: PlanStatus, method: LPMethod) -> Plan {
    var plan = Plan(
      scenario: sc.asWritten.id, status: status, message: nil, objective: solution.objectiveValue,
      totals: nil, periods: [], allocations: [], installs: [], expansions: [], lab: [],
      marginals: Plan.Marginals(),
      stability: nil, infeasibility: nil, solver: record(method: method))
    plan.solvedFor = f.objective
    guard status.hasSolution else { return plan }
    var totals = Plan.Totals(
      revenue: 0, opex: 0, depreciation: 0, fixed: 0, ebit: 0, ebitMargin: nil, revenueByUse: [:],
      revenueByOffering: [:])
    var ledger = EconomicsLedger(sc)
    for (t, period) in sc.periods.enumerated() {
      var p = Plan.PeriodFinancials(
        id: period.id, years: period.years, revenue: 0, opex: 0, depreciation: 0, fixed: 0, ebit: 0,
        ebitMargin: nil,
        revenueByUse: [:], revenueByOffering: [:])
      for (o, offering) in sc.offerings.enumerated() {
        var revenue = 0.0
        var gross = 0.0
        ledger.beginOffering(period: t)
        for (h, s, _) in f.allocationsByOffering[o][t] {
          let mw = value(.allocation(offering: o, hardware: h, site: s, period: t))
          guard mw != 0, let serving = offering.serving(hardware: h) else { continue }
          plan.allocations.append(
            Plan.Allocation(
              offering: offering.id, hardware: sc.hardware[h].id, site: sc.sites[s].id, period: period.id,
              mw: mw))
          revenue += serving.unitRevenuePerMWYear * mw
          gross += (serving.grossRevenuePerMWYear ?? 0) * mw
          var opex = sc.hardware[h].opexPerMWYear * mw
          var depreciation = sc.hardware[h].depreciationPerMWYear * mw
          for rule in sc.companions where rule.hardware == h {
            opex += rule.mwPerMW * mw * sc.hardware[rule.requires].opexPerMWYear
            depreciation += rule.mwPerMW * mw * sc.hardware[rule.requires].depreciationPerMWYear
          }
          p.opex += opex
          ledger.add(
            EconomicsLedger.AllocationFact(
              offering: o, hardware: h, site: s, period: t, mw: mw,
              revenue: serving.unitRevenuePerMWYear * mw,
              opex: opex, depreciation: depreciation))
        }
        if let tiers = offering.tiers {
          let tierRevenue = Self.tierRevenue(tiers, gross: gross)
          revenue += tierRevenue
          ledger.addTierRevenue(tierRevenue, offering: o, gross: gross)
        }
        p.revenueByOffering[offering.id] = revenue
        p.revenueByUse[offering.use, default: 0] += revenue
        p.revenue += revenue
        if offering.pricing == .revenueShare {
          plan.lab.append(
            Plan.LabSide(
              offering: offering.id, period: period.id, grossRevenue: gross, platformRevenue: revenue,
              grossMargin: gross > 0 ? (gross - revenue) / gross : nil))
        }
      }
      for (s, site) in sc.sites.enumerated() {
        var facility = 0.0
        for (h, hw) in sc.hardware.enumerated() {
          let mw = installedMW(site: s, hardware: h, period: t)
          p.depreciation += hw.depreciationPerMWYear * mw
          facility += site.pue * mw
          ledger.addCapacity(site: s, hardware: h, period: t, installed: mw)
          let added = newMW(site: s, hardware: h, period: t)
          if added > 0 {
            plan.installs.append(Plan.Install(site: site.id, hardware: hw.id, period: period.id, mw: added))
          }
        }
        var limit = site.powerMW[t]
        for e in site.expansions where isBuilt(e, t) {
          limit += sc.expansions[e].powerMW
          p.fixed += sc.expansions[e].costPerYear
          ledger.addFixed(sc.expansions[e].costPerYear, period: t)
          if t == sc.expansions[e].earliestPeriod || !isBuilt(e, t - 1) {
            plan.expansions.append(
              Plan.ExpansionBuilt(
                id: sc.expansions[e].id, site: site.id, period: period.id, powerMW: sc.expansions[e].powerMW,
                costPerYear: sc.expansions[e].costPerYear))
          }
        }
        plan.marginals.power.append(
          Plan.SitePower(
            site: site.id, period: period.id, usedMW: facility, limitMW: limit,
            value: dual(.power(site: s, period: t)).map { $0 / period.years }))
      }
      p.ebit = p.revenue - p.opex - p.depreciation - p.fixed
      p.ebitMargin = p.revenue != 0 ? p.ebit / p.revenue : nil
      totals.revenue += period.years * p.revenue
      totals.opex += period.years * p.opex
      totals.depreciation += period.years * p.depreciation
      totals.fixed += period.years * p.fixed
      for (k, v) in p.revenueByUse { totals.revenueByUse[k, default: 0] += period.years * v }
      for (k, v) in p.revenueByOffering { totals.revenueByOffering[k, default: 0] += period.years * v }
      plan.periods.append(p)
      addSupplyAndDemandMarginals(period: t, into: &plan.marginals)
    }
    totals.ebit = totals.revenue - totals.opex - totals.depreciation - totals.fixed
    totals.ebitMargin = totals.revenue != 0 ? totals.ebit / totals.revenue : nil
    plan.totals = totals
    plan.economics = ledger.economics
    plan.cashFlows = Plan.CashFlows(plan: plan, scenario: sc)
    return plan
  }

  func dual(_ key: ConstraintKey) -> Double? {
    guard let c = f.constraints[key], let d = solution.duals?[c.index] else { return nil }
    return abs(d) < 1e-9 ? 0 : d
  }

  func binding(_ key: ConstraintKey) -> Bool {
    guard let c = f.constraints[key], c.index < solution.rowActivities.count else { return false }
    let a = solution.rowActivities[c.index]
    let lo = f.model.constraintLower[c.index]
    let up = f.model.constraintUpper[c.index]
    // An infinite bound is never reached (and |a - inf| <= 1e-6 * inf would say it is).
    func at(_ bound: Double) -> Bool { bound.isFinite && abs(a - bound) <= 1e-6 * max(1, abs(bound)) }
    return at(up) || at(lo)
  }

  func addSupplyAndDemandMarginals(period t: Int, into m: inout Plan.Marginals) {
    let period = sc.periods[t]
    for (h, hw) in sc.hardware.enumerated() where f.constraints[.supply(hardware: h, period: t)] != nil {
      let key = ConstraintKey.supply(hardware: h, period: t)
      m.supply.append(
        Plan.Marginal(
          subject: hw.id, period: period.id, kind: .supply, value: dual(key), binding: binding(key)))
    }
    for (o, offering) in sc.offerings.enumerated() {
      for key in [
        ConstraintKey.demandGrossRevenue(offering: o, period: t),
        ConstraintKey.demandMW(offering: o, period: t),
      ] where f.constraints[key] != nil {
        m.demand.append(
          Plan.Marginal(
            subject: offering.id, period: period.id, kind: key.kind,
            value: dual(key).map { $0 / period.years },
            binding: binding(key)))
      }
    }
  }

  func record(method: LPMethod) -> Plan.SolverRecord {
    let st = solution.statistics
    return Plan.SolverRecord(
      status: solution.termination.rawValue, objective: solution.objectiveValue,
      bestBound: solution.bestBound,
      gap: solution.relativeGap, rows: st.rows, columns: st.columns, nonzeros: st.nonzeros,
      integerColumns: st.integerColumns, iterations: st.iterations, nodes: st.nodes, seconds: st.seconds,
      method: solution.isMIP
        ? "branch-and-cut"
        : st.winningMethod.map { "\(method.rawValue) (won by \($0.rawValue))" } ?? method.rawValue)
  }

  /// MW moved against the previous plan in the periods it covers.
  func stabilityReport(previous: PreviousAllocations, moveCost: Double) -> Plan.StabilityReport {
    var moved = 0.0
    for key in f.variableKeys {
      switch key {
      case .moveUp, .moveDown: moved += value(key)
      default: break
      }
    }
    let covered = previous.periods.filter { sc.periodIndex($0) != nil }
    return Plan.StabilityReport(
      previousPeriods: covered, mwMoved: moved, moveCost: moved * moveCost, unmatchedMW: f.unmatchedPreviousMW
    )
  }
}
