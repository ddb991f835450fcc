/// A row of a `Model`: a handle returned by `addConstraint`.
public struct Constraint: Hashable, Comparable, Sendable {
  public let index: Int
  public init(index: Int) { self.index = index }
  public static func < (a: Constraint, b: Constraint) -> Bool { a.index < b.index }
}

/// `lower <= expression <= upper`, built by the comparison operators.
/// An infinite side means no bound on that side.
public struct LinearConstraint: Sendable {
  public var expression: LinearExpression
  public var lower: Double
  public var upper: Double

  public init(_ expression: LinearExpression, lower: Double, upper: Double) {
    self.expression = expression
    self.lower = lower
    self.upper = upper
  }
}

public enum ObjectiveSense: String, Sendable, Codable {
  case minimize, maximize
}

// Comparison operators build constraints. The expression's constant moves to
// the bounds when the constraint is added.
extension LinearExpression {
  public static func <= (lhs: LinearExpression, rhs: Double) -> LinearConstraint {
    LinearConstraint(lhs, lower: -.infinity, upper: rhs)
  }
  public static func >= (lhs: LinearExpression, rhs: Double) -> LinearConstraint {
    LinearConstraint(lhs, lower: rhs, upper: .infinity)
  }
  public static func == (lhs: LinearExpression, rhs: Double) -> LinearConstraint {
    LinearConstraint(lhs, lower: rhs, upper: rhs)
  }
  public static func <= (lhs: LinearExpression, rhs: LinearExpression) -> LinearConstraint { lhs - rhs <= 0 }
  public static func >= (lhs: LinearExpression, rhs: LinearExpression) -> LinearConstraint { lhs - rhs >= 0 }
  public static func == (lhs: LinearExpression, rhs: LinearExpression) -> LinearConstraint { lhs - rhs == 0 }
  public static func <= (lhs: LinearExpression, rhs: Variable) -> LinearConstraint { lhs - rhs <= 0 }
  public static func >= (lhs: LinearExpression, rhs: Variable) -> LinearConstraint { lhs - rhs >= 0 }
  public static func == (lhs: LinearExpression, rhs: Variable) -> LinearConstraint { lhs - rhs == 0 }
}

extension Variable {
  public static func <= (lhs: Variable, rhs: Double) -> LinearConstraint { LinearExpression(lhs) <= rhs }
  public static func >= (lhs: Variable, rhs: Double) -> LinearConstraint { LinearExpression(lhs) >= rhs }
  public static func == (lhs: Variable, rhs: Double) -> LinearConstraint { LinearExpression(lhs) == rhs }
  public static func <= (lhs: Variable, rhs: LinearExpression) -> LinearConstraint {
    LinearExpression(lhs) <= rhs
  }
  public static func >= (lhs: Variable, rhs: LinearExpression) -> LinearConstraint {
    LinearExpression(lhs) >= rhs
  }
}
