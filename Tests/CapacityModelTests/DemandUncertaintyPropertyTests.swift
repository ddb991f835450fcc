import PropertyBased
import Testing

@testable import CapacityModel

/// Random small two-stage instances: what must hold whatever the numbers.
@Suite struct DemandUncertaintyPropertyTests {
  /// A scenario of two sites, two hardware kinds, two periods, a rented offering whose demand the
  /// cases scale, a token offering and an internal one, from 24 numbers in [0, 1].
  static func instance(_ r: [Double], cases: Int) -> Scenario {
    func between(_ i: Int, _ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * r[i % r.count] }
    let weights = (0..<cases).map { 0.1 + r[(12 + $0) % r.count] }
    let total = weights.reduce(0, +)
    var probabilities = weights.map { $0 / total }
    // Exactly 1 whatever the rounding.
    probabilities[cases - 1] = 1 - probabilities.dropLast().reduce(0, +)
    let demandCases = (0..<cases).map { k in
      Scenario.DemandCase(
        id: "case\(k + 1)", probability: probabilities[k],
        demandScale: IDMap([
          .init(key: "rent", value: between(16 + k, 0.2, 2)),
          .init(key: "tokens", value: between(20 + k, 0.3, 1.8)),
        ]))
    }
    return Scenario(
      id: "random", periods: [.init(id: "Y1", years: 1), .init(id: "Y2", years: 1)],
      hardware: [
        .init(
          id: "h1", opexPerMWYear: between(0, 0, 3), capexPerMW: between(1, 5, 40), lifeYears: 5,
          supplyMW: .constant(between(2, 10, 60))),
        .init(
          id: "h2", opexPerMWYear: between(3, 0, 2), capexPerMW: between(4, 10, 50), lifeYears: 4,
          supplyMW: ["Y1": 0, "Y2": between(5, 0, 40)]),
      ],
      sites: [
        .init(
          id: "s1", pue: 1.2, powerMW: .constant(between(6, 20, 80)),
          installedMW: IDMap([.init(key: "h1", value: between(7, 0, 10))])),
        .init(id: "s2", powerMW: .constant(between(8, 10, 50))),
      ],
      offerings: [
        .init(
          id: "rent", use: "iaas", pricing: .rental,
          pricePerMWYear: IDMap([
            .init(key: "h1", value: between(9, 3, 15)), .init(key: "h2", value: between(10, 5, 18)),
          ]),
          demandMW: ["Y1": between(11, 5, 30), "Y2": between(13, 5, 50)]),
        .init(
          id: "tokens", use: "bedrock", pricing: .revenueShare, revenueShare: 0.25,
          iaasFeePerMWYear: between(14, 2, 8),
          grossRevenuePerMWYear: IDMap([.init(key: "h2", value: between(15, 10, 40))]),
          demandGrossRevenuePerYear: .constant(between(19, 100, 900))),
        .init(
          id: "batch", use: "internal", pricing: .internal,
          valuePerMWYear: IDMap([.init(key: "h1", value: between(23, 1, 8))]), demandMW: .constant(10)),
      ],
      uncertainty: Scenario.Uncertainty(
        cases: demandCases, risk: Scenario.Risk(cvarAlpha: between(22, 0.5, 0.95), weight: 0)))
  }

  @Test func evpiAndVssAreNeverNegativeAndCVaRNeverExceedsTheMean() async {
    await propertyCheck(count: 50, input: Gen.double(in: 0...1).array(of: 24), Gen.int(in: 2...4)) { r, k in
      var scenario = Self.instance(r, cases: k)
      let neutral = try Planner.plan(ScenarioValidator.validate(scenario))
      #expect(neutral.status == .optimal)
      let u = try #require(neutral.uncertainty)
      let tol = 1e-6 * max(1, abs(u.expectedEbit))
      #expect(try #require(u.evpi) >= -tol, "EVPI \(u.evpi ?? .nan)")
      #expect(try #require(u.vss) >= -tol, "VSS \(u.vss ?? .nan)")
      #expect(u.cvar <= u.expectedEbit + tol)
      // The expected EBIT is what a risk-neutral plan maximizes: its objective.
      #expect(abs((neutral.objective ?? .nan) - u.expectedEbit) <= tol)
      #expect(abs((neutral.totals?.ebit ?? .nan) - u.expectedEbit) <= tol)

      // Weight 0 with a CVaR level is the expected-value plan.
      scenario.uncertainty?.risk = nil
      let plain = try Planner.plan(ScenarioValidator.validate(scenario))
      #expect(abs((plain.uncertainty?.expectedEbit ?? .nan) - u.expectedEbit) <= tol)

      // A risk weight trades expected EBIT for CVaR, never the other way round.
      scenario.uncertainty?.risk = Scenario.Risk(cvarAlpha: u.cvarAlpha, weight: 0.5)
      var options = PlanOptions()
      options.valueOfInformation = false
      let averse = try #require(
        try Planner.plan(ScenarioValidator.validate(scenario), options: options).uncertainty)
      #expect(averse.expectedEbit <= u.expectedEbit + tol)
      #expect(averse.cvar >= u.cvar - tol)
      #expect(averse.cvar <= averse.expectedEbit + tol)
    }
  }
}
