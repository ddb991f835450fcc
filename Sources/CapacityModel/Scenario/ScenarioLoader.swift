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
    let reader = NodeReader(file: file)
    let scenario = reader.decodeScenario(root)
    guard reader.issues.isEmpty, let scenario else {
      throw ScenarioError(issues: reader.issues)
    }
    var sourceMap = SourceMap()
    record(root, at: "", in: &sourceMap)
    return ScenarioDocument(scenario: scenario, file: file, sourceMap: sourceMap)
  }

  // MARK: YAML

  /// Composes the YAML tree, turning Yams' errors into located issues.
  private static func compose(_ yaml: String, file: String) throws(ScenarioError) -> Node? {
    do {
      return try Yams.compose(yaml: yaml)
    } catch YamlError.duplicatedKeysInMapping {
      throw ScenarioError(issues: DuplicateKeyLocator(yaml: yaml, file: file).issues())
    } catch let error as YamlError {
      throw ScenarioError(issues: [syntaxIssue(error, yaml: yaml, file: file)])
    } catch {
      throw failure(
        file: file, line: nil, "cannot read the YAML: \(Excerpt.of(String(describing: error), limit: 80))")
    }
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
