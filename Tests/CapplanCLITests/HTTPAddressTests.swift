import Testing

@testable import capplan

/// `serve --http HOST:PORT` and `healthcheck URL` read host and port with one parser.
@Suite struct HTTPAddressTests {
  @Test func serveAddresses() throws {
    for (text, host, port) in [
      ("127.0.0.1:8080", "127.0.0.1", 8080), ("localhost:0", "localhost", 0), ("[::1]:8080", "::1", 8080),
      ("0.0.0.0:80", "0.0.0.0", 80),
    ] {
      let address = try HTTPAddress(parsing: text)
      #expect(address.host == host && address.port == port, "\(text)")
    }
    #expect(try HTTPAddress(parsing: "[::1]:8080").isLoopback)
    #expect(try !HTTPAddress(parsing: "0.0.0.0:80").isLoopback)
    for (text, why) in [
      ("localhost", "no port"), (":8080", "no host"), ("[::1]", "no port"), ("[::1:8080", "IPv6"),
      ("[::1]x8080", "IPv6"), ("host:99999", "0 to 65535"), ("host:http", "0 to 65535"),
    ] {
      #expect(throws: CommandFailure.self, "\(text)") { try HTTPAddress(parsing: text) }
      do {
        _ = try HTTPAddress(parsing: text)
      } catch {
        #expect(
          error.message.contains(why) && error.message.contains("'\(text)'"), "\(text): \(error.message)")
      }
    }
  }

  @Test func healthCheckURLs() throws {
    for (text, host, port, path) in [
      ("http://127.0.0.1:8080/healthz", "127.0.0.1", "8080", "/healthz"),
      ("http://localhost", "localhost", "80", "/"), ("http://[::1]/readyz", "::1", "80", "/readyz"),
      ("http://[::1]:9000", "::1", "9000", "/"),
    ] {
      let target = try HTTPProbe.Target(text)
      #expect(target.host == host && target.port == port && target.path == path, "\(text)")
    }
    for text in ["https://x/", "http://:80/", "http://x:0/", "http://[::1/", "http://x/a b"] {
      #expect(throws: (any Error).self, "\(text)") { try HTTPProbe.Target(text) }
    }
  }
}
