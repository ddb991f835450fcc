import Foundation
import Testing

/// The Prometheus text exposition format (version 0.0.4), read line by line
/// with its grammar checked: a scrape that Prometheus would refuse fails here.
struct PrometheusText {
  struct Sample: Equatable {
    var name: String
    var labels: [String: String]
    var value: Double
  }

  var samples: [Sample] = []
  /// Metric family name to its TYPE.
  var types: [String: String] = [:]

  struct Malformed: Error, CustomStringConvertible {
    var line: Int
    var text: String
    var why: String
    var description: String { "line \(line): \(why): \(text)" }
  }

  static let nameStart = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_:")
  static let nameRest = nameStart.union("0123456789")

  static func isMetricName(_ s: Substring) -> Bool {
    guard let first = s.first, nameStart.contains(first) else { return false }
    return s.dropFirst().allSatisfy { nameRest.contains($0) }
  }

  static func isLabelName(_ s: Substring) -> Bool {
    guard let first = s.first, first != ":", nameStart.contains(first) else { return false }
    return s.dropFirst().allSatisfy { $0 != ":" && nameRest.contains($0) }
  }

  static func number(_ s: Substring) -> Double? {
    switch s {
    case "+Inf", "Inf": return .infinity
    case "-Inf": return -.infinity
    case "NaN": return .nan
    default: return Double(s)
    }
  }

  /// The family a sample belongs to: histogram samples carry a suffix.
  func family(of name: String) -> String {
    for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
      let base = String(name.dropLast(suffix.count))
      if types[base] == "histogram" || types[base] == "summary" { return base }
    }
    return name
  }

  init(_ text: String) throws {
    #expect(text.isEmpty || text.hasSuffix("\n"), "the exposition ends with a newline")
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = Substring(raw)
      func fail(_ why: String) -> Malformed { Malformed(line: index + 1, text: String(line), why: why) }
      if line.isEmpty { continue }
      if line.hasPrefix("#") {
        let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0] == "#" else { continue }  // a plain comment
        if parts[1] == "TYPE" {
          guard Self.isMetricName(parts[2]), parts.count == 4,
            ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3])
          else { throw fail("bad TYPE line") }
          guard types[String(parts[2])] == nil else { throw fail("second TYPE for one family") }
          guard !samples.contains(where: { family(of: $0.name) == parts[2] }) else {
            throw fail("TYPE after the family's samples")
          }
          types[String(parts[2])] = String(parts[3])
        } else if parts[1] == "HELP" {
          guard Self.isMetricName(parts[2]) else { throw fail("bad HELP line") }
        }
        continue
      }
      // name{label="value",...} value [timestamp]
      var rest = line[...]
      let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " } ?? rest.endIndex
      let name = rest[..<nameEnd]
      guard Self.isMetricName(name) else { throw fail("bad metric name") }
      rest = rest[nameEnd...]
      var labels: [String: String] = [:]
      if rest.first == "{" {
        rest = rest.dropFirst()
        while rest.first != "}" {
          guard let eq = rest.firstIndex(of: "=") else { throw fail("label without =") }
          let labelName = rest[..<eq]
          guard Self.isLabelName(labelName) else { throw fail("bad label name \(labelName)") }
          rest = rest[rest.index(after: eq)...]
          guard rest.first == "\"" else { throw fail("label value not quoted") }
          rest = rest.dropFirst()
          var value = ""
          var closed = false
          while let c = rest.first {
            rest = rest.dropFirst()
            if c == "\\" {
              guard let escaped = rest.first else { throw fail("dangling escape") }
              rest = rest.dropFirst()
              switch escaped {
              case "\\": value.append("\\")
              case "\"": value.append("\"")
              case "n": value.append("\n")
              default: throw fail("bad escape \\\(escaped)")
              }
            } else if c == "\"" {
              closed = true
              break
            } else {
              value.append(c)
            }
          }
          guard closed else { throw fail("unterminated label value") }
          guard labels[String(labelName)] == nil else { throw fail("repeated label") }
          labels[String(labelName)] = value
          if rest.first == "," { rest = rest.dropFirst() }
          guard !rest.isEmpty else { throw fail("unterminated label set") }
        }
        rest = rest.dropFirst()
      }
      let fields = rest.split(separator: " ")
      guard rest.first == " ", (1...2).contains(fields.count), let value = Self.number(fields[0]) else {
        throw fail("bad value")
      }
      if fields.count == 2, Int64(fields[1]) == nil { throw fail("bad timestamp") }
      let sample = Sample(name: String(name), labels: labels, value: value)
      guard !samples.contains(where: { $0.name == sample.name && $0.labels == sample.labels }) else {
        throw fail("a series twice")
      }
      samples.append(sample)
    }
    try checkHistograms()
  }

  /// Every histogram series: cumulative buckets ending in +Inf, which equals _count.
  func checkHistograms() throws {
    for (family, type) in types where type == "histogram" {
      let buckets = samples.filter { $0.name == family + "_bucket" }
      var series: [[String: String]: [(Double, Double)]] = [:]
      for bucket in buckets {
        var key = bucket.labels
        guard let le = key.removeValue(forKey: "le").flatMap({ Self.number(Substring($0)) }) else {
          throw Malformed(line: 0, text: family, why: "bucket without le")
        }
        series[key, default: []].append((le, bucket.value))
      }
      for (labels, points) in series {
        let sorted = points.sorted { $0.0 < $1.0 }
        guard sorted.last?.0 == .infinity else {
          throw Malformed(line: 0, text: family, why: "no +Inf bucket")
        }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.1 < a.1 {
          throw Malformed(line: 0, text: family, why: "buckets not cumulative")
        }
        let count = samples.first { $0.name == family + "_count" && $0.labels == labels }?.value
        guard count == sorted.last?.1 else {
          throw Malformed(line: 0, text: family, why: "_count differs from the +Inf bucket")
        }
      }
    }
  }

  /// The value of the one series named `name` whose labels include `labels`; nil if none.
  func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
    let matches = samples.filter { sample in
      sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
    }
    return matches.count == 1 ? matches[0].value : nil
  }
}
