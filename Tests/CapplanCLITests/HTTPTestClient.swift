import Foundation
import Testing

/// Talking to a real `capplan serve --http` process from tests: curl for the
/// requests (a real client on a real socket), and the address the server printed.
enum HTTPTestClient {
  /// One request; the status and the body. `body` is sent from a file, so any size works.
  static func request(
    _ url: String, method: String = "GET", token: String?, body: Data? = nil, headers: [String] = []
  ) throws -> (status: Int, body: String) {
    var args = ["-s", "-o", "-", "-w", "\n%{http_code}", "-X", method, url]
    if let token { args += ["-H", "Authorization: Bearer \(token)"] }
    for h in headers { args += ["-H", h] }
    if let body {
      let file = try CLI.temporaryDirectory().appendingPathComponent("body")
      try body.write(to: file)
      args += ["--data-binary", "@\(file.path)"]
    }
    let curl = Process()
    curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    curl.arguments = args
    let out = Pipe()
    curl.standardOutput = out
    try curl.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    curl.waitUntilExit()
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
  }

  /// The server's base URL, from its `listening on` line (waits up to 20 s).
  static func address(of serve: Background) throws -> String {
    for _ in 0..<400 {
      if let range = serve.output.range(
        of: #"listening on http://127\.0\.0\.1:\d+"#, options: .regularExpression)
      {
        return String(serve.output[range].dropFirst("listening on ".count))
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
    Issue.record("no listening line: \(serve.output)")
    throw CancellationError()
  }
}
