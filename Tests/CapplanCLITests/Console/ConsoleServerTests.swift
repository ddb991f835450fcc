import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The console mounted in a real `capplan serve --http` process: redirects to sign-in, the
/// cookie's attributes, signing in with a token made by `capplan tokens create`, a page as that
/// token, and a body over the limit answered 413. (scripts/console-check drives it in Chromium.)
@Suite(.serialized) struct ConsoleServerTests {
  struct Answer {
    var status: Int
    var headers: [String: String]
    var body: String
  }

  /// One HTTP/1.1 exchange over a fresh connection (`Connection: close`): what a browser sends,
  /// with no redirect followed and no cookie kept but the ones given.
  static func exchange(
    port: UInt16, _ method: String, _ target: String, headers: [String: String] = [:], body: Data = Data(),
    declaredLength: Int? = nil
  ) throws -> Answer {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    head += "Content-Length: \(declaredLength ?? body.count)\r\n"
    for (k, v) in headers { head += "\(k): \(v)\r\n" }
    let request = Data((head + "\r\n").utf8) + body
    _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    var response = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = recv(fd, &buffer, buffer.count, 0)
      if n <= 0 { break }
      response.append(contentsOf: buffer[0..<n])
    }
    let text = String(decoding: response, as: UTF8.self)
    let split = text.range(of: "\r\n\r\n")
    let lines = text[..<(split?.lowerBound ?? text.endIndex)].components(separatedBy: "\r\n")
    let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
    var fields: [String: String] = [:]
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
        in: .whitespaces)
    }
    return Answer(status: status, headers: fields, body: split.map { String(text[$0.upperBound...]) } ?? "")
  }

  @Test func theConsoleSignsInWithATokenInARealServer() throws {
    let q = try QueueFixture()
    let made = try CLI.run(["tokens", "create", "--name", "planner", "--role", "read", "--db", q.db])
    #expect(made.status == 0, "\(made.stderr)")
    let secret = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let server = try Background(
      [
        "serve", "--http", "127.0.0.1:0", "--db", q.db, "--no-worker", "--no-scheduler", "--max-body-mb", "1",
      ],
      log: q.dir.appendingPathComponent("serve.log"))
    defer {
      server.signal(SIGTERM)
      server.wait(seconds: 20)
    }
    var port: UInt16?
    _ = q.until(60) {
      port = server.output.firstMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)/).flatMap {
        UInt16($0.output.1)
      }
      return port != nil
    }
    let p = try #require(port, "no address: \(server.output)")
    #expect(server.output.contains("web console at /console; session secret: random for this process"))

    let away = try Self.exchange(port: p, "GET", "/console/plans")
    #expect(away.status == 303 && away.headers["location"] == "/console/sign-in?next=%2Fconsole%2Fplans")

    let page = try Self.exchange(port: p, "GET", "/console/sign-in")
    #expect(page.status == 200 && page.headers["content-type"] == "text/html; charset=utf-8")
    let setCookie = try #require(page.headers["set-cookie"])
    #expect(
      setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict")
        && setCookie.contains("Path=/console"))
    let pageCookie = String(setCookie.split(separator: ";")[0])
    let csrf = try #require(page.body.firstMatch(of: /name="csrf" value="([^"]+)"/)).output.1

    let form = "csrf=\(csrf)&token=\(secret)&next=%2Fconsole%2Fplans"
    let signedIn = try Self.exchange(
      port: p, "POST", "/console/sign-in",
      headers: ["Cookie": pageCookie, "Content-Type": "application/x-www-form-urlencoded"],
      body: Data(form.utf8))
    #expect(signedIn.status == 303 && signedIn.headers["location"] == "/console/plans", "\(signedIn.body)")
    let cookie = String(try #require(signedIn.headers["set-cookie"]).split(separator: ";")[0])
    #expect(cookie != pageCookie && !cookie.contains(secret))
    let payload = try ConsoleSessionTests.payload(ofCookie: cookie)
    #expect(payload.contains("\"tid\"") && !payload.contains(secret), "the decoded payload: \(payload)")

    let plans = try Self.exchange(port: p, "GET", "/console/plans", headers: ["Cookie": cookie])
    #expect(
      plans.status == 200 && plans.body.contains("planner (read)") && plans.body.contains("No plan matches."))
    // A read token may not submit, even with its session's CSRF token.
    let sessionCSRF = try #require(plans.body.firstMatch(of: /name="csrf" value="([^"]+)"/)).output.1
    #expect(sessionCSRF != csrf)
    let refused = try Self.exchange(
      port: p, "POST", "/console/submit",
      headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"],
      body: Data("csrf=\(sessionCSRF)".utf8))
    #expect(refused.status == 403 && refused.body.contains("needs a token with the role submit"))
    // 100 MB declared: refused before it is read, and the server stays up.
    let huge = try Self.exchange(
      port: p, "POST", "/console/submit",
      headers: ["Cookie": cookie, "Content-Type": "multipart/form-data; boundary=x"],
      declaredLength: 100 << 20)
    #expect(huge.status == 413)
    #expect(try Self.exchange(port: p, "GET", "/console", headers: ["Cookie": cookie]).status == 200)
  }
}
