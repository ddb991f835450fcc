import LinearProgramming

/// Between a solution and the names-keyed `Plan.WarmStart`.
enum WarmStartMapping {
  static func record(_ solution: Solution, model: Model) -> Plan.WarmStart {
    var warm = Plan.WarmStart()
    if let basis = solution.basis {
      for (j, status) in basis.columns.enumerated() {
        let name = model.variableNames[j]
        guard !name.isEmpty else { continue }
        if status == .basic { warm.basicColumns.append(name) }
        if status == .atUpper { warm.columnsAtUpper.append(name) }
      }
      for (i, status) in basis.rows.enumerated() where status != .basic {
        let name = model.constraintNames[i]
        guard !name.isEmpty else { continue }
        warm.activeRows[name] = status.label
      }
    }
    if solution.isMIP {
      for (j, v) in solution.values.enumerated() where v != 0 && !model.variableNames[j].isEmpty {
        warm.values[model.variableNames[j]] = v
      }
    }
    return warm
  }

  /// The start's move columns measured against this solve's previous plan (the
  /// stored ones were measured against the plan before): up = max(0, x - prev),
  /// down = max(0, prev - x), so a start that is otherwise feasible stays so.
  static func recomputingMoves(_ start: [Double], in f: Formulation) -> [Double] {
    var x = start
    for (j, key) in f.variableKeys.enumerated() {
      guard case .moveUp(let o, let h, let s, let t) = key,
        let allocation = f.variables[.allocation(offering: o, hardware: h, site: s, period: t)],
        let down = f.variables[.moveDown(offering: o, hardware: h, site: s, period: t)],
        let row = f.constraints[.move(offering: o, hardware: h, site: s, period: t)]
      else { continue }
      let previous = f.model.constraintLower[row.index]
      x[j] = max(0, x[allocation.index] - previous)
      x[down.index] = max(0, previous - x[allocation.index])
    }
    return x
  }

  /// How a solve with `warm` started, for the solver record.
  static func label(_ warm: Plan.WarmStart?, model: Model, solution: Solution) -> String {
    guard let warm else { return "cold" }
    if model.isMIP {
      guard !warm.values.isEmpty else { return "cold" }
      return solution.initialSolutionAccepted == false ? "solution refused" : "solution"
    }
    return warm.basicColumns.isEmpty && warm.activeRows.isEmpty ? "cold" : "basis"
  }

  /// Sets the warm start on `options` for `model`; returns how the solve starts.
  @discardableResult
  static func apply(_ warm: Plan.WarmStart, to model: Model, options: inout SolveOptions) -> String {
    var columnIndex: [String: Int] = [:]
    columnIndex.reserveCapacity(model.variableCount)
    for (j, name) in model.variableNames.enumerated() where !name.isEmpty { columnIndex[name] = j }
    if model.isMIP {
      guard !warm.values.isEmpty else { return "cold" }
      var x = [Double](repeating: 0, count: model.variableCount)
      for (name, v) in warm.values { if let j = columnIndex[name] { x[j] = v } }
      options.initialSolution = x
      return "solution"
    }
    guard !warm.basicColumns.isEmpty || !warm.activeRows.isEmpty else { return "cold" }
    var columns = [BasisStatus](repeating: .atLower, count: model.variableCount)
    for name in warm.basicColumns { if let j = columnIndex[name] { columns[j] = .basic } }
    for name in warm.columnsAtUpper { if let j = columnIndex[name] { columns[j] = .atUpper } }
    var rows = [BasisStatus](repeating: .basic, count: model.constraintCount)
    for (i, name) in model.constraintNames.enumerated() where !name.isEmpty {
      if let label = warm.activeRows[name] { rows[i] = BasisStatus(label: label) }
    }
    // GLPK checks the basis; one that no longer fits is replaced by a fresh one.
    options.warmStartBasis = Basis(rows: rows, columns: columns)
    return "basis"
  }
}

extension BasisStatus {
  var label: String {
    switch self {
    case .basic: return "basic"
    case .atLower: return "lower"
    case .atUpper: return "upper"
    case .free: return "free"
    case .fixed: return "fixed"
    }
  }

  init(label: String) {
    switch label {
    case "basic": self = .basic
    case "upper": self = .atUpper
    case "free": self = .free
    case "fixed": self = .fixed
    default: self = .atLower
    }
  }
}
