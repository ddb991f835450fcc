/// Everything the LP layer can refuse or fail at, with a message for a person.
public enum LPError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A coefficient, bound or objective term is NaN or infinite where only a
  /// finite number makes sense.
  case invalidNumber(location: String, value: Double)
  /// A variable's or row's lower bound lies above its upper bound.
  case invertedBounds(location: String, lower: Double, upper: Double)
  /// An integer variable with a fractional bound.
  case fractionalIntegerBound(variable: String, lower: Double, upper: Double)
  /// A name GLPK cannot hold (too long, or with control characters).
  case invalidName(kind: String, name: String, reason: String)
  /// A variable or row handle that does not belong to the model.
  case unknownHandle(String)
  case fileNotReadable(path: String, reason: String)
  case fileNotWritable(path: String, reason: String)
  /// The file was read but is not a valid model in the given format.
  case parseError(path: String, format: String, detail: String)
  case mathProgError(stage: String, detail: String)
  /// GLPK hit an internal error (it would have aborted the process).
  case solverFailure(String)
  case invalidOption(String)

  public var description: String {
    switch self {
    case .invalidNumber(let loc, let v):
      return "\(loc) is \(v); coefficients and right-hand sides must be finite numbers"
    case .invertedBounds(let loc, let lo, let up):
      return "\(loc) has lower bound \(lo) above its upper bound \(up)"
    case .fractionalIntegerBound(let v, let lo, let up):
      return
        "integer variable \(v) has fractional bounds [\(lo), \(up)]; integer bounds must be whole numbers"
    case .invalidName(let kind, let name, let reason):
      return "\(kind) name '\(name.prefix(40))\(name.count > 40 ? "..." : "")' is not usable: \(reason)"
    case .unknownHandle(let s): return s
    case .fileNotReadable(let p, let r): return "cannot read \(p): \(r)"
    case .fileNotWritable(let p, let r): return "cannot write \(p): \(r)"
    case .parseError(let p, let f, let d): return "\(p) is not a valid \(f) file: \(d)"
    case .mathProgError(let stage, let d): return "MathProg \(stage) failed: \(d)"
    case .solverFailure(let d): return "GLPK failed: \(d)"
    case .invalidOption(let d): return "invalid solver option: \(d)"
    }
  }
}

extension Model {
  /// GLPK's limit on row, column and problem names, in bytes.
  public static let maxNameLength = 255

  /// Checks everything GLPK would abort on, or silently misread: non-finite
  /// coefficients and objective terms, NaN bounds, inverted bounds, fractional
  /// bounds on integer variables and names GLPK rejects. Throws the first
  /// problem found, named in the model's terms.
  public func validate() throws(LPError) {
    try Self.checkName(name, kind: "model")
    try Self.checkName(objectiveName, kind: "objective")
    for j in 0..<variableCount {
      let v = Variable(index: j)
      try Self.checkName(variableNames[j], kind: "variable")
      let lo = variableLower[j]
      let up = variableUpper[j]
      if lo.isNaN || lo == .infinity {
        throw .invalidNumber(location: "lower bound of \(name(of: v))", value: lo)
      }
      if up.isNaN || up == -.infinity {
        throw .invalidNumber(location: "upper bound of \(name(of: v))", value: up)
      }
      if lo > up { throw .invertedBounds(location: "variable \(name(of: v))", lower: lo, upper: up) }
      if variableKinds[j] != .continuous,
        (lo.isFinite && lo.rounded() != lo) || (up.isFinite && up.rounded() != up)
      {
        throw .fractionalIntegerBound(variable: name(of: v), lower: lo, upper: up)
      }
      let c = objectiveCoefficients[j]
      if !c.isFinite { throw .invalidNumber(location: "objective coefficient of \(name(of: v))", value: c) }
    }
    if !objectiveConstant.isFinite {
      throw .invalidNumber(location: "objective constant", value: objectiveConstant)
    }
    for i in 0..<constraintCount {
      let c = Constraint(index: i)
      try Self.checkName(constraintNames[i], kind: "constraint")
      let lo = constraintLower[i]
      let up = constraintUpper[i]
      if lo.isNaN || lo == .infinity {
        throw .invalidNumber(location: "lower bound of \(name(of: c))", value: lo)
      }
      if up.isNaN || up == -.infinity {
        throw .invalidNumber(location: "upper bound of \(name(of: c))", value: up)
      }
      if lo > up { throw .invertedBounds(location: "constraint \(name(of: c))", lower: lo, upper: up) }
      for k in rowStart[i]..<rowStart[i + 1] {
        let a = entryValue[k]
        let col = Int(entryColumn[k])
        if col < 0 || col >= variableCount {
          throw .unknownHandle(
            "constraint \(name(of: c)) uses variable #\(col), which this model does not have")
        }
        if !a.isFinite {
          throw .invalidNumber(
            location: "coefficient of \(name(of: Variable(index: col))) in \(name(of: c))", value: a)
        }
      }
    }
  }

  static func checkName(_ s: String, kind: String) throws(LPError) {
    if s.utf8.count > maxNameLength {
      throw .invalidName(kind: kind, name: s, reason: "longer than \(maxNameLength) bytes")
    }
    if s.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) {
      throw .invalidName(kind: kind, name: s, reason: "contains a control character")
    }
  }
}
