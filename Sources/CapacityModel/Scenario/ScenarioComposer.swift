import Yams

/// A scenario put together from a base file, optionally one of its named cases, and override
/// files, validated as one scenario.
public struct ComposedScenario: Sendable {
  public var document: ScenarioDocument
  /// The text to store with a job: the base file's own text when nothing was applied, otherwise
  /// the merged scenario written as YAML (it reads back as the same scenario, without `cases`).
  public var text: String
  /// Where it came from, for a person: `base.yaml`, `base.yaml case lab-2 + over.yaml`.
  public var source: String
}

/// Loads a base scenario file with a named case and overrides applied: the case first, then each
/// override in order, so the command line has the last word. Issues name the file each value
/// came from (an override's own file and line, or the base file's `cases:` section).
public enum ScenarioComposer {
  /// Reads the files and composes them; every file that cannot be read is reported.
  public static func load(_ path: String, overrides: [String] = [], caseName: String? = nil)
    throws(ScenarioError) -> ComposedScenario
  {
    var issues: [ScenarioIssue] = []
    var texts: [(text: String, file: String)] = []
    var baseText = ""
    do { baseText = try ScenarioFile.read(path) } catch { issues += error.issues }
    for override in overrides {
      do { texts.append((try ScenarioFile.read(override), override)) } catch { issues += error.issues }
    }
    guard issues.isEmpty else { throw ScenarioError(issues: issues) }
    return try compose(baseText: baseText, file: path, overrides: texts, caseName: caseName)
  }

  /// Composes texts already read (by the caller, so that what is checked is what is stored).
  public static func compose(
    baseText: String, file: String, overrides: [(text: String, file: String)] = [], caseName: String? = nil
  ) throws(ScenarioError) -> ComposedScenario {
    guard !overrides.isEmpty || caseName != nil else {
      return ComposedScenario(
        document: try ScenarioLoader.parse(yaml: baseText, file: file), text: baseText, source: file)
    }
    try ScenarioFile.check(baseText, label: file)
    guard let root = try ScenarioLoader.compose(baseText, file: file) else {
      throw ScenarioError(issues: [
        ScenarioIssue(file: file, path: "", line: nil, message: "the file holds no scenario (it is empty)")
      ])
    }
    let (base, casesNode, casesLine) = ScenarioCases.split(root)
    var tree = SourcedNode(base, file: file)
    var issues: [ScenarioIssue] = []
    var source = [file]
    if let caseName {
      let override = try ScenarioCases.named(caseName, in: casesNode, line: casesLine, file: file)
      var merge = OverrideMerge(label: file)
      tree = merge.apply(SourcedNode(override, file: file), to: tree)
      issues += merge.issues
      source[0] = "\(file) case \(caseName)"
    }
    for (text, label) in overrides {
      do {
        try ScenarioFile.check(text, label: label)
        guard let node = try ScenarioLoader.compose(text, file: label) else {
          issues.append(ScenarioIssue(file: label, path: "", line: nil, message: "the override is empty"))
          continue
        }
        var merge = OverrideMerge(label: label)
        tree = merge.apply(SourcedNode(node, file: label), to: tree)
        issues += merge.issues
      } catch {
        issues += error.issues
      }
      source.append(label)
    }
    var files: [String: String] = [:]
    let merged = tree.yamsTree(files: &files)
    let document = try ScenarioLoader.decode(
      merged, file: file, origins: SourceMap(files: files), earlier: issues)
    let text: String
    do {
      text = try Yams.serialize(node: merged, width: -1, allowUnicode: true)
    } catch {
      throw ScenarioError(issues: [
        ScenarioIssue(
          file: file, path: "", line: nil,
          message:
            "cannot write the merged scenario as YAML: \(Excerpt.of(String(describing: error), limit: 80))")
      ])
    }
    return ComposedScenario(document: document, text: text, source: source.joined(separator: " + "))
  }

  /// The names of the cases the scenario text defines, in file order; an issue for each case
  /// that is not written as a case.
  public static func caseNames(baseText: String, file: String) throws(ScenarioError) -> [String] {
    try ScenarioFile.check(baseText, label: file)
    guard let root = try ScenarioLoader.compose(baseText, file: file) else { return [] }
    guard let cases = ScenarioCases.split(root).cases else { return [] }
    let (named, issues) = ScenarioCases.read(cases, file: file)
    guard issues.isEmpty else { throw ScenarioError(issues: issues) }
    return named.map(\.name)
  }
}

/// The `cases:` section of a scenario file: a map of case name to an override.
enum ScenarioCases {
  static let key = "cases"

  /// The scenario without its cases, and the cases (nil when the file has none) with the line
  /// of their `cases:` key.
  static func split(_ root: Node) -> (base: Node, cases: Node?, line: Int?) {
    guard let mapping = root.mapping, let entry = mapping.first(where: { $0.key.scalar?.string == key })
    else {
      return (root, nil, nil)
    }
    let kept = mapping.filter { $0.key.scalar?.string != key }.map { ($0.key, $0.value) }
    return (
      .mapping(.init(kept, mapping.tag, mapping.style, mapping.mark)), entry.value, entry.key.mark?.line
    )
  }

  /// Each case with its name, and the issues of those written wrongly.
  static func read(_ cases: Node, file: String) -> (
    cases: [(name: String, value: Node)], issues: [ScenarioIssue]
  ) {
    guard let mapping = cases.mapping else {
      return (
        [],
        [
          ScenarioIssue(
            file: file, path: key, line: cases.mark?.line,
            message:
              "expected a map {CASE NAME: override}, where each override is a mapping of scenario fields")
        ]
      )
    }
    var named: [(name: String, value: Node)] = []
    var issues: [ScenarioIssue] = []
    for (keyNode, value) in mapping {
      guard let name = keyNode.scalar?.string, !name.isEmpty,
        name.unicodeScalars.allSatisfy(ScenarioChecker.idCharacters.contains)
      else {
        issues.append(
          ScenarioIssue(
            file: file, path: key, line: keyNode.mark?.line,
            message: "a case name must be text of letters, digits, '-', '_' and '.'"))
        continue
      }
      guard value.mapping != nil else {
        issues.append(
          ScenarioIssue(
            file: file, path: "\(key).\(name)", line: value.mark?.line ?? keyNode.mark?.line,
            message: "case '\(name)' must be a mapping of scenario fields to change (an override)"))
        continue
      }
      named.append((name, value))
    }
    return (named, issues)
  }

  /// The override of case `name`; an unknown name is an error listing the known ones.
  static func named(_ name: String, in cases: Node?, line: Int?, file: String) throws(ScenarioError) -> Node {
    let (named, issues) = cases.map { read($0, file: file) } ?? ([], [])
    if let found = named.first(where: { $0.name == name }) { return found.value }
    let known = named.map(\.name)
    let why =
      cases == nil
      ? "the file has no cases"
      : known.isEmpty ? "the file's cases section names none" : "its cases are \(ScenarioText.ids(known))"
    throw ScenarioError(
      issues: issues + [
        ScenarioIssue(
          file: file, path: key, line: line,
          message: "no case named '\(Excerpt.of(name))': \(why)")
      ])
  }
}
