/// A linear or mixed-integer program, independent of any solver: it can be
/// built, inspected and validated without GLPK, and then handed to an
/// `LPSolver`. Reading and writing model files need GLPK's readers and
/// writers, so they are the GLPK module's (`Model.read(contentsOf:format:)`,
/// `write(to:format:)`).
///
/// Rows are stored compressed (row starts, column indices, coefficients), so a
/// model with a million non-zeros costs about 12 bytes per non-zero.
public struct Model: Sendable {
  public var name: String

  // Columns.
  public package(set) var variableNames: [String] = []
  public package(set) var variableLower: [Double] = []
  public package(set) var variableUpper: [Double] = []
  public package(set) var variableKinds: [VariableKind] = []

  // Rows.
  public package(set) var constraintNames: [String] = []
  public package(set) var constraintLower: [Double] = []
  public package(set) var constraintUpper: [Double] = []
  /// Row `i`'s entries are `rowStart[i] ..< rowStart[i + 1]` of the next two arrays.
  public package(set) var rowStart: [Int] = [0]
  public package(set) var entryColumn: [Int32] = []
  public package(set) var entryValue: [Double] = []

  // Objective.
  public var sense: ObjectiveSense = .minimize
  public package(set) var objectiveCoefficients: [Double] = []
  public var objectiveConstant: Double = 0
  public var objectiveName: String = "obj"

  public init(name: String = "model") { self.name = name }

  public var variableCount: Int { variableKinds.count }
  public var constraintCount: Int { constraintLower.count }
  public var nonzeroCount: Int { entryValue.count }
  public var integerCount: Int { variableKinds.lazy.filter { $0 != .continuous }.count }
  public var isMIP: Bool { variableKinds.contains { $0 != .continuous } }
  public var variables: [Variable] { (0..<variableCount).map(Variable.init(index:)) }
  public var constraints: [Constraint] { (0..<constraintCount).map(Constraint.init(index:)) }

  /// Sizes the storage up front when the model's size is known, so building a
  /// large model does not grow (and copy) its arrays as it goes.
  public mutating func reserveCapacity(variables: Int, constraints: Int, nonzeros: Int) {
    variableNames.reserveCapacity(variables)
    variableLower.reserveCapacity(variables)
    variableUpper.reserveCapacity(variables)
    variableKinds.reserveCapacity(variables)
    objectiveCoefficients.reserveCapacity(variables)
    constraintNames.reserveCapacity(constraints)
    constraintLower.reserveCapacity(constraints)
    constraintUpper.reserveCapacity(constraints)
    rowStart.reserveCapacity(constraints + 1)
    entryColumn.reserveCapacity(nonzeros)
    entryValue.reserveCapacity(nonzeros)
  }

  // MARK: variables

  /// Adds a column. Defaults give `0 <= x < +inf`; pass `-.infinity` for a free
  /// lower bound. A binary variable gets bounds [0, 1] whatever is passed.
  @discardableResult
  public mutating func addVariable(
    _ name: String = "", kind: VariableKind = .continuous,
    lower: Double = 0, upper: Double = .infinity
  ) -> Variable {
    let v = Variable(index: variableCount)
    variableNames.append(name)
    variableKinds.append(kind)
    if kind == .binary {
      variableLower.append(0)
      variableUpper.append(1)
    } else {
      variableLower.append(lower)
      variableUpper.append(upper)
    }
    objectiveCoefficients.append(0)
    return v
  }

  public mutating func setBounds(_ v: Variable, lower: Double, upper: Double) {
    variableLower[v.index] = lower
    variableUpper[v.index] = upper
  }

  public mutating func setKind(_ v: Variable, _ kind: VariableKind) {
    variableKinds[v.index] = kind
    if kind == .binary {
      variableLower[v.index] = max(variableLower[v.index], 0)
      variableUpper[v.index] = min(variableUpper[v.index], 1)
    }
  }

  public func name(of v: Variable) -> String {
    variableNames[v.index].isEmpty ? "x\(v.index + 1)" : variableNames[v.index]
  }

  // MARK: constraints

  /// Adds `c` as a row. Repeated variables are merged, exact zeros dropped and
  /// the expression's constant moved into the bounds.
  @discardableResult
  public mutating func addConstraint(_ c: LinearConstraint, name: String = "") -> Constraint {
    addConstraint(c.expression, lower: c.lower, upper: c.upper, name: name)
  }

  /// Adds the ranged row `lower <= expression <= upper`.
  @discardableResult
  public mutating func addConstraint(
    _ expression: LinearExpression, lower: Double, upper: Double, name: String = ""
  ) -> Constraint {
    let row = Constraint(index: constraintCount)
    appendMerged(expression.terms)
    rowStart.append(entryValue.count)
    constraintNames.append(name)
    constraintLower.append(lower - expression.constant)
    constraintUpper.append(upper - expression.constant)
    return row
  }

  /// Appends a row's entries with repeated variables summed and exact zeros
  /// dropped, straight into the compressed storage: no temporary arrays when
  /// the terms already come in variable order.
  mutating func appendMerged(_ terms: [Term]) {
    var ordered = true
    var previous = -1
    for t in terms {
      if t.variable.index <= previous {
        ordered = false
        break
      }
      previous = t.variable.index
    }
    if ordered {
      for t in terms where t.coefficient != 0 {
        entryColumn.append(Int32(truncatingIfNeeded: t.variable.index))
        entryValue.append(t.coefficient)
      }
      return
    }
    if terms.count <= 64 {
      // Short rows, the common case: insertion sort in a stack buffer.
      withUnsafeTemporaryAllocation(of: Term.self, capacity: terms.count) { buffer in
        _ = buffer.initialize(from: terms)
        for i in 1..<buffer.count {
          let t = buffer[i]
          var j = i
          while j > 0, buffer[j - 1].variable.index > t.variable.index {
            buffer[j] = buffer[j - 1]
            j -= 1
          }
          buffer[j] = t
        }
        appendSortedMerging(UnsafeBufferPointer(buffer))
      }
    } else {
      let sorted = terms.sorted { $0.variable.index < $1.variable.index }
      sorted.withUnsafeBufferPointer { appendSortedMerging($0) }
    }
  }

  private mutating func appendSortedMerging(_ sorted: UnsafeBufferPointer<Term>) {
    var k = 0
    while k < sorted.count {
      let v = sorted[k].variable.index
      var sum = sorted[k].coefficient
      k += 1
      while k < sorted.count, sorted[k].variable.index == v {
        sum += sorted[k].coefficient
        k += 1
      }
      if sum != 0 {
        entryColumn.append(Int32(truncatingIfNeeded: v))
        entryValue.append(sum)
      }
    }
  }

  public mutating func setBounds(_ c: Constraint, lower: Double, upper: Double) {
    constraintLower[c.index] = lower
    constraintUpper[c.index] = upper
  }

  public func name(of c: Constraint) -> String {
    constraintNames[c.index].isEmpty ? "r\(c.index + 1)" : constraintNames[c.index]
  }

  /// The merged terms of row `c`.
  public func terms(of c: Constraint) -> [Term] {
    (rowStart[c.index]..<rowStart[c.index + 1]).map {
      Term(Variable(index: Int(entryColumn[$0])), entryValue[$0])
    }
  }

  /// Replaces the coefficient of `v` in row `c` (0 removes it).
  public mutating func setCoefficient(_ c: Constraint, _ v: Variable, _ value: Double) {
    var terms = self.terms(of: c).filter { $0.variable != v }
    if value != 0 { terms.append(Term(v, value)) }
    let merged = LinearExpression.merge(terms)
    let start = rowStart[c.index]
    let end = rowStart[c.index + 1]
    entryColumn.replaceSubrange(
      start..<end, with: merged.map { Int32(truncatingIfNeeded: $0.variable.index) })
    entryValue.replaceSubrange(start..<end, with: merged.map(\.coefficient))
    let delta = merged.count - (end - start)
    if delta != 0 {
      for i in (c.index + 1)..<rowStart.count { rowStart[i] += delta }
    }
  }

  // MARK: objective

  /// Sets the objective; repeated variables in `expression` are summed.
  public mutating func setObjective(_ sense: ObjectiveSense, _ expression: LinearExpression) {
    self.sense = sense
    objectiveCoefficients = Array(repeating: 0, count: variableCount)
    for t in expression.terms { objectiveCoefficients[t.variable.index] += t.coefficient }
    objectiveConstant = expression.constant
  }

  public mutating func setObjectiveCoefficient(_ v: Variable, _ value: Double) {
    objectiveCoefficients[v.index] = value
  }

  /// The objective's value at `values` (indexed by variable).
  public func objectiveValue(at values: [Double]) -> Double {
    var z = objectiveConstant
    for (j, c) in objectiveCoefficients.enumerated() where c != 0 { z += c * values[j] }
    return z
  }

  /// Whether `values` meets every bound, row and integrality within `tolerance`
  /// (absolute, scaled by the size of the bound).
  public func isFeasible(_ values: [Double], tolerance: Double = 1e-6) -> Bool {
    guard values.count == variableCount else { return false }
    func within(_ v: Double, _ lo: Double, _ up: Double) -> Bool {
      v >= lo - tolerance * max(1, abs(lo)) && v <= up + tolerance * max(1, abs(up))
    }
    for j in 0..<variableCount {
      let v = values[j]
      if !v.isFinite || !within(v, variableLower[j], variableUpper[j]) { return false }
      if variableKinds[j] != .continuous, abs(v - v.rounded()) > tolerance { return false }
    }
    for (i, a) in rowActivities(at: values).enumerated()
    where !within(a, constraintLower[i], constraintUpper[i]) {
      return false
    }
    return true
  }

  /// Each row's activity `sum a_ij x_j` at `values`.
  public func rowActivities(at values: [Double]) -> [Double] {
    (0..<constraintCount).map { i in
      var s = 0.0
      for k in rowStart[i]..<rowStart[i + 1] { s += entryValue[k] * values[Int(entryColumn[k])] }
      return s
    }
  }
}
