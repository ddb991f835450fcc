/// A map keyed by id (hardware, period) that remembers the order its entries were written in.
///
/// Scenario files list hardware and periods in an order the planner chose, and reports read
/// better in that order; a `Dictionary` would shuffle them from run to run. The order carries no
/// meaning, so two maps with the same entries are equal whatever their order.
///
/// Encoded as a plain JSON/YAML object. Foundation's JSON coders do not keep key order, so a map
/// decoded through `Codable` comes back sorted by key (deterministic), and JSON written by
/// `JSONEncoder` has a deterministic order only with `.sortedKeys`.
public struct IDMap<Value: Sendable & Equatable & Codable>: Sendable, Equatable, Codable {
  /// One `key: value` entry.
  public struct Entry: Sendable, Equatable {
    public var key: String
    public var value: Value

    public init(key: String, value: Value) {
      self.key = key
      self.value = value
    }
  }

  /// The entries in the order they were written. Keys are unique.
  public private(set) var entries: [Entry]

  /// Builds a map from entries; a later entry with a key already present replaces the value
  /// in place (the file loader rejects repeated keys before this point).
  public init(_ entries: [Entry] = []) {
    self.entries = []
    for entry in entries { self[entry.key] = entry.value }
  }

  /// Builds a map from `(key, value)` pairs, keeping their order.
  public init(_ pairs: KeyValuePairs<String, Value>) {
    self.init(pairs.map { Entry(key: $0.key, value: $0.value) })
  }

  public var keys: [String] { entries.map(\.key) }
  public var isEmpty: Bool { entries.isEmpty }
  public var count: Int { entries.count }

  /// The value for `key`; setting a new key appends it, setting `nil` removes it.
  public subscript(key: String) -> Value? {
    get { entries.first { $0.key == key }?.value }
    set {
      let index = entries.firstIndex { $0.key == key }
      switch (index, newValue) {
      case let (index?, value?): entries[index].value = value
      case let (index?, nil): entries.remove(at: index)
      case let (nil, value?): entries.append(Entry(key: key, value: value))
      case (nil, nil): break
      }
    }
  }

  public static func == (lhs: IDMap, rhs: IDMap) -> Bool {
    lhs.count == rhs.count && lhs.entries.allSatisfy { rhs[$0.key] == $0.value }
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: IDMapCodingKey.self)
    let keys = container.allKeys.map(\.stringValue).sorted()
    var entries: [Entry] = []
    for key in keys {
      entries.append(Entry(key: key, value: try container.decode(Value.self, forKey: IDMapCodingKey(key))))
    }
    self.init(entries)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: IDMapCodingKey.self)
    for entry in entries { try container.encode(entry.value, forKey: IDMapCodingKey(entry.key)) }
  }
}

/// A coding key for maps whose keys are data (ids), not field names.
private struct IDMapCodingKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }
  init(_ string: String) { stringValue = string }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}
