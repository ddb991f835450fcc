import Foundation

/// What differs between the optimum and its near-optimal alternatives, in a planner's units:
/// EBIT, new MW by hardware, expansions and when they are built, and how far each plan's
/// decisions are from the optimum's. Decisions every plan shares are the forced ones.
public struct AlternativesComparison: Sendable {
  public struct Column: Sendable {
    public var ebit: Double?
    /// (EBIT - optimum's EBIT) / |optimum's EBIT|.
    public var ebitChange: Double?
    /// New MW over the horizon, by hardware id.
    public var newMW: [String: Double]
    /// Expansion id -> the first period it stands in.
    public var expansions: [String: String]
    /// Sum over (site, hardware, period) of |new MW - the optimum's new MW|.
    public var installMWFromOptimum: Double
    /// Expansions built in another period than the optimum's, or only in one of the two.
    public var expansionsFromOptimum: Int
  }

  public var columns: [Column]
  /// Hardware ids with new MW in some plan, in the order first seen.
  public var hardware: [String]
  /// Expansion ids built in some plan, in the order first seen.
  public var expansionIDs: [String]
  /// New MW every plan installs, by hardware (the smallest across plans, where above 0).
  public var forcedNewMW: [String: Double]
  /// Expansions every plan builds.
  public var forcedExpansions: [String]

  public init(_ plans: [Plan]) {
    func installs(_ p: Plan) -> [String: Double] {
      p.installs.reduce(into: [:]) {
        $0["\($1.site)\u{1F}\($1.hardware)\u{1F}\($1.period)", default: 0] += $1.mw
      }
    }
    let optimum = plans.first
    let optimumInstalls = optimum.map(installs) ?? [:]
    let optimumExpansions = Dictionary(
      (optimum?.expansions ?? []).map { ($0.id, $0.period) }, uniquingKeysWith: { a, _ in a })
    let optimumEBIT = optimum?.totals?.ebit
    hardware = plans.flatMap { $0.installs.filter { $0.mw > 1e-9 }.map(\.hardware) }.uniqued()
    expansionIDs = plans.flatMap { $0.expansions.map(\.id) }.uniqued()
    columns = plans.map { p in
      let mine = installs(p)
      let keys = Set(mine.keys).union(optimumInstalls.keys)
      let moved = keys.reduce(0.0) { $0 + abs((mine[$1] ?? 0) - (optimumInstalls[$1] ?? 0)) }
      let built = Dictionary(p.expansions.map { ($0.id, $0.period) }, uniquingKeysWith: { a, _ in a })
      let differing = Set(built.keys).union(optimumExpansions.keys).filter {
        built[$0] != optimumExpansions[$0]
      }
      let ebit = p.totals?.ebit
      var change: Double?
      if let ebit, let optimumEBIT, optimumEBIT != 0 { change = (ebit - optimumEBIT) / abs(optimumEBIT) }
      return Column(
        ebit: ebit, ebitChange: change,
        newMW: p.installs.reduce(into: [:]) { $0[$1.hardware, default: 0] += $1.mw }, expansions: built,
        installMWFromOptimum: moved, expansionsFromOptimum: differing.count)
    }
    var forced: [String: Double] = [:]
    for h in hardware {
      let least = columns.map { $0.newMW[h] ?? 0 }.min() ?? 0
      if least > 1e-9 { forced[h] = least }
    }
    forcedNewMW = forced
    let built = columns.map(\.expansions)
    forcedExpansions = expansionIDs.filter { id in built.allSatisfy { $0[id] != nil } }
  }
}
