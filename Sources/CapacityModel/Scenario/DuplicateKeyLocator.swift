import Yams

/// Names the fields that a scenario file repeats.
///
/// Yams 6.2 rejects a mapping with a repeated key while composing, but reports only the key and
/// the line of its first occurrence, with no path and no tree. To say *which* field repeats
/// (`sites[1].pue`, lines 12 and 14), this renames that first occurrence in a copy of the text to
/// a unique placeholder and composes again, until the copy composes; the placeholders then sit in
/// a tree where their paths and their siblings' lines are known. Only used once a load has
/// already failed, so the extra parses cost nothing in the normal case.
struct DuplicateKeyLocator {
  let yaml: String
  let file: String

  /// One issue per repeated key, each at its second occurrence.
  func issues() -> [ScenarioIssue] {
    var text = yaml
    var renamed: [String: String] = [:]
    var firstLines: [(key: String, line: Int)] = []
    // Each round renames one occurrence; a file with more repeats than this is not worth naming.
    for round in 0..<500 {
      do {
        guard let root = try Yams.compose(yaml: text) else { break }
        var found: [ScenarioIssue] = []
        locate(root, at: "", renamed: renamed, into: &found)
        if !found.isEmpty { return found.sorted { ($0.line ?? 0) < ($1.line ?? 0) } }
        break
      } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
        guard let key = duplicates.first else { break }
        firstLines.append((key, context.mark.line))
        let placeholder = "capplan-repeated-key-\(round)"
        guard !yaml.contains(placeholder),
          let next = replace(key, at: context.mark, with: placeholder, in: text)
        else { break }
        text = next
        renamed[placeholder] = key
      } catch let error as YamlError {
        // A syntax error further on: report it beside the repeats found so far.
        return lineOnly(firstLines) + [ScenarioLoader.syntaxIssue(error, yaml: yaml, file: file)]
      } catch {
        break
      }
    }
    return lineOnly(firstLines)
  }

  /// The fallback when the path cannot be found: the key and the line Yams gave.
  private func lineOnly(_ keys: [(key: String, line: Int)]) -> [ScenarioIssue] {
    keys.map {
      ScenarioIssue(
        file: file, path: "", line: $0.line,
        message: "'\(Excerpt.of($0.key))' appears more than once in one mapping; a key may appear only once")
    }
  }

  private func locate(
    _ node: Node, at path: String, renamed: [String: String], into issues: inout [ScenarioIssue]
  ) {
    switch node {
    case .mapping(let mapping):
      var lines: [String: [Int]] = [:]
      var order: [String] = []
      for (key, value) in mapping {
        guard let name = key.scalar?.string else { continue }
        let original = renamed[name] ?? name
        if lines[original] == nil { order.append(original) }
        lines[original, default: []].append(key.mark?.line ?? 0)
        locate(value, at: path.isEmpty ? original : "\(path).\(original)", renamed: renamed, into: &issues)
      }
      for key in order {
        guard let keyLines = lines[key], keyLines.count > 1 else { continue }
        let distinct = keyLines.reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
        let shown =
          distinct.count == 1
          ? "all on line \(keyLines[0])" : "lines " + distinct.map(String.init).joined(separator: ", ")
        issues.append(
          ScenarioIssue(
            file: file, path: path.isEmpty ? key : "\(path).\(key)", line: keyLines[1],
            message: "'\(Excerpt.of(key))' is given \(keyLines.count) times in one mapping (\(shown)); "
              + "a key may appear only once"))
      }
    case .sequence(let sequence):
      for (index, item) in sequence.enumerated() {
        locate(item, at: "\(path)[\(index)]", renamed: renamed, into: &issues)
      }
    default:
      break
    }
  }

  /// `text` with the key written at `mark` (plain or quoted) replaced, or nil if it is not there.
  private func replace(_ key: String, at mark: Mark, with placeholder: String, in text: String) -> String? {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard mark.line >= 1, mark.line <= lines.count else { return nil }
    // libyaml counts columns in Unicode scalars.
    let scalars = Array(lines[mark.line - 1].unicodeScalars)
    let start = mark.column - 1
    guard start >= 0, start <= scalars.count else { return nil }
    var head = String.UnicodeScalarView()
    head.append(contentsOf: scalars[..<start])
    var tail = String.UnicodeScalarView()
    tail.append(contentsOf: scalars[start...])
    let rest = String(tail)
    let replaced: String
    if rest.hasPrefix(key) {
      replaced = placeholder + rest.dropFirst(key.count)
    } else if let quote = rest.first, quote == "\"" || quote == "'",
      rest.dropFirst().hasPrefix(key + String(quote))
    {
      replaced = String(quote) + placeholder + rest.dropFirst(1 + key.count)
    } else {
      return nil
    }
    lines[mark.line - 1] = String(head) + replaced
    return lines.joined(separator: "\n")
  }
}
