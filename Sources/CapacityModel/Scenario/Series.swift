/// A value for each period, written either as one number or as a map `{PERIOD: number}`.
///
/// The rule (model spec, "Period series"): a map value holds from its period until the next
/// listed period; periods before the first listed one take 0. The order of the map's keys does
/// not matter, only the order of the scenario's `periods`. The rule is literal for caps too:
/// `demand_mw: {2027Q1: 50}` caps the periods before 2027Q1 at 0; leave the field out for no cap.
public enum Series: Sendable, Equatable, Codable {
  /// The same value in every period.
  case constant(Double)
  /// Values from the listed periods on, held until the next listed period.
  case byPeriod(IDMap<Double>)

  /// The value in each of `periods` (ids in scenario order). Keys that are not among
  /// `periods` are ignored here; validation reports them.
  public func values(over periods: [String]) -> [Double] {
    switch self {
    case .constant(let value):
      return Array(repeating: value, count: periods.count)
    case .byPeriod(let map):
      var current = 0.0
      return periods.map { period in
        if let value = map[period] { current = value }
        return current
      }
    }
  }

  /// Every number the series holds, with the map key it sits under (`nil` for a constant).
  var numbers: [(key: String?, value: Double)] {
    switch self {
    case .constant(let value): return [(nil, value)]
    case .byPeriod(let map): return map.entries.map { ($0.key, $0.value) }
    }
  }

  public init(from decoder: any Decoder) throws {
    let single = try decoder.singleValueContainer()
    if let value = try? single.decode(Double.self) {
      self = .constant(value)
    } else {
      self = .byPeriod(try IDMap<Double>(from: decoder))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .constant(let value):
      var single = encoder.singleValueContainer()
      try single.encode(value)
    case .byPeriod(let map):
      try map.encode(to: encoder)
    }
  }
}

extension Series: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByDictionaryLiteral {
  public init(floatLiteral value: Double) { self = .constant(value) }
  public init(integerLiteral value: Int) { self = .constant(Double(value)) }
  public init(dictionaryLiteral elements: (String, Double)...) {
    self = .byPeriod(IDMap(elements.map { IDMap.Entry(key: $0.0, value: $0.1) }))
  }
}
