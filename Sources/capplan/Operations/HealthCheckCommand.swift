import ArgumentParser
import Foundation

/// `capplan healthcheck`: asks a running `serve --http` whether it is alive,
/// for container health checks and systemd, where the runtime image has no
/// curl or wget. Plain HTTP over one socket; no TLS (it checks the local
/// server, not nginx in front of it).
struct HealthCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "healthcheck",
    abstract: "Exit 0 when a capplan server answers 2xx at a URL (default: its /healthz on 127.0.0.1:8080).",
    discussion: """
      For Compose's healthcheck and systemd's ExecStartPost: prints nothing on success; on failure \
      prints why (refused, timed out, the status line) and exits 1. --wait keeps trying until the \
      server answers or the seconds run out, for a server still starting.
      """)

  @Argument(help: ArgumentHelp("An http:// URL.", valueName: "url"))
  var url = "http://127.0.0.1:8080/healthz"

  @Option(help: "Seconds one try may take (connect, send, answer).")
  var timeout: Double = 5

  @Option(help: "Keep trying for up to this many seconds (0: one try).")
  var wait: Double = 0

  func validate() throws {
    guard timeout > 0, timeout <= 300 else {
      throw ValidationError("--timeout must be above 0 and at most 300")
    }
    guard wait >= 0, wait <= 3600 else { throw ValidationError("--wait must be 0 to 3600") }
    _ = try HTTPProbe.Target(url)
  }

  func run() throws {
    let target = try HTTPProbe.Target(url)
    let deadline = Date().addingTimeInterval(wait)
    while true {
      let outcome = HTTPProbe.get(target, timeout: timeout)
      if case .success = outcome { return }
      if Date() >= deadline {
        if case .failure(let why) = outcome { printError("healthcheck \(url): \(why)") }
        throw ExitCode(1)
      }
      Thread.sleep(forTimeInterval: min(1, max(0, deadline.timeIntervalSinceNow)))
    }
  }
}

/// One HTTP/1.0 GET over a plain socket, with a deadline on every step.
enum HTTPProbe {
  struct Target {
    var host: String
    var port: String
    var path: String

    /// http://HOST[:PORT][/PATH]; [::1] for IPv6.
    init(_ text: String) throws(ValidationError) {
      guard text.hasPrefix("http://") else {
        throw ValidationError("'\(text)': only http:// URLs (the check talks to the local server, not TLS)")
      }
      let rest = text.dropFirst("http://".count)
      let authority = rest.prefix { $0 != "/" }
      path = rest.count > authority.count ? String(rest.dropFirst(authority.count)) : "/"
      let split = HTTPAddress.split(authority)
      host = String(split?.host ?? "")
      port = String(split?.port ?? "80")
      guard !host.isEmpty, let number = Int(port), (1...65535).contains(number) else {
        throw ValidationError("'\(text)': write http://HOST:PORT/PATH")
      }
      guard !path.contains(where: { $0 == "\r" || $0 == "\n" || $0 == " " }) else {
        throw ValidationError("'\(text)': the path has a space or a line break")
      }
    }
  }

  enum Outcome {
    case success
    case failure(String)
  }

  static func get(_ target: Target, timeout: Double) -> Outcome {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    let resolved = getaddrinfo(target.host, target.port, &hints, &list)
    guard resolved == 0, let first = list else {
      return .failure("cannot resolve \(target.host): \(String(cString: gai_strerror(resolved)))")
    }
    defer { freeaddrinfo(list) }
    var lastError = "no address"
    var entry: UnsafeMutablePointer<addrinfo>? = first
    while let info = entry {
      entry = info.pointee.ai_next
      let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
      guard fd >= 0 else {
        lastError = String(cString: strerror(errno))
        continue
      }
      defer { close(fd) }
      // Blocking calls, each bounded by the socket timeouts (connect honours SO_SNDTIMEO on Linux).
      var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
      guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
        lastError = "cannot connect to \(target.host):\(target.port): \(String(cString: strerror(errno)))"
        continue
      }
      let hostHeader = target.host.contains(":") ? "[\(target.host)]" : target.host
      let request = Array(
        "GET \(target.path) HTTP/1.0\r\nHost: \(hostHeader):\(target.port)\r\nUser-Agent: capplan-healthcheck\r\nConnection: close\r\n\r\n"
          .utf8)
      let sent = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      guard sent == request.count else {
        return .failure("cannot send the request: \(String(cString: strerror(errno)))")
      }
      // The status line is all that is read: "HTTP/1.1 200 OK".
      var answer: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 512)
      while !answer.contains(UInt8(ascii: "\n")) && answer.count < 4096 {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
          answer += buffer[0..<n]
        } else if n < 0 && errno == EINTR {
          continue
        } else {
          if n < 0 { return .failure("no answer within \(timeout) s: \(String(cString: strerror(errno)))") }
          break
        }
      }
      let statusLine = String(
        decoding: answer.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
      let parts = statusLine.split(separator: " ", maxSplits: 2)
      guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
        return .failure("not an HTTP answer: '\(statusLine.prefix(80))'")
      }
      return (200..<300).contains(status) ? .success : .failure("answered '\(statusLine.prefix(120))'")
    }
    return .failure(lastError)
  }
}
