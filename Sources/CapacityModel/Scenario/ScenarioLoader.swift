import Foundation
import Yams

/// Reads scenario files (YAML, or JSON, which is YAML) into a ``ScenarioDocument``.
///
/// Every problem is reported with the file, the field path and the line: YAML syntax errors,
/// repeated keys, unknown fields, missing required fields and values of the wrong type. All such
/// problems in a file are reported together. Meaning is checked afterwards by
/// ``ScenarioValidator``, which uses the document's source map for lines.
public enum ScenarioLoader {
  /// Reads and parses the file at `path`; issues name the file as `path` was written.
  public static func load(contentsOf path: String) throws(ScenarioError) -> ScenarioDocument {
    try parse(yaml: try ScenarioFile.read(path), file: path)
  }

  /// Parses scenario text; `file` labels the issues (e.g. the path, or `<stdin>`).
  public static func parse(yaml: String, file: String) throws(ScenarioError) -> ScenarioDocument {
    try ScenarioFile.check(yaml, label: file)
    let root = try compose(yaml, file: file)
    guard let root else {
      throw failure(file: file, line: nil, "the file holds no scenario (it is empty)")
    }
    // Named cases are read only when one is asked for (ScenarioComposer); the base ignores them.
    return try decode(ScenarioCases.split(root).base, file: file)
  }

  /// Reads a composed tree; `origins` names the file of the parts that came from other files
  /// (overrides), and `earlier` holds issues already found while merging them.
  static func decode(
    _ root: Node, file: String, origins: SourceMap = SourceMap(), earlier: [ScenarioIssue] = []
  ) throws(ScenarioError) -> ScenarioDocument {
    let reader = NodeReader(file: file, origins: origins)
    let scenario = reader.decodeScenario(root)
    var sourceMap = origins
    record(root, at: "", in: &sourceMap)
    guard earlier.isEmpty, reader.issues.isEmpty, let scenario else {
      // Keep going: what could be read is validated too, so one run lists every error.
      var issues = earlier + reader.issues
      if let scenario {
        issues += semanticIssues(in: scenario, after: reader, file: file, sourceMap: sourceMap)
      }
      throw ScenarioError(issues: issues)
    }
    return ScenarioDocument(scenario: scenario, file: file, sourceMap: sourceMap)
  }

  /// The validator's issues on a scenario read past structural errors: put back at the file's
  /// list indices (elements that could not be read are missing from the decoded lists), and
  /// without the issues that only follow from those elements missing (an unknown id that is the
  /// id of an element that could not be read) or that repeat a structural issue's field.
  static func semanticIssues(
    in scenario: Scenario, after reader: NodeReader, file: String, sourceMap: SourceMap
  ) -> [ScenarioIssue] {
    let structural = Set(reader.issues.map(\.path))
    var out: [ScenarioIssue] = []
    for var issue in ScenarioValidator.issues(in: scenario, file: file, sourceMap: sourceMap) {
      issue.path = filePath(issue.path, survivors: reader.survivors)
      issue.message = filePaths(in: issue.message, survivors: reader.survivors)
      issue.line = sourceMap.line(for: issue.path)
      issue.file = sourceMap.file(for: issue.path) ?? file
      if structural.contains(issue.path) { continue }
      // A list that lost elements is not itself empty or short; an element that could not be
      // read is not unknown where it is named.
      if reader.survivors[issue.path] != nil { continue }
      if reader.survivors.keys.contains(where: { issue.message.contains("the scenario has no \($0)") }) {
        continue
      }
      if reader.droppedNames.contains(where: { issue.message.contains("'\($0)'") }) { continue }
      out.append(issue)
    }
    return out
  }

  /// `offerings[1].tiers[0]` of the decoded lists as the file's indices.
  static func filePath(_ path: String, survivors: [String: [Int]]) -> String {
    guard !survivors.isEmpty else { return path }
    var result = ""
    var rest = Substring(path)
    while let open = rest.firstIndex(of: "[") {
      guard let close = rest[open...].firstIndex(of: "]"),
        let index = Int(rest[rest.index(after: open)..<close])
      else { break }
      let list = result + rest[..<open]
      let mapped = survivors[list].flatMap { index < $0.count ? $0[index] : nil } ?? index
      result = list + "[\(mapped)]"
      rest = rest[rest.index(after: close)...]
    }
    return result + rest
  }

  /// Every list path quoted in a message, put back at the file's indices.
  static func filePaths(in message: String, survivors: [String: [Int]]) -> String {
    guard !survivors.isEmpty,
      let pattern = try? NSRegularExpression(pattern: "[a-z_]+\\[[0-9]+\\](?:\\.[a-z_]+|\\[[0-9]+\\])*")
    else { return message }
    var out = message
    let ns = message as NSString
    for match in pattern.matches(in: message, range: NSRange(location: 0, length: ns.length)).reversed() {
      let token = ns.substring(with: match.range)
      let mapped = filePath(token, survivors: survivors)
      if mapped != token, let range = Range(match.range, in: out) { out.replaceSubrange(range, with: mapped) }
    }
    return out
  }

  // MARK: YAML

  /// Composes the YAML tree, turning Yams' errors into located issues.
  static func compose(_ yaml: String, file: String) throws(ScenarioError) -> Node? {
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch YamlError.duplicatedKeysInMapping {
      throw ScenarioError(issues: DuplicateKeyLocator(yaml: yaml, file: file).issues())
    } catch let error as YamlError {
      throw ScenarioError(issues: [syntaxIssue(error, yaml: yaml, file: file)])
    } catch {
      throw failure(
        file: file, line: nil, "cannot read the YAML: \(Excerpt.of(String(describing: error), limit: 80))")
    }
    // Aliases are expanded in the tree: ten levels of ten aliases (a few hundred bytes) would be
    // ten billion nodes for every reader after this one. Text without aliases has fewer nodes
    // than bytes, so a tree larger than that (with room to spare) was blown up by its aliases.
    let limit = 2 * yaml.utf8.count + 100_000
    if let root, !Self.nodeCount(root, isAtMost: limit) {
      throw failure(
        file: file, line: nil,
        "the YAML's aliases (*name) expand it past \(limit) values; write the repeated parts out "
          + "or repeat them less")
    }
    return root
  }

  /// Whether `node` has at most `limit` nodes, aliases counted as expanded; stops once past it.
  static func nodeCount(_ node: Node, isAtMost limit: Int) -> Bool {
    var count = 0
    var stack = [node]
    while let next = stack.popLast() {
      count += 1
      if count > limit { return false }
      switch next {
      case .mapping(let mapping):
        for (key, value) in mapping {
          stack.append(key)
          stack.append(value)
        }
      case .sequence(let sequence): stack.append(contentsOf: sequence)
      default: break
      }
    }
    return true
  }

  static func syntaxIssue(_ error: YamlError, yaml: String, file: String) -> ScenarioIssue {
    func issue(_ context: YamlError.Context?, _ problem: String, _ mark: Mark) -> ScenarioIssue {
      // Yams' texts can quote the file; they are cut and escaped like any excerpt.
      var message = "YAML syntax error: \(Excerpt.of(problem, limit: 80))"
      if let context {
        message += " (\(Excerpt.of(context.text, limit: 80)), which started at line \(context.mark.line))"
      }
      return ScenarioIssue(file: file, path: "", line: mark.line, message: message)
    }
    switch error {
    case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
      let .composer(context, problem, mark, _):
      return issue(context, problem, mark)
    case let .reader(problem, offset, _, _):
      let line = offset.map { yaml.prefix($0).count { $0 == "\n" } + 1 }
      return ScenarioIssue(
        file: file, path: "", line: line, message: "cannot read the text: \(Excerpt.of(problem, limit: 80))")
    default:
      return ScenarioIssue(
        file: file, path: "", line: nil,
        message: "cannot read the YAML: \(Excerpt.of(String(describing: error), limit: 80))")
    }
  }

  private static func failure(file: String, line: Int?, _ message: String) -> ScenarioError {
    ScenarioError(issues: [ScenarioIssue(file: file, path: "", line: line, message: message)])
  }

  // MARK: Source map

  /// Records the line of every field and list item under its spec-style path.
  private static func record(_ node: Node, at path: String, in map: inout SourceMap) {
    switch node {
    case .mapping(let mapping):
      for (key, value) in mapping {
        guard let name = key.scalar?.string else { continue }
        let child = path.isEmpty ? name : "\(path).\(name)"
        if let line = key.mark?.line { map.record(child, line: line) }
        record(value, at: child, in: &map)
      }
    case .sequence(let sequence):
      for (index, item) in sequence.enumerated() {
        let child = "\(path)[\(index)]"
        if let line = item.mark?.line { map.record(child, line: line) }
        record(item, at: child, in: &map)
      }
    default:
      break
    }
  }
}
