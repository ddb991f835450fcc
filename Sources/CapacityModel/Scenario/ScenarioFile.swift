import Foundation

/// Reads a scenario file's text under a size limit that is checked before the
/// file is read whole: a regular file by its size, anything else (a device, a
/// FIFO) by reading at most one byte past the limit. A 1 GB file is refused
/// without taking 1 GB, let alone the several GB its YAML tree would.
public enum ScenarioFile {
  /// 64 MB, or `CAPPLAN_MAX_SCENARIO_MB` (a whole number of MB, 1 to 4096).
  public static var maxBytes: Int {
    if let text = ProcessInfo.processInfo.environment["CAPPLAN_MAX_SCENARIO_MB"], let mb = Int(text),
      (1...4096).contains(mb)
    {
      return mb << 20
    }
    return defaultMaxBytes
  }
  public static let defaultMaxBytes = 64 << 20

  /// The file's text; `label` names it in issues (the path as the user wrote it).
  public static func read(_ path: String, label: String? = nil, maxBytes: Int = maxBytes)
    throws(ScenarioError)
    -> String
  {
    let label = label ?? path
    func fail(_ message: String) -> ScenarioError {
      ScenarioError(issues: [ScenarioIssue(file: label, path: "", line: nil, message: message)])
    }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      throw fail("cannot read the file: \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      throw fail("cannot read the file: \(String(cString: strerror(errno)))")
    }
    if (info.st_mode & S_IFMT) == S_IFDIR { throw fail("this is a folder, not a scenario file") }
    if (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) > maxBytes {
      throw fail(tooLarge(Int(info.st_size), maxBytes))
    }
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw fail("cannot read the file: \(String(cString: strerror(errno)))")
      }
      if n == 0 { break }
      data.append(contentsOf: buffer[0..<n])
      if data.count > maxBytes { throw fail(tooLarge(nil, maxBytes)) }
    }
    guard let text = String(data: data, encoding: .utf8) else { throw fail("the file is not UTF-8 text") }
    return text
  }

  /// Refuses anything but a regular file (or a symlink to one), without opening it: a schedule
  /// re-reads its files unattended, and opening a FIFO with no writer, say, would block the
  /// scheduler and its server's shutdown for good.
  public static func requireRegular(_ path: String) throws(ScenarioError) {
    var info = stat()
    guard stat(path, &info) == 0 else {
      throw ScenarioError(issues: [
        ScenarioIssue(
          file: path, path: "", line: nil,
          message: "cannot read the file: \(String(cString: strerror(errno)))")
      ])
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      let kind = (info.st_mode & S_IFMT) == S_IFDIR ? "a folder" : "not a regular file (a pipe or a device)"
      throw ScenarioError(issues: [
        ScenarioIssue(
          file: path, path: "", line: nil,
          message: "this is \(kind); a schedule reads a plain scenario file at each fire")
      ])
    }
  }

  /// Refuses text (a stored job's) above the limit, as `read` refuses a file.
  public static func check(_ text: String, label: String, maxBytes: Int = maxBytes) throws(ScenarioError) {
    guard text.utf8.count <= maxBytes else {
      throw ScenarioError(issues: [
        ScenarioIssue(file: label, path: "", line: nil, message: tooLarge(text.utf8.count, maxBytes))
      ])
    }
  }

  static func tooLarge(_ size: Int?, _ limit: Int) -> String {
    let what = size.map { "the file is \(megabytes($0))" } ?? "the file is larger than \(megabytes(limit))"
    return "\(what); scenarios are limited to \(megabytes(limit)) (set CAPPLAN_MAX_SCENARIO_MB to change it)"
  }

  static func megabytes(_ bytes: Int) -> String {
    bytes % (1 << 20) == 0 ? "\(bytes >> 20) MB" : String(format: "%.1f MB", Double(bytes) / 1_048_576)
  }
}
