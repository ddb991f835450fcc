/// A limit the plan runs into: the constraints that decide it.
public struct BindingConstraint: Codable, Sendable, Equatable {
  /// power, supply, demand_gross_revenue, demand_mw, committed_mw or required_mw.
  public var kind: ConstraintKey.Kind
  /// The site (power), hardware (supply) or offering (demand, commitments).
  public var subject: String
  public var period: String
  /// Where the plan stands and the limit it meets, in `unit`; nil where the plan cannot tell.
  public var level: Double?
  public var limit: Double?
  public var unit: String
  /// The marginal value of the limit (nil where the plan records none), in `valueUnit`.
  public var value: Double?
  public var valueUnit: String?

  enum CodingKeys: String, CodingKey {
    case kind, subject, period, level, limit, unit, value, valueUnit = "value_unit"
  }

  /// The constraint in a planner's words: "power at indiana", "supply of trainium3".
  public var what: String { kind.describe(subject) }
}

/// Derives the binding constraints of a plan: power rows at their limit, supply
/// and demand rows the solver marked binding, and (given the scenario the plan
/// was solved from) commitments met exactly. Listed kind by kind, each subject
/// in the plan's order, periods in order.
public enum PlanBindings {
  public static let powerValueUnit = "$M per facility MW-year"
  public static let supplyValueUnit = "$M per MW"
  public static let grossDemandValueUnit = "$ EBIT per $ gross revenue per year"
  public static let mwDemandValueUnit = "$M per MW-year"

  /// The unit of a marginal value of `kind`; "" for kinds that record none.
  public static func valueUnit(of kind: ConstraintKey.Kind) -> String {
    switch kind {
    case .power: return powerValueUnit
    case .supply: return supplyValueUnit
    case .demandGrossRevenue: return grossDemandValueUnit
    case .demandMW: return mwDemandValueUnit
    default: return ""
    }
  }

  static func near(_ level: Double, _ limit: Double) -> Bool {
    abs(level - limit) <= 1e-6 * max(1, abs(limit))
  }

  public static func derive(_ plan: Plan, scenario: ValidScenario? = nil) -> [BindingConstraint] {
    let list = collect(plan, scenario: scenario)
    let kinds: [ConstraintKey.Kind] = [
      .power, .supply, .demandGrossRevenue, .demandMW, .committed, .required,
    ]
    var subjectOrder: [String: Int] = [:]
    let subjects =
      plan.marginals.power.map(\.site) + (plan.marginals.supply + plan.marginals.demand).map(\.subject)
    for s in subjects + list.map(\.subject) where subjectOrder[s] == nil {
      subjectOrder[s] = subjectOrder.count
    }
    var periodOrder: [String: Int] = [:]
    for p in plan.periods where periodOrder[p.id] == nil { periodOrder[p.id] = periodOrder.count }
    func rank(_ b: BindingConstraint) -> (Int, Int, Int) {
      (
        kinds.firstIndex(of: b.kind) ?? kinds.count, subjectOrder[b.subject] ?? 0,
        periodOrder[b.period] ?? Int.max
      )
    }
    return list.enumerated().sorted { l, r in
      let a = rank(l.element)
      let b = rank(r.element)
      return a != b ? a < b : l.offset < r.offset
    }.map(\.element)
  }

  static func collect(_ plan: Plan, scenario: ValidScenario?) -> [BindingConstraint] {
    guard plan.status.hasSolution else { return [] }
    let periodIDs = plan.periods.map(\.id)
    // MW by (offering, period) and installs by (hardware, period), in one pass each.
    var offeringMW: [String: [String: Double]] = [:]
    for a in plan.allocations { offeringMW[a.offering, default: [:]][a.period, default: 0] += a.mw }
    var installed: [String: [String: Double]] = [:]
    for i in plan.installs { installed[i.hardware, default: [:]][i.period, default: 0] += i.mw }
    let labGross = Dictionary(
      plan.lab.map { ("\($0.offering)\u{0}\($0.period)", $0.grossRevenue) }, uniquingKeysWith: { a, _ in a })
    let periodIndex = scenario.map { sc in
      Dictionary(periodIDs.map { ($0, sc.periodIndex($0)) }, uniquingKeysWith: { a, _ in a })
    }

    // The lab's gross revenue rate by offering and period, from the scenario's figures per MW.
    var scenarioGross: [String: Double]?
    if let sc = scenario {
      var gross: [String: Double] = [:]
      for a in plan.allocations {
        guard let o = sc.offeringIndex(a.offering), let h = sc.hardwareIndex(a.hardware),
          let rate = sc.offerings[o].serving(hardware: h)?.grossRevenuePerMWYear
        else { continue }
        gross["\(a.offering)\u{0}\(a.period)", default: 0] += rate * a.mw
      }
      scenarioGross = gross
    }

    var out: [BindingConstraint] = []
    for p in plan.marginals.power where p.isAtLimit {
      out.append(
        BindingConstraint(
          kind: .power, subject: p.site, period: p.period, level: p.usedMW, limit: p.limitMW,
          unit: "facility MW",
          value: p.value, valueUnit: powerValueUnit))
    }
    for m in plan.marginals.supply where m.binding {
      var limit: Double?
      if let sc = scenario, let h = sc.hardwareIndex(m.subject), let t = periodIndex?[m.period] ?? nil {
        limit = sc.hardware[h].supplyMW[t]
      }
      out.append(
        BindingConstraint(
          kind: .supply, subject: m.subject, period: m.period, level: installed[m.subject]?[m.period] ?? 0,
          limit: limit, unit: "IT MW installed", value: m.value, valueUnit: supplyValueUnit))
    }
    for m in plan.marginals.demand where m.binding {
      var level: Double?
      var limit: Double?
      let offering = scenario.flatMap { sc in sc.offeringIndex(m.subject).map { sc.offerings[$0] } }
      let t = periodIndex?[m.period] ?? nil
      if m.kind == .demandMW {
        level = offeringMW[m.subject]?[m.period] ?? 0
        if let offering, let t { limit = offering.demandMW?[t] }
      } else {
        if offering != nil, let gross = scenarioGross {
          level = gross["\(m.subject)\u{0}\(m.period)"] ?? 0
        } else {
          level = labGross["\(m.subject)\u{0}\(m.period)"]
        }
        if let offering, let t { limit = offering.demandGrossRevenuePerYear?[t] }
      }
      out.append(
        BindingConstraint(
          kind: m.kind, subject: m.subject, period: m.period, level: level, limit: limit,
          unit: m.kind == .demandMW ? "IT MW" : "$M gross revenue per year", value: m.value,
          valueUnit: m.kind == .demandMW ? mwDemandValueUnit : grossDemandValueUnit))
    }
    guard let sc = scenario else { return out }

    // Commitments met exactly.
    for offering in sc.offerings {
      for (kind, series) in [
        (ConstraintKey.Kind.committed, offering.committedMW), (.required, offering.requiredMW),
      ] {
        guard let series else { continue }
        for period in periodIDs {
          guard let t = sc.periodIndex(period), series[t] > 0 else { continue }
          let mw = offeringMW[offering.id]?[period] ?? 0
          if near(mw, series[t]) {
            out.append(
              BindingConstraint(
                kind: kind, subject: offering.id, period: period, level: mw, limit: series[t], unit: "IT MW",
                value: nil, valueUnit: nil))
          }
        }
      }
    }
    return out
  }
}
