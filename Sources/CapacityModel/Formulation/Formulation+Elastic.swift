import LinearProgramming

/// The elastic version of a formulation: every soft limit (committed_mw, required_mw, policy
/// shares, site power, supply) gets a slack column that lets it give, so the model always has a
/// solution. It is solved twice: first for the least total slack, then for the most EBIT with the
/// slack held at that least total. The slack columns are added after the formulation's own
/// columns and rows, which keep their indices, so a solution explains as a plan of the base
/// formulation.
public struct ElasticFormulation: Sendable {
  public struct Slack: Sendable {
    public var row: ConstraintKey
    public var column: Variable
  }
  /// The base formulation with the slack columns added to its model.
  public private(set) var formulation: Formulation
  public private(set) var slacks: [Slack] = []
  /// The base model's EBIT objective, kept for the second solve.
  let objective: [Double]
  let objectiveConstant: Double

  public init(_ base: Formulation) {
    formulation = base
    objective = base.model.objectiveCoefficients
    objectiveConstant = base.model.objectiveConstant
    let old = base.model
    // The model is copied row by row with the slack terms added (setting coefficients one by
    // one would move the whole row storage per slack).
    var m = Model(name: old.name)
    m.reserveCapacity(
      variables: old.variableCount + old.constraintCount, constraints: old.constraintCount + 1,
      nonzeros: old.nonzeroCount + old.constraintCount)
    for v in old.variables {
      let copy = m.addVariable(
        old.name(of: v), kind: old.variableKinds[v.index], lower: old.variableLower[v.index],
        upper: old.variableUpper[v.index])
      m.setObjectiveCoefficient(copy, old.objectiveCoefficients[v.index])
    }
    m.sense = old.sense
    m.objectiveConstant = old.objectiveConstant
    m.objectiveName = old.objectiveName
    var slackOf: [Int: (Variable, Double)] = [:]
    for (i, key) in base.constraintKeys.enumerated() {
      let direction: Double
      switch key {
      case .committed, .required: direction = 1
      case .power, .supply: direction = -1
      case .policy(let p, _): direction = base.scenario.policies[p].kind == .minShare ? 1 : -1
      default: continue
      }
      let name = old.name(of: Constraint(index: i))
      let v = m.addVariable(name.isEmpty ? "" : String("slack_\(name)".prefix(255)))
      slackOf[i] = (v, direction)
      slacks.append(Slack(row: key, column: v))
    }
    for c in old.constraints {
      var terms = old.terms(of: c)
      if let (v, direction) = slackOf[c.index] { terms.append(Term(v, direction)) }
      m.addConstraint(
        LinearExpression(terms: terms), lower: old.constraintLower[c.index],
        upper: old.constraintUpper[c.index],
        name: old.name(of: c))
    }
    formulation.model = m
  }

  /// Slack per MW: a gross-revenue policy row's slack is in $M of gross revenue rate, so it is
  /// weighed by the least gross per MW of the policy's offerings (about one MW's worth).
  func weight(_ s: Slack) -> Double {
    guard case .policy(let p, _) = s.row else { return 1 }
    let sc = formulation.scenario
    let policy = sc.policies[p]
    guard policy.measure == .grossRevenue else { return 1 }
    let gross = policy.offerings.flatMap { sc.offerings[$0].servedBy.compactMap(\.grossRevenuePerMWYear) }
      .filter { $0 > 0 }
    return 1 / (gross.min() ?? 1)
  }

  /// The first solve's model: the least total (weighted) slack.
  public var shortfallModel: Model {
    var m = formulation.model
    var e = LinearExpression()
    for s in slacks { e.add(weight(s), s.column) }
    m.setObjective(.minimize, e)
    m.objectiveConstant = 0
    return m
  }

  /// The second solve's model: EBIT, with the total slack at most `least` (and float noise: a
  /// looser bound lets EBIT buy slack from one limit for another by the bound's width).
  public func ebitModel(leastShortfall least: Double) -> Model {
    var m = formulation.model
    var e = LinearExpression()
    for s in slacks { e.add(weight(s), s.column) }
    _ = m.addConstraint(e, lower: -.infinity, upper: least + 1e-9 * max(1, least), name: "least_shortfall")
    m.sense = .maximize
    for (j, c) in objective.enumerated() { m.setObjectiveCoefficient(Variable(index: j), c) }
    m.objectiveConstant = objectiveConstant
    return m
  }
}
