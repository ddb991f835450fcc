import LinearProgramming

/// What the rounding heuristic and the MIP solve beside it need of a capacity MIP: its model, the
/// integer columns the roundings decide (install blocks and expansions, with their site, hardware
/// and quarter) and the power rows the `fitted` rounding reads.
///
/// A deterministic ``Formulation`` gives its own model. A model over demand cases
/// (``StochasticFormulation``) gives its joint model: the columns rounded are the first stage,
/// one column each for every case, and the power rows hold first-stage columns only, so they too
/// are kept once. Rounding the joint relaxation's installs and re-solving every case's allocations
/// with them fixed is then the same heuristic as for one case.
struct RoundingTarget: Sendable {
  let model: Model
  /// The sites, hardware, expansions and supply the roundings read: the same in every case
  /// (cases change demand and prices only).
  let scenario: ValidScenario
  let periodCount: Int
  let decisions: [RoundingHeuristic.Decision]
  /// `powerRows[s][t]`: the model row of site s's power limit in quarter t, if it has one.
  let powerRows: [[Int?]]
  /// `builtColumns[e][t]`: the model column of expansion e built by quarter t, if it can be.
  let builtColumns: [[Int?]]
  /// How many demand cases the model holds (1: a deterministic model).
  var caseCount = 1

  /// `f`'s columns and rows as they sit in `model`: its column j is `column(j)`, its row i `row(i)`.
  init(_ f: Formulation, model: Model, column: (Int) -> Int, row: (Int) -> Int) {
    self.model = model
    scenario = f.scenario
    periodCount = f.periodCount
    var decisions: [RoundingHeuristic.Decision] = []
    var built = Array(
      repeating: Array(repeating: Int?.none, count: f.periodCount), count: f.scenario.expansions.count)
    for (j, key) in f.variableKeys.enumerated() {
      switch key {
      case .installBlocks(let s, let h, let t):
        decisions.append(
          .init(column: column(j), period: t, isExpansion: false, expansion: -1, site: s, hardware: h))
      case .built(let e, let t):
        decisions.append(.init(column: column(j), period: t, isExpansion: true, expansion: e))
        built[e][t] = column(j)
      default: continue
      }
    }
    self.decisions = decisions
    builtColumns = built
    powerRows = f.scenario.sites.indices.map { s in
      (0..<f.periodCount).map { t in f.constraints[.power(site: s, period: t)].map { row($0.index) } }
    }
  }
}

extension Formulation {
  var roundingTarget: RoundingTarget { RoundingTarget(self, model: model, column: { $0 }, row: { $0 }) }
}

extension StochasticFormulation {
  /// The joint model, its first stage and power rows found through case 0's formulation (shared
  /// columns and rows map to the same model column or row from every case).
  var roundingTarget: RoundingTarget {
    var target = RoundingTarget(
      formulations[0], model: model, column: { columnMap[0][$0] }, row: { rowMap[0][$0] })
    target.caseCount = formulations.count
    return target
  }
}
