import Foundation
import Testing

/// Clients that frame requests wrongly or stall: a real `serve --http` answers a malformed body
/// with a 400 problem (not a 500) and closes connections that go quiet, then serves others.
@Suite struct HTTPHostileClientTests {
  /// One TCP connection: sends `bytes`, then reads until the server closes it or `seconds` pass.
  /// Returns what arrived and whether the server closed the connection.
  static func exchange(port: Int, _ bytes: String, seconds: Int) -> (reply: String, closed: Bool) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return ("", false) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { return ("", false) }
    var timeout = timeval(tv_sec: 1, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    _ = Array(bytes.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    var reply = Data()
    var buffer = [UInt8](repeating: 0, count: 4096)
    let deadline = Date().addingTimeInterval(Double(seconds))
    while Date() < deadline {
      let n = recv(fd, &buffer, buffer.count, 0)
      if n == 0 { return (String(decoding: reply, as: UTF8.self), true) }
      if n > 0 { reply.append(contentsOf: buffer[0..<n]) }
    }
    return (String(decoding: reply, as: UTF8.self), false)
  }

  @Test func malformedBodiesAre400AndStalledConnectionsAreClosed() throws {
    let dir = try CLI.temporaryDirectory()
    let db = dir.appendingPathComponent("serve.sqlite").path
    let token = try CLI.run(["tokens", "create", "--name", "t", "--role", "admin", "--db", db]).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let serve = try Background(
      [
        "serve", "--http", "127.0.0.1:0", "--no-worker", "--no-scheduler", "--idle-timeout", "1", "--db", db,
      ],
      log: dir.appendingPathComponent("serve.log"))
    defer {
      serve.signal(SIGTERM)
      serve.wait(seconds: 30)
    }
    let url = try HTTPTestClient.address(of: serve)
    let port = try #require(Int(url.split(separator: ":").last ?? ""))
    let head = "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n"
    for body in [
      "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
      "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nabc\r\n0\r\n\r\n",
    ] {
      let (reply, _) = Self.exchange(port: port, head + body, seconds: 5)
      #expect(reply.hasPrefix("HTTP/1.1 400"), "\(body): \(reply)")
      #expect(reply.contains("application/problem+json") && reply.contains("malformed"), "\(reply)")
    }
    // Half a header, then nothing: closed after the idle timeout (1 s here), not held open.
    let stalled = Self.exchange(port: port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-a: ", seconds: 10)
    #expect(stalled.closed, "a stalled header was held open: \(stalled.reply)")
    // A body short of its length, then nothing: closed too.
    let short = Self.exchange(port: port, head + "Content-Length: 100\r\n\r\nabc", seconds: 10)
    #expect(short.closed, "a short body was held open: \(short.reply)")
    #expect(try HTTPTestClient.request(url + "/healthz", token: nil).status == 200)
    #expect(!serve.output.contains("Internal Server Error"), "\(serve.output)")
  }
}
