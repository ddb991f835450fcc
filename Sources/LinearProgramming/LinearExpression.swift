/// A decision variable of a `Model`: a handle, cheap to copy, meaningful only
/// for the model that created it.
public struct Variable: Hashable, Comparable, Sendable {
  public let index: Int
  public init(index: Int) { self.index = index }
  public static func < (a: Variable, b: Variable) -> Bool { a.index < b.index }
}

public enum VariableKind: String, Sendable, Codable {
  case continuous, integer, binary
}

/// One coefficient of a linear expression.
public struct Term: Sendable, Equatable {
  public var variable: Variable
  public var coefficient: Double
  public init(_ variable: Variable, _ coefficient: Double) {
    self.variable = variable
    self.coefficient = coefficient
  }
}

/// `sum(coefficient * variable) + constant`. Terms may repeat a variable;
/// they are merged when the expression becomes a constraint or objective.
///
/// The operators take their left operand as `consuming`, so a chain
/// `a + b + c + ...` appends in place and costs time linear in its length.
public struct LinearExpression: Sendable {
  public var terms: [Term]
  public var constant: Double

  public init(terms: [Term] = [], constant: Double = 0) {
    self.terms = terms
    self.constant = constant
  }
  public init(_ variable: Variable) { self.init(terms: [Term(variable, 1)]) }

  public mutating func add(_ coefficient: Double, _ variable: Variable) {
    terms.append(Term(variable, coefficient))
  }

  public mutating func add(_ other: LinearExpression, times factor: Double = 1) {
    terms.reserveCapacity(terms.count + other.terms.count)
    if factor == 1 {
      terms.append(contentsOf: other.terms)
    } else {
      for t in other.terms { terms.append(Term(t.variable, t.coefficient * factor)) }
    }
    constant += other.constant * factor
  }

  /// The coefficients with repeated variables summed and zeros dropped,
  /// ordered by variable.
  public func mergedTerms() -> [Term] { Self.merge(terms) }

  static func merge(_ terms: [Term]) -> [Term] {
    var sorted = true
    for i in terms.indices.dropFirst() where terms[i - 1].variable.index >= terms[i].variable.index {
      sorted = false
      break
    }
    let ordered = sorted ? terms : terms.sorted { $0.variable.index < $1.variable.index }
    var out: [Term] = []
    out.reserveCapacity(ordered.count)
    for t in ordered {
      if let last = out.last, last.variable == t.variable {
        out[out.count - 1].coefficient += t.coefficient
      } else {
        out.append(t)
      }
    }
    // NaN is kept so validation can name it; only exact zeros go.
    return out.filter { $0.coefficient != 0 }
  }

  // MARK: operators

  public static func + (lhs: consuming LinearExpression, rhs: LinearExpression) -> LinearExpression {
    lhs.add(rhs)
    return lhs
  }
  public static func - (lhs: consuming LinearExpression, rhs: LinearExpression) -> LinearExpression {
    lhs.add(rhs, times: -1)
    return lhs
  }
  public static func + (lhs: consuming LinearExpression, rhs: Variable) -> LinearExpression {
    lhs.add(1, rhs)
    return lhs
  }
  public static func - (lhs: consuming LinearExpression, rhs: Variable) -> LinearExpression {
    lhs.add(-1, rhs)
    return lhs
  }
  public static func + (lhs: consuming LinearExpression, rhs: Double) -> LinearExpression {
    lhs.constant += rhs
    return lhs
  }
  public static func - (lhs: consuming LinearExpression, rhs: Double) -> LinearExpression {
    lhs.constant -= rhs
    return lhs
  }
  public static func + (lhs: Double, rhs: LinearExpression) -> LinearExpression { rhs + lhs }
  public static func - (lhs: Double, rhs: LinearExpression) -> LinearExpression { -rhs + lhs }
  public static func + (lhs: Variable, rhs: LinearExpression) -> LinearExpression {
    LinearExpression(lhs) + rhs
  }
  public static func - (lhs: Variable, rhs: LinearExpression) -> LinearExpression {
    LinearExpression(lhs) - rhs
  }

  public static prefix func - (e: LinearExpression) -> LinearExpression { e * -1 }

  public static func * (lhs: consuming LinearExpression, rhs: Double) -> LinearExpression {
    for i in lhs.terms.indices { lhs.terms[i].coefficient *= rhs }
    lhs.constant *= rhs
    return lhs
  }
  public static func * (lhs: Double, rhs: LinearExpression) -> LinearExpression { rhs * lhs }
  public static func / (lhs: LinearExpression, rhs: Double) -> LinearExpression { lhs * (1 / rhs) }

  public static func += (lhs: inout LinearExpression, rhs: LinearExpression) { lhs.add(rhs) }
  public static func -= (lhs: inout LinearExpression, rhs: LinearExpression) { lhs.add(rhs, times: -1) }
  public static func += (lhs: inout LinearExpression, rhs: Variable) { lhs.add(1, rhs) }
  public static func -= (lhs: inout LinearExpression, rhs: Variable) { lhs.add(-1, rhs) }
  public static func += (lhs: inout LinearExpression, rhs: Double) { lhs.constant += rhs }
  public static func -= (lhs: inout LinearExpression, rhs: Double) { lhs.constant -= rhs }
}

extension Variable {
  public static func * (lhs: Double, rhs: Variable) -> LinearExpression {
    LinearExpression(terms: [Term(rhs, lhs)])
  }
  public static func * (lhs: Variable, rhs: Double) -> LinearExpression { rhs * lhs }
  public static func + (lhs: Variable, rhs: Variable) -> LinearExpression {
    LinearExpression(terms: [Term(lhs, 1), Term(rhs, 1)])
  }
  public static func - (lhs: Variable, rhs: Variable) -> LinearExpression {
    LinearExpression(terms: [Term(lhs, 1), Term(rhs, -1)])
  }
  public static func + (lhs: Variable, rhs: Double) -> LinearExpression { LinearExpression(lhs) + rhs }
  public static func - (lhs: Variable, rhs: Double) -> LinearExpression { LinearExpression(lhs) - rhs }
  public static func + (lhs: Double, rhs: Variable) -> LinearExpression { LinearExpression(rhs) + lhs }
  public static func - (lhs: Double, rhs: Variable) -> LinearExpression { -1 * rhs + lhs }
  public static prefix func - (v: Variable) -> LinearExpression { -1 * v }
}

extension Sequence where Element == Variable {
  /// The sum of the variables, each with coefficient 1.
  public func linearSum() -> LinearExpression {
    var e = LinearExpression()
    e.terms.reserveCapacity(underestimatedCount)
    for v in self { e.add(1, v) }
    return e
  }
}

extension Sequence where Element == LinearExpression {
  public func linearSum() -> LinearExpression {
    var e = LinearExpression()
    for x in self { e.add(x) }
    return e
  }
}

extension Sequence {
  /// `sum over element of transform(element)`, built in place.
  public func linearSum(_ transform: (Element) throws -> LinearExpression) rethrows -> LinearExpression {
    var e = LinearExpression()
    for x in self { e.add(try transform(x)) }
    return e
  }
}
