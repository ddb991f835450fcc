import Yams

/// A YAML tree whose every part remembers the file it was read from.
///
/// Yams keeps a line on each node but not a file; once an override's nodes sit in the base's
/// tree, issues would point at the right line of the wrong file. Merging this tree instead, and
/// turning it back into a Yams tree with a map of files by field path, keeps both.
struct SourcedNode {
  enum Content {
    case leaf
    case mapping([Entry])
    case sequence([SourcedNode])
  }

  struct Entry {
    /// The key as written (its mark gives the field's line); always from the value's file, so
    /// that a field's line and file agree.
    var key: Node
    var value: SourcedNode
    var name: String? { key.scalar?.string }
  }

  /// The node itself; for a mapping or sequence, only its tag, style and mark are used.
  var node: Node
  var file: String
  var content: Content

  init(_ node: Node, file: String) {
    self.node = node
    self.file = file
    switch node {
    case .mapping(let mapping):
      content = .mapping(mapping.map { Entry(key: $0.key, value: SourcedNode($0.value, file: file)) })
    case .sequence(let sequence):
      content = .sequence(sequence.map { SourcedNode($0, file: file) })
    default:
      content = .leaf
    }
  }

  init(node: Node, file: String, content: Content) {
    self.node = node
    self.file = file
    self.content = content
  }

  var entries: [Entry]? {
    if case .mapping(let entries) = content { return entries }
    return nil
  }

  var items: [SourcedNode]? {
    if case .sequence(let items) = content { return items }
    return nil
  }

  subscript(name: String) -> SourcedNode? { entries?.first { $0.name == name }?.value }

  var isNull: Bool { node.scalar != nil && Tag.Name(rawValue: node.tag.rawValue) == .null }

  /// The Yams tree, and the file of every field that differs from its parent's.
  func yamsTree(at path: String = "", parentFile: String? = nil, files: inout [String: String]) -> Node {
    if file != parentFile { files[path] = file }
    switch content {
    case .leaf:
      return node
    case .mapping(let entries):
      var pairs: [(Node, Node)] = []
      for entry in entries {
        // A key that is not text has no path; the reader reports it.
        let child = entry.name.map { path.isEmpty ? $0 : "\(path).\($0)" } ?? path
        pairs.append((entry.key, entry.value.yamsTree(at: child, parentFile: file, files: &files)))
      }
      let mapping = node.mapping
      return .mapping(.init(pairs, node.tag, mapping?.style ?? .any, node.mark))
    case .sequence(let items):
      let nodes = items.enumerated().map { index, item in
        item.yamsTree(at: "\(path)[\(index)]", parentFile: file, files: &files)
      }
      return .sequence(.init(nodes, node.tag, node.sequence?.style ?? .any, node.mark))
    }
  }
}

/// Merges one override (a partial scenario) onto a scenario tree; see docs/scenario-format.md,
/// "Overrides and cases", for the rules this implements.
struct OverrideMerge {
  /// Lists whose entries are matched by these fields rather than replaced whole, by shape (the
  /// field path without indices).
  static let keyedLists: [String: [String]] = [
    "periods": ["id"], "hardware": ["id"], "sites": ["id"], "sites.expansions": ["id"],
    "offerings": ["id"], "policies": ["id"], "companions": ["hardware", "requires"],
  ]
  /// Period series: a map in an override replaces the periods it lists; a constant base is first
  /// written as a map that holds it from the first period (the rule `sweep --set` follows).
  static let series: Set<String> = [
    "hardware.supply_mw", "sites.power_mw", "offerings.demand_gross_revenue_per_year",
    "offerings.demand_mw", "offerings.committed_mw", "offerings.required_mw",
  ]
  static let removeKey = "remove"

  /// The file the override was read from, named in its issues (the base file for a case).
  let label: String
  private(set) var issues: [ScenarioIssue] = []
  /// The id of the merged scenario's first period, where a constant series starts as a map.
  private var firstPeriod: String?

  init(label: String) { self.label = label }

  /// `base` with `override` applied; problems with the override itself are in `issues`.
  mutating func apply(_ override: SourcedNode, to base: SourcedNode) -> SourcedNode {
    guard let entries = override.entries else {
      report("", override.node, "an override must be a mapping of scenario fields, like a scenario file")
      return base
    }
    guard base.entries != nil else { return base }
    if let cases = entries.first(where: { $0.name == ScenarioCases.key }) {
      report(
        ScenarioCases.key, cases.key, "an override cannot hold cases; give them in the base scenario file")
    }
    let fields = entries.filter { $0.name != ScenarioCases.key }
    // Periods first: a series turned from a constant into a map starts at the merged first period.
    var merged = mergeMapping(base, with: fields.filter { $0.name == "periods" }, shape: "", path: "")
    firstPeriod = merged["periods"]?.items?.first?["id"]?.node.scalar?.string
    merged = mergeMapping(merged, with: fields.filter { $0.name != "periods" }, shape: "", path: "")
    return merged
  }

  private mutating func report(_ path: String, _ node: Node, _ message: String) {
    issues.append(ScenarioIssue(file: label, path: path, line: node.mark?.line, message: message))
  }

  private static func child(_ path: String, _ name: String) -> String {
    path.isEmpty ? name : "\(path).\(name)"
  }

  /// Each field of `fields` merged into `base`'s: null removes the field, a new field is added.
  private mutating func mergeMapping(
    _ base: SourcedNode, with fields: [SourcedNode.Entry], shape: String, path: String
  )
    -> SourcedNode
  {
    guard var entries = base.entries else { return base }
    for field in fields {
      guard let name = field.name else {
        entries.append(field)  // the reader reports a key that is not text
        continue
      }
      let index = entries.firstIndex { $0.name == name }
      if field.value.isNull {
        if let index { entries.remove(at: index) }
        continue
      }
      let fieldShape = Self.child(shape, name)
      let fieldPath = Self.child(path, name)
      guard let index else {
        // A keyed list the base does not have is still read by the list rules (remove: true).
        if let keys = Self.keyedLists[fieldShape], let items = field.value.items {
          let empty = SourcedNode(node: field.value.node, file: field.value.file, content: .sequence([]))
          let list = mergeList(empty, with: items, keys: keys, shape: fieldShape, path: fieldPath)
          entries.append(.init(key: field.key, value: list))
        } else {
          entries.append(field)
        }
        continue
      }
      if let merged = mergeValue(entries[index].value, with: field.value, shape: fieldShape, path: fieldPath)
      {
        // A constant series turned into the override's map takes the override's key and file.
        let converted = entries[index].value.entries == nil && merged.entries != nil
        entries[index] = .init(key: converted ? field.key : entries[index].key, value: merged)
      } else {
        entries[index] = field
      }
    }
    return SourcedNode(node: base.node, file: base.file, content: .mapping(entries))
  }

  /// The merge of two values of one field, or nil when the override's value replaces the base's.
  private mutating func mergeValue(_ base: SourcedNode, with over: SourcedNode, shape: String, path: String)
    -> SourcedNode?
  {
    if let keys = Self.keyedLists[shape], base.items != nil, let items = over.items {
      return mergeList(base, with: items, keys: keys, shape: shape, path: path)
    }
    if let fields = over.entries {
      if base.entries != nil { return mergeMapping(base, with: fields, shape: shape, path: path) }
      if Self.series.contains(shape), case .leaf = base.content, let firstPeriod,
        !fields.contains(where: { $0.name == firstPeriod })
      {
        // The constant holds until the override's first listed period, as `sweep --set` does.
        let held = SourcedNode.Entry(
          key: .scalar(.init(firstPeriod, .implicit, .plain, base.node.mark)), value: base)
        return SourcedNode(node: over.node, file: over.file, content: .mapping([held] + fields))
      }
    }
    return nil
  }

  /// An entry whose keys match a base entry's is merged into it; `remove: true` deletes the
  /// base entry; any other entry is added at the end.
  private mutating func mergeList(
    _ base: SourcedNode, with overItems: [SourcedNode], keys: [String], shape: String, path: String
  ) -> SourcedNode {
    var items = base.items ?? []
    let what = keys == ["id"] ? "'id'" : keys.map { "'\($0)'" }.joined(separator: " and ")
    // Several entries may change one base entry, each its own fields; the same field in two of
    // them would be merged silently, the first value lost. Each field's line, by entry key.
    var given: [[String]: [String: Int?]] = [:]
    for over in overItems {
      guard let fields = over.entries else {
        report(
          path, over.node, "an entry in an override's \(shape) must be a mapping that starts with its \(what)"
        )
        continue
      }
      let key = keys.map { over[$0].flatMap { $0.isNull ? nil : $0.node.scalar?.string } }
      guard key.allSatisfy({ $0 != nil }) else {
        report(
          path, over.node,
          "this entry of \(shape) has no \(what): an override names the entry it changes, adds or removes by it"
        )
        continue
      }
      let match = items.firstIndex { item in
        keys.enumerated().allSatisfy { item[$1]?.node.scalar?.string == key[$0] }
      }
      let shown = key.compactMap { $0 }.joined(separator: " + ")
      if let remove = fields.first(where: { $0.name == Self.removeKey }) {
        guard remove.value.node.scalar.map({ ["true", "True", "TRUE"].contains($0.string) }) == true else {
          report(path, remove.key, "'remove' takes only true (leave it out to change the entry)")
          continue
        }
        if let extra = fields.first(where: { $0.name != Self.removeKey && !keys.contains($0.name ?? "") }) {
          report(
            path, extra.key,
            "an entry with remove: true takes only its \(what); '\(Excerpt.of(extra.name ?? ""))' would be lost"
          )
          continue
        }
        guard let match else {
          let known = items.compactMap { item in
            keys.map { item[$0]?.node.scalar?.string ?? "?" }.joined(separator: " + ")
          }
          report(
            path, remove.key,
            "cannot remove '\(Excerpt.of(shown))': the scenario has no such entry in \(shape) "
              + "(it has: \(ScenarioText.ids(known)))")
          continue
        }
        items.remove(at: match)
        given[key.compactMap { $0 }] = nil
        continue
      }
      let entryKey = key.compactMap { $0 }
      if let match {
        // The matching fields stay the base's, so a later issue about the id points at the base.
        let changes = fields.filter { !keys.contains($0.name ?? "") }
        if let twice = changes.first(where: { given[entryKey]?[$0.name ?? ""] != nil }) {
          let first = given[entryKey]?[twice.name ?? ""] ?? nil
          report(
            path, twice.key,
            "'\(Excerpt.of(twice.name ?? ""))' of '\(Excerpt.of(shown))' is given twice in this override's "
              + "\(shape)\(first.map { " (first at line \($0))" } ?? ""); give each field once")
          continue
        }
        for change in changes { given[entryKey, default: [:]][change.name ?? ""] = change.key.mark?.line }
        items[match] = mergeMapping(items[match], with: changes, shape: shape, path: "\(path)[\(match)]")
      } else {
        for field in fields where !keys.contains(field.name ?? "") {
          given[entryKey, default: [:]][field.name ?? ""] = field.key.mark?.line
        }
        items.append(over)
      }
    }
    return SourcedNode(node: base.node, file: base.file, content: .sequence(items))
  }
}
