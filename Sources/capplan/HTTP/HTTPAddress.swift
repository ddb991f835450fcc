import NIOCore

/// `--http HOST:PORT`, parsed, and the loopback rule.
struct HTTPAddress: Sendable, Equatable {
  var host: String
  var port: Int

  /// "127.0.0.1:8080", "localhost:0", "[::1]:8080", "0.0.0.0:80".
  init(parsing text: String) throws(CommandFailure) {
    func bad(_ why: String) -> CommandFailure {
      CommandFailure(
        message: "--http '\(text)': \(why); write HOST:PORT, e.g. 127.0.0.1:8080", outcome: .invalidInput)
    }
    guard let (host, portText) = Self.split(Substring(text)) else {
      throw bad("an IPv6 address needs [ADDRESS]:PORT")
    }
    guard let portText else { throw bad("no port") }
    guard !host.isEmpty else { throw bad("no host") }
    guard let port = Int(portText), (0...65535).contains(port) else {
      throw bad("the port must be 0 to 65535")
    }
    self.host = String(host)
    self.port = port
  }

  /// HOST[:PORT] or [IPV6][:PORT] into its host and port text (nil when absent); nil for an
  /// unclosed bracket or text after one other than :PORT. `serve --http` and `healthcheck` share it.
  static func split(_ authority: Substring) -> (host: Substring, port: Substring?)? {
    if authority.hasPrefix("[") {
      guard let close = authority.firstIndex(of: "]") else { return nil }
      let host = authority[authority.index(after: authority.startIndex)..<close]
      let after = authority[authority.index(after: close)...]
      if after.isEmpty { return (host, nil) }
      guard after.hasPrefix(":") else { return nil }
      return (host, after.dropFirst())
    }
    guard let colon = authority.lastIndex(of: ":") else { return (authority, nil) }
    return (authority[..<colon], authority[authority.index(after: colon)...])
  }

  /// Only this machine can connect: 127.0.0.0/8, ::1 or localhost.
  var isLoopback: Bool {
    host == "localhost" || host == "::1" || host.hasPrefix("127.")
  }

  static func url(of address: SocketAddress) -> String {
    let ip = address.ipAddress ?? "?"
    let host = ip.contains(":") ? "[\(ip)]" : ip
    return "http://\(host):\(address.port ?? 0)"
  }
}
