import Foundation

/// A submitted form's fields: `application/x-www-form-urlencoded` or `multipart/form-data` (the
/// upload form). Bodies arrive whole and size-limited by the server, so both are parsed from
/// memory. A field named twice keeps every value (the comparison's `plan=1&plan=2`).
struct ConsoleForm: Sendable {
  /// The hidden field every console form carries.
  static let csrfField = "csrf"

  struct File: Sendable, Equatable {
    var fileName: String
    var data: Data
  }

  private(set) var values: [String: [String]] = [:]
  private(set) var files: [String: File] = [:]

  struct Failure: Error, CustomStringConvertible, Equatable, Sendable {
    var description: String
  }

  init(values: [String: [String]] = [:], files: [String: File] = [:]) {
    self.values = values
    self.files = files
  }

  subscript(_ name: String) -> String? { values[name]?.first }

  /// Parses a body by its `Content-Type`.
  static func parse(body: Data, contentType: String?) throws(Failure) -> ConsoleForm {
    let type = (contentType ?? "").lowercased()
    if type.hasPrefix("multipart/form-data") {
      guard let boundary = parameter("boundary", in: contentType ?? "") else {
        throw Failure(description: "the multipart form has no boundary")
      }
      return try multipart(body, boundary: boundary)
    }
    if type.isEmpty || type.hasPrefix("application/x-www-form-urlencoded") {
      return urlEncoded(String(decoding: body, as: UTF8.self))
    }
    throw Failure(
      description: "a form is sent as urlencoded or multipart/form-data, not \(contentType ?? "")")
  }

  /// `a=1&b=x+y`; also a URL's query string.
  static func urlEncoded(_ text: String) -> ConsoleForm {
    var form = ConsoleForm()
    for pair in text.split(separator: "&") where !pair.isEmpty {
      let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let key = decodeComponent(kv[0])
      let value = kv.count > 1 ? decodeComponent(kv[1]) : ""
      form.values[key, default: []].append(value)
    }
    return form
  }

  static func decodeComponent(_ s: Substring) -> String {
    let spaced = s.replacingOccurrences(of: "+", with: " ")
    return spaced.removingPercentEncoding ?? spaced
  }

  /// `name` in a header such as `multipart/form-data; boundary=XYZ` (quoted or not).
  static func parameter(_ name: String, in header: String) -> String? {
    for part in header.split(separator: ";").dropFirst() {
      let kv = part.split(separator: "=", maxSplits: 1)
      guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
      var value = kv[1].trimmingCharacters(in: .whitespaces)
      if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
        value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
      }
      return value
    }
    return nil
  }

  /// RFC 7578: parts between `--boundary` lines, each with headers, a blank line and its content.
  static func multipart(_ body: Data, boundary: String) throws(Failure) -> ConsoleForm {
    guard !boundary.isEmpty, boundary.utf8.count <= 200 else {
      throw Failure(description: "the multipart form's boundary is empty or too long")
    }
    let delimiter = Data("--\(boundary)".utf8)
    let crlf = Data("\r\n".utf8)
    var form = ConsoleForm()
    guard var start = body.range(of: delimiter)?.upperBound else {
      throw Failure(description: "the multipart form has no part")
    }
    var sawEnd = false
    while start < body.endIndex {
      // After a delimiter: "--" ends the form, CRLF starts a part.
      if body[start...].starts(with: Data("--".utf8)) {
        sawEnd = true
        break
      }
      guard body[start...].starts(with: crlf) else {
        throw Failure(description: "the multipart form is malformed (no line break after a boundary)")
      }
      let partStart = start + crlf.count
      guard let next = body.range(of: crlf + delimiter, in: partStart..<body.endIndex) else {
        throw Failure(description: "the multipart form ends inside a part")
      }
      try form.addPart(body[partStart..<next.lowerBound])
      start = next.upperBound
    }
    guard sawEnd else { throw Failure(description: "the multipart form has no closing boundary") }
    return form
  }

  private mutating func addPart(_ part: Data) throws(Failure) {
    let separator = Data("\r\n\r\n".utf8)
    guard let split = part.range(of: separator) else {
      throw Failure(description: "a part of the multipart form has no blank line after its headers")
    }
    let headers = String(decoding: part[part.startIndex..<split.lowerBound], as: UTF8.self)
    let content = Data(part[split.upperBound...])
    var disposition: String?
    for line in headers.components(separatedBy: "\r\n") {
      let kv = line.split(separator: ":", maxSplits: 1)
      if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-disposition" {
        disposition = String(kv[1])
      }
    }
    guard let disposition, let name = Self.parameter("name", in: disposition) else {
      throw Failure(description: "a part of the multipart form has no field name")
    }
    if let fileName = Self.parameter("filename", in: disposition) {
      files[name] = File(fileName: fileName, data: content)
    } else {
      values[name, default: []].append(String(decoding: content, as: UTF8.self))
    }
  }
}
