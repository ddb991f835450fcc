import Foundation

/// How money at a point of the horizon is brought back to the horizon's start, at an annual
/// rate compounded yearly: a dollar `y` years in is worth `(1 + rate)^-y` today. One set of
/// conventions for the NPV objective and the plan's cash-flow view, so the two agree to the cent
/// (docs/formulation.md, "The NPV objective"):
/// - capex is paid at the start of the period of its install (the MW serve the whole period, as
///   EBIT assumes);
/// - revenue, opex and expansion costs flow through the period: its whole amount
///   (annual rate x years) is discounted from the period's middle;
/// - the residual value of new hardware comes back at the horizon's end.
public struct Discounting: Sendable, Equatable {
  public let rate: Double
  /// Each period's length in years, and the years from the horizon's start to its start.
  public let years: [Double]
  public let starts: [Double]
  /// The horizon's length in years.
  public let horizonYears: Double

  public init(rate: Double, years: [Double]) {
    self.rate = rate
    self.years = years
    var starts: [Double] = []
    var elapsed = 0.0
    for y in years {
      starts.append(elapsed)
      elapsed += y
    }
    self.starts = starts
    horizonYears = elapsed
  }

  public init?(_ scenario: ValidScenario) {
    guard let rate = scenario.discountRate else { return nil }
    self.init(rate: rate, years: scenario.years)
  }

  /// The present value of $1 paid `y` years after the horizon's start.
  public func factor(atYear y: Double) -> Double { pow(1 + rate, -y) }

  /// For capex paid as period `t` starts.
  public func startFactor(_ t: Int) -> Double { factor(atYear: starts[t]) }
  /// For a period's operating cash flows.
  public func middleFactor(_ t: Int) -> Double { factor(atYear: starts[t] + years[t] / 2) }
  /// For the residual value at the horizon's end.
  public var endFactor: Double { factor(atYear: horizonYears) }

  /// The share of an install's capex not yet depreciated when the horizon ends: straight line
  /// over `lifeYears` from the start of its period `t`, as EBIT depreciates it.
  public func residualShare(installedIn t: Int, lifeYears: Double) -> Double {
    guard lifeYears > 0 else { return 0 }
    return max(0, 1 - (horizonYears - starts[t]) / lifeYears)
  }
}
