import Foundation

/// One problem found in a scenario, located for a person: which file, which field, which line.
public struct ScenarioIssue: Sendable, Equatable, Codable, CustomStringConvertible {
  /// The file as the user named it (or a label such as `<stdin>`).
  public var file: String
  /// The field in the spec's style, e.g. `offerings[2].price_per_mw_year.h100`; empty when the
  /// problem is the file as a whole (a YAML syntax error).
  public var path: String
  /// 1-based, when known.
  public var line: Int?
  public var message: String

  public init(file: String, path: String, line: Int?, message: String) {
    self.file = file
    self.path = path
    self.line = line
    self.message = message
  }

  /// `file:line: path: message`, the shape compilers use, so editors can jump to it.
  public var description: String {
    var text = file
    if let line { text += ":\(line)" }
    // Ids and keys come from the file: no control character or escape sequence
    // of theirs reaches a terminal or a log line.
    if !path.isEmpty { text += ": \(Excerpt.escapingAll(path))" }
    return text + ": " + Excerpt.escapingAll(message)
  }
}

/// A scenario that could not be loaded or is not valid; carries every issue found.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
  public var issues: [ScenarioIssue]

  public init(issues: [ScenarioIssue]) { self.issues = issues }

  /// One issue per line.
  public var description: String { issues.map(\.description).joined(separator: "\n") }
  public var errorDescription: String? { description }
}

/// Where each field of a scenario file sits: field path → 1-based line.
///
/// Built while loading, so that validation, which works on the decoded ``Scenario``, can still
/// point at lines. A path not in the map (a missing field) takes the line of its nearest
/// enclosing field.
public struct SourceMap: Sendable, Equatable {
  public private(set) var lines: [String: Int]
  /// For a scenario merged from several files (overrides), the file of each field that did not
  /// come from the base file, under its path; a path not listed takes its nearest enclosing
  /// field's file, and the document's own file when none is listed.
  public private(set) var files: [String: String]

  public init(lines: [String: Int] = [:], files: [String: String] = [:]) {
    self.lines = lines
    self.files = files
  }

  mutating func record(_ path: String, line: Int) {
    if lines[path] == nil { lines[path] = line }
  }

  /// The file `path` came from, when the map knows (only merged scenarios record files).
  public func file(for path: String) -> String? {
    guard !files.isEmpty else { return nil }
    var path = Substring(path)
    while true {
      if let file = files[String(path)] { return file }
      guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { return files[""] }
      path = path[..<cut]
    }
  }

  /// The line of `path`, or of the nearest enclosing field that has one.
  public func line(for path: String) -> Int? {
    var path = Substring(path)
    while !path.isEmpty {
      if let line = lines[String(path)] { return line }
      guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { return nil }
      path = path[..<cut]
    }
    return nil
  }
}

/// A scenario as read from a file, with what is needed to locate later issues in that file.
public struct ScenarioDocument: Sendable, Equatable {
  public var scenario: Scenario
  public var file: String
  public var sourceMap: SourceMap

  public init(scenario: Scenario, file: String, sourceMap: SourceMap = SourceMap()) {
    self.scenario = scenario
    self.file = file
    self.sourceMap = sourceMap
  }
}

/// How numbers and id lists are written in messages.
enum ScenarioText {
  /// A list of ids: all of them, or the first dozen and a count.
  static func ids(_ ids: [String]) -> String {
    if ids.isEmpty { return "none" }
    let shown = ids.prefix(12).joined(separator: ", ")
    return ids.count > 12 ? "\(shown), … and \(ids.count - 12) more" : shown
  }

  /// A number as a person writes it: `5`, `0.25`, `.nan`, `-.inf`.
  static func number(_ value: Double) -> String {
    if value.isNaN { return ".nan" }
    if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
    return NumberText.plain(value)
  }
}
