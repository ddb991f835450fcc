import Yams

/// Reads typed values out of a composed YAML tree.
///
/// Each problem becomes an issue with its field path and line, and reading goes on, so that one
/// load reports every type error, unknown field and missing field at once. A reader returns
/// `nil` for a value it could not read; the issue it recorded makes the load fail.
final class NodeReader {
  let file: String
  private(set) var issues: [ScenarioIssue] = []
  /// For each list (by path) that lost elements to structural errors, the file indices of the
  /// elements kept, so issues found later on the decoded lists can be put back at file indices.
  private(set) var survivors: [String: [Int]] = [:]
  /// The ids (and offering uses) of elements that could not be read: later issues that only
  /// say such an id is unknown are consequences, not news.
  private(set) var droppedNames: Set<String> = []

  /// Which file each part of a merged tree came from (empty for a single file).
  let origins: SourceMap

  init(file: String, origins: SourceMap = SourceMap()) {
    self.file = file
    self.origins = origins
  }

  func report(_ path: String, _ node: Node?, _ message: String) {
    issues.append(
      ScenarioIssue(
        file: origins.file(for: path) ?? file, path: path, line: node?.mark?.line, message: message))
  }

  // MARK: Mappings

  /// The fields of a mapping, checked against the allowed names.
  struct Fields {
    let path: String
    let node: Node
    fileprivate let values: [String: Node]

    func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
  }

  /// Reads `node` as a mapping of named fields; reports each key not in `allowed`.
  func fields(_ node: Node, at path: String, what: String, allowed: [String]) -> Fields? {
    guard let mapping = node.mapping else {
      report(
        path, node,
        "expected \(what) (a mapping of \(allowed.joined(separator: ", "))), found \(describe(node))")
      return nil
    }
    var values: [String: Node] = [:]
    for (keyNode, value) in mapping {
      guard let key = keyNode.scalar?.string else {
        report(path, keyNode, "a field name must be plain text, found \(describe(keyNode))")
        continue
      }
      if allowed.contains(key) {
        values[key] = value
      } else if key == "<<" {
        report(path, keyNode, "YAML merge keys ('<<') are not supported: write the fields out")
      } else {
        let fieldPath = path.isEmpty ? Excerpt.of(key) : "\(path).\(Excerpt.of(key))"
        report(
          fieldPath, keyNode,
          "unknown field '\(Excerpt.of(key))' in \(what) (allowed: \(allowed.joined(separator: ", ")))")
      }
    }
    return Fields(path: path, node: node, values: values)
  }

  /// The value of an optional field; `nil` when absent. An explicit null is an error unless
  /// `nullMeansAbsent` (for lists and maps, where "nothing" and "left out" mean the same).
  func optional<T>(
    _ fields: Fields, _ key: String, nullMeansAbsent: Bool = false, _ read: (Node, String) -> T?
  ) -> T? {
    guard let node = fields.values[key] else { return nil }
    if isNull(node) {
      if !nullMeansAbsent {
        report(fields.path(key), node, "'\(key)' has no value; give one or leave the field out")
      }
      return nil
    }
    return read(node, fields.path(key))
  }

  /// The value of a required field; reports it missing (at the enclosing mapping's line).
  func required<T>(_ fields: Fields, _ key: String, _ read: (Node, String) -> T?) -> T? {
    guard fields.values[key] != nil else {
      report(fields.path(key), fields.node, "missing required field '\(key)'")
      return nil
    }
    return optional(fields, key, read)
  }

  // MARK: Scalars

  func string(_ node: Node, at path: String) -> String? {
    guard let scalar = node.scalar else {
      report(path, node, "expected text, found \(describe(node))")
      return nil
    }
    return scalar.string
  }

  func number(_ node: Node, at path: String) -> Double? {
    guard let scalar = node.scalar else {
      report(path, node, "expected a number, found \(describe(node))")
      return nil
    }
    let plain = scalar.style == .plain || scalar.style == .any
    let tag = Tag.Name(rawValue: node.tag.rawValue)
    // Yams resolves tags by YAML 1.1 rules (0250 octal, 1:30 sexagesimal, 1_000);
    // a scenario's numbers follow YAML 1.2's core schema, read here from the text.
    if plain || tag == .int || tag == .float {
      switch YAMLNumber.read(scalar.string) {
      case .number(let value): return value
      case .ambiguous(let why):
        report(path, node, "'\(Excerpt.of(scalar.string))' is not a decimal number: \(why)")
        return nil
      case .notANumber: break
      }
    }
    if scalar.style != .plain && scalar.style != .any && Double(scalar.string) != nil {
      report(
        path, node,
        "expected a number, found the quoted text \"\(Excerpt.of(scalar.string))\" (remove the quotes)")
    } else {
      report(path, node, "expected a number, found \(describe(node))")
    }
    return nil
  }

  /// One of a fixed set of words, e.g. a pricing.
  func choice<E: RawRepresentable & CaseIterable>(_ node: Node, at path: String, what: String) -> E?
  where E.RawValue == String {
    guard let text = string(node, at: path) else { return nil }
    guard let value = E(rawValue: text) else {
      let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
      report(path, node, "unknown \(what) '\(text)' (allowed: \(allowed))")
      return nil
    }
    return value
  }

  // MARK: Collections

  /// A list whose elements are read by `element`; elements that fail are left out.
  func list<T>(_ node: Node, at path: String, _ element: (Node, String) -> T?) -> [T]? {
    guard let sequence = node.sequence else {
      report(path, node, "expected a list, found \(describe(node))")
      return nil
    }
    var kept: [T] = []
    var indices: [Int] = []
    for (index, item) in sequence.enumerated() {
      if let value = element(item, "\(path)[\(index)]") {
        kept.append(value)
        indices.append(index)
      } else {
        for key in ["id", "use"] {
          if let name = item.mapping?[key]?.scalar?.string { droppedNames.insert(name) }
        }
      }
    }
    if indices.count < sequence.count { survivors[path] = indices }
    return kept
  }

  func stringList(_ node: Node, at path: String) -> [String]? {
    list(node, at: path) { item, itemPath in string(item, at: itemPath) }
  }

  /// A map `{id: value}` in file order.
  func idMap<V>(_ node: Node, at path: String, what: String, _ read: (Node, String) -> V?) -> IDMap<V>? {
    guard let mapping = node.mapping else {
      report(path, node, "expected a map {\(what): value}, found \(describe(node))")
      return nil
    }
    var entries: [IDMap<V>.Entry] = []
    for (keyNode, valueNode) in mapping {
      guard let key = keyNode.scalar?.string else {
        report(path, keyNode, "a key must be a \(what) id, found \(describe(keyNode))")
        continue
      }
      if let value = read(valueNode, "\(path).\(key)") { entries.append(.init(key: key, value: value)) }
    }
    return IDMap(entries)
  }

  /// A number, or a map `{PERIOD: number}` (model spec, "Period series").
  func series(_ node: Node, at path: String) -> Series? {
    switch node {
    case .mapping:
      return idMap(node, at: path, what: "PERIOD") { value, valuePath in number(value, at: valuePath) }
        .map(Series.byPeriod)
    case .scalar:
      return number(node, at: path).map(Series.constant)
    default:
      report(path, node, "expected a number or a map {PERIOD: number}, found \(describe(node))")
      return nil
    }
  }

  // MARK: Describing nodes

  /// What the top of a file holds when it cannot be a scenario, in words that
  /// quote none of it; nil when it may be one (a mapping with at least one
  /// scenario field: its other problems are reported field by field).
  func notAScenario(_ node: Node, allowed: [String]) -> String? {
    switch node {
    case .scalar(let scalar):
      let lines = scalar.string.split(separator: "\n", omittingEmptySubsequences: false).count
      return "a single text value of \(scalar.string.count) characters"
        + (lines > 1 ? " over \(lines) lines" : "")
    case .sequence(let items): return "a list of \(items.count) items"
    case .mapping(let mapping):
      let keys = mapping.compactMap { $0.key.scalar?.string }
      if keys.contains(where: allowed.contains) { return nil }
      return "a mapping of \(mapping.count) keys, none of them a scenario field"
    case .alias: return "an alias"
    }
  }

  private func isNull(_ node: Node) -> Bool {
    node.scalar != nil && Tag.Name(rawValue: node.tag.rawValue) == .null
  }

  private func describe(_ node: Node) -> String {
    switch node {
    case .scalar(let scalar):
      if isNull(node) { return "nothing (null)" }
      return "'\(Excerpt.of(scalar.string))'"
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    }
  }
}
