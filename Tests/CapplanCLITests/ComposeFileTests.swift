import Foundation
import Testing
import Yams

@testable import capplan

/// Deploy/compose.yaml, checked for what an operator relies on. No container engine runs on the
/// development machines or in CI, so the file is read here (YAML merge keys applied, `${VAR:-default}`
/// taken at its default), not started.
@Suite struct ComposeFileTests {
  static let deploy = CLI.packageRoot.appendingPathComponent("Deploy")
  static let serveServices = ["serve-a", "serve-b"]

  /// Two serve instances, the one-shot migration and PostgreSQL 15 on a named volume, its port
  /// unpublished.
  @Test func servicesAndDatabase() throws {
    let file = try ComposeFile.load()
    #expect(file.top["version"] == nil, "the Compose spec has no version key")
    for name in Self.serveServices + ["migrate", "postgres"] { _ = try file.service(name) }
    let postgres = try file.service("postgres")
    let image = try #require(postgres["image"] as? String)
    #expect(image == "postgres:15" || image.hasPrefix("postgres:15."), "\(image)")
    #expect(postgres["ports"] == nil, "the database port is published")
    let data = try #require(ComposeFile.mounts(postgres).first { $0.target == "/var/lib/postgresql/data" })
    #expect(data.type == "volume")
    let volumes = try #require(file.top["volumes"] as? [String: Any])
    #expect(volumes.keys.contains(data.source), "\(data.source) is not a named volume")
    let check = try #require(postgres["healthcheck"] as? [String: Any])
    #expect(ComposeFile.words(check["test"]).contains("pg_isready"))
    #expect(check["disable"] as? Bool != true)
  }

  /// Every capplan container uses one CAPPLAN_DB: host `postgres`, with the user, password and
  /// database that the postgres service creates.
  @Test func oneDatabaseForEveryInstance() throws {
    let file = try ComposeFile.load()
    let urls = try (Self.serveServices + ["migrate"]).map {
      try #require(ComposeFile.environment(try file.service($0))["CAPPLAN_DB"], "\($0) has no CAPPLAN_DB")
    }
    #expect(Set(urls).count == 1, "\(urls)")
    let url = try #require(URLComponents(string: ComposeFile.interpolated(urls[0])), "\(urls[0])")
    #expect(url.scheme == "postgres" || url.scheme == "postgresql")
    #expect(url.host == "postgres")
    #expect(url.port == nil || url.port == 5432)
    let db = ComposeFile.environment(try file.service("postgres"))
    let user = db["POSTGRES_USER"] ?? "postgres"
    #expect(url.user == user)
    #expect(url.password == db["POSTGRES_PASSWORD"].map(ComposeFile.interpolated))
    #expect(url.path == "/" + (db["POSTGRES_DB"] ?? user))
  }

  /// The serve instances start only once postgres is healthy and `capplan migrate` has succeeded.
  @Test func serveWaitsForHealthyDatabaseAndMigration() throws {
    let file = try ComposeFile.load()
    for name in Self.serveServices {
      let deps = try ComposeFile.dependsOn(try file.service(name))
      #expect(deps["postgres"] == "service_healthy", "\(name): \(deps)")
      #expect(deps["migrate"] == "service_completed_successfully", "\(name): \(deps)")
    }
    let migrate = try file.service("migrate")
    #expect(try ComposeFile.dependsOn(migrate)["postgres"] == "service_healthy")
    let restart = migrate["restart"] as? String ?? "no"
    #expect(restart == "no" || restart == "on-failure", "a one-shot service restarts with \(restart)")
    let line = try ComposeFile.commandLine(migrate)
    #expect(line.first.map { URL(fileURLWithPath: $0).lastPathComponent } == "capplan", "\(line)")
    #expect(Array(line.dropFirst()) == ["migrate"], "\(line)")
    for name in Self.serveServices {
      let serve = try ComposeFile.commandLine(try file.service(name))
      #expect(serve.first.map { URL(fileURLWithPath: $0).lastPathComponent } == "capplan", "\(serve)")
      #expect(serve.dropFirst().first == "serve", "\(name): \(serve)")
    }
  }

  /// serve-a, serve-b and migrate run one image, built from Deploy/Containerfile with the
  /// repository as its context.
  @Test func oneImageFromTheContainerfile() throws {
    let file = try ComposeFile.load()
    let names = Self.serveServices + ["migrate"]
    let images = try names.map {
      try #require(try file.service($0)["image"] as? String, "\($0) names no image")
    }
    #expect(Set(images).count == 1, "\(images)")
    let builders = try names.filter { try file.service($0)["build"] != nil }
    #expect(!builders.isEmpty, "no service builds the image")
    for name in builders {
      let build = try #require(try file.service(name)["build"] as? [String: Any], "\(name): build")
      let context = Self.deploy.appendingPathComponent(try #require(build["context"] as? String))
      #expect(ComposeFile.samePath(context, CLI.packageRoot), "\(name): context \(context.path)")
      #expect(build["dockerfile"] as? String == "Deploy/Containerfile", "\(name)")
    }
  }

  /// Schedules store scenario file paths: every serve instance mounts the same files, read-only, at
  /// the same path. The default source exists (a missing bind source fails `up`).
  @Test func sameScenarioMountEverywhere() throws {
    let file = try ComposeFile.load()
    let mounts = try Self.serveServices.map { ComposeFile.mounts(try file.service($0)) }
    #expect(mounts.allSatisfy { $0 == mounts[0] }, "\(mounts)")
    let scenarios = try #require(mounts[0].first { $0.type == "bind" }, "no scenario bind mount")
    #expect(scenarios.readOnly)
    #expect(scenarios.target.hasPrefix("/"))
    let source = Self.deploy.appendingPathComponent(ComposeFile.interpolated(scenarios.source))
    var isDirectory: ObjCBool = false
    #expect(FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory))
    #expect(isDirectory.boolValue, "\(source.path)")
  }

  /// Stopping drains as under systemd: SIGTERM, and at least TimeoutStopSec for running solves.
  @Test func stopLetsRunningSolvesFinish() throws {
    let file = try ComposeFile.load()
    let unit = try String(
      contentsOf: Self.deploy.appendingPathComponent("capplan.service"), encoding: .utf8)
    let timeout = try #require(
      unit.split(separator: "\n").first { $0.hasPrefix("TimeoutStopSec=") }.flatMap {
        ComposeFile.seconds(String($0.dropFirst("TimeoutStopSec=".count)))
      }, "no TimeoutStopSec in capplan.service")
    for name in Self.serveServices {
      let serve = try file.service(name)
      let grace = try #require(ComposeFile.seconds(serve["stop_grace_period"]), "\(name): stop_grace_period")
      #expect(grace >= timeout, "\(name): \(grace) s < TimeoutStopSec \(timeout) s")
      #expect(serve["stop_signal"] as? String == "SIGTERM", "\(name)")
      #expect(serve["restart"] as? String == "unless-stopped", "\(name)")
    }
  }
}

/// The HTTP side of the deploy files: the port, the health checks and nginx in front.
extension ComposeFileTests {
  static func text(_ name: String) throws -> String {
    try String(contentsOf: deploy.appendingPathComponent(name), encoding: .utf8)
  }

  /// `NAME=value` lines of capplan.env.
  static func unitEnvironment() throws -> [String: String] {
    var env: [String: String] = [:]
    for line in try text("capplan.env").split(separator: "\n") where !line.hasPrefix("#") {
      let parts = line.split(separator: "=", maxSplits: 1)
      if parts.count == 2 { env[String(parts[0])] = String(parts[1]) }
    }
    return env
  }

  /// Each serve instance serves HTTP on one container port, published on the host's loopback
  /// only (distinct host ports), and its health check asks /healthz on that port.
  @Test func serveInstancesPublishHTTPOnLoopbackWithAHealthCheck() throws {
    let file = try ComposeFile.load()
    var hostPorts: [String] = []
    for name in Self.serveServices {
      let serve = try file.service(name)
      let line = try ComposeFile.commandLine(serve).map(ComposeFile.interpolated)
      let http = try #require(line.firstIndex(of: "--http").map { line[$0 + 1] }, "\(name): no --http")
      let port = try #require(http.split(separator: ":").last.map(String.init))
      #expect(http == "0.0.0.0:\(port)", "\(name): \(http) is not reachable from the host")
      #expect(line.contains("--log-format") && line.contains("json"), "\(name): \(line)")
      let ports = ComposeFile.words(serve["ports"])
      #expect(ports.count == 1, "\(name): \(ports)")
      let parts = try #require(ports.first).split(separator: ":").map(String.init)
      #expect(parts.count == 3 && parts[0] == "127.0.0.1" && parts[2] == port, "\(name): \(ports)")
      hostPorts.append(parts.count > 1 ? parts[1] : "")
      let check = try #require(serve["healthcheck"] as? [String: Any], "\(name): no healthcheck")
      let test = ComposeFile.words(check["test"])
      #expect(Array(test.prefix(3)) == ["CMD", "capplan", "healthcheck"], "\(test)")
      #expect(test.contains("http://127.0.0.1:\(port)/healthz"), "\(test)")
      #expect(ComposeFile.seconds(check["interval"]) != nil && ComposeFile.seconds(check["timeout"]) != nil)
    }
    #expect(Set(hostPorts).count == hostPorts.count, "\(hostPorts)")
    // The check is the image's own binary: the command exists and takes these arguments.
    let help = try CLI.run(["healthcheck", "--help"])
    #expect(help.status == 0 && help.stdout.contains("--timeout"), "\(help.stderr)")
  }

  /// The unit serves on CAPPLAN_HTTP, a loopback address, and waits for /healthz when starting.
  @Test func unitServesHTTPOnLoopback() throws {
    let unit = try Self.text("capplan.service")
    let exec = try #require(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
    #expect(exec.contains("--http ${CAPPLAN_HTTP}"), "\(exec)")
    let post = try #require(unit.split(separator: "\n").first { $0.hasPrefix("ExecStartPost=") })
    #expect(post.contains("healthcheck http://${CAPPLAN_HTTP}/healthz"), "\(post)")
    let address = try #require(try Self.unitEnvironment()["CAPPLAN_HTTP"])
    #expect(address.hasPrefix("127."), "\(address)")
    let check = try Self.text("capplan-healthcheck.service")
    #expect(check.contains("healthcheck \"http://$CAPPLAN_HTTP/healthz\""))
    #expect(try Self.text("capplan-healthcheck.timer").contains("OnUnitActiveSec="))
  }

  /// nginx proxies to the ports capplan serves on, refuses bodies above the server's own limit,
  /// waits long enough for reports, and keeps the token-free /metrics off the public side.
  @Test func nginxMatchesTheServer() throws {
    let conf = try Self.text("nginx-capplan.conf")
    let lines = conf.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    func values(_ directive: String) -> [String] {
      lines.compactMap { line -> String? in
        let live = line.hasPrefix("# ") ? String(line.dropFirst(2)) : line
        guard live.hasPrefix(directive + " "), live.hasSuffix(";") else { return nil }
        return String(live.dropFirst(directive.count + 1).dropLast())
      }
    }
    let upstreams = values("server")
    #expect(upstreams.contains(try #require(try Self.unitEnvironment()["CAPPLAN_HTTP"])), "\(upstreams)")
    let file = try ComposeFile.load()
    for name in Self.serveServices {
      let published = try #require(ComposeFile.words(try file.service(name)["ports"]).first)
      let hostSide = published.split(separator: ":").prefix(2).joined(separator: ":")
      #expect(upstreams.contains(hostSide), "\(name) at \(hostSide) is not an upstream: \(upstreams)")
    }
    let limit = try #require(values("client_max_body_size").first)
    #expect(limit == "\(APIServer.defaultMaxBodyBytes / (1024 * 1024))m", "\(limit)")
    let read = try #require(values("proxy_read_timeout").first.flatMap { ComposeFile.seconds($0) })
    #expect(read >= 300)
    #expect(lines.contains("listen 443 ssl;"))
    let metrics = try #require(conf.range(of: "location = /metrics {"))
    let block = conf[metrics.upperBound...].prefix { $0 != "}" }
    #expect(block.contains("deny all;"), "\(block)")
  }
}

/// Just enough of Compose's reading of a file for the checks above.
struct ComposeFile {
  var top: [String: Any]

  static func load() throws -> ComposeFile {
    let text = try String(
      contentsOf: ComposeFileTests.deploy.appendingPathComponent("compose.yaml"), encoding: .utf8)
    return ComposeFile(top: try #require(try Yams.load(yaml: text) as? [String: Any]))
  }

  func service(_ name: String) throws -> [String: Any] {
    let services = try #require(top["services"] as? [String: Any], "no services")
    return try #require(services[name] as? [String: Any], "no service \(name)")
  }

  /// `environment:` as a mapping or a list of NAME=value.
  static func environment(_ service: [String: Any]) -> [String: String] {
    if let map = service["environment"] as? [String: Any] {
      return map.mapValues { "\($0)" }
    }
    var env: [String: String] = [:]
    for item in service["environment"] as? [Any] ?? [] {
      let parts = "\(item)".split(separator: "=", maxSplits: 1)
      env[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
    }
    return env
  }

  /// `depends_on:` in the long form: service name to condition.
  static func dependsOn(_ service: [String: Any]) throws -> [String: String] {
    let deps = try #require(service["depends_on"] as? [String: Any], "depends_on without conditions")
    return deps.compactMapValues { ($0 as? [String: Any])?["condition"] as? String }
  }

  /// A command given as a list, or as a string split on spaces.
  static func words(_ value: Any?) -> [String] {
    if let list = value as? [Any] { return list.map { "\($0)" } }
    if let text = value as? String { return text.split(separator: " ").map(String.init) }
    return []
  }

  /// The entrypoint and command a container runs: the service's, else the Containerfile's.
  static func commandLine(_ service: [String: Any]) throws -> [String] {
    let containerfile = try String(
      contentsOf: ComposeFileTests.deploy.appendingPathComponent("Containerfile"), encoding: .utf8)
    func instruction(_ name: String) throws -> [String] {
      // The last one is the final stage's (the build stage sets neither).
      guard let line = containerfile.split(separator: "\n").last(where: { $0.hasPrefix(name + " ") })
      else { return [] }
      let json = Data(line.dropFirst(name.count + 1).utf8)
      return try #require(try JSONSerialization.jsonObject(with: json) as? [String], "\(line)")
    }
    let entrypoint =
      try service["entrypoint"] != nil ? words(service["entrypoint"]) : instruction("ENTRYPOINT")
    let command = try service["command"] != nil ? words(service["command"]) : instruction("CMD")
    return entrypoint + command
  }

  struct Mount: Equatable, CustomStringConvertible {
    var type: String
    var source: String
    var target: String
    var readOnly: Bool
    var description: String { "\(type) \(source):\(target)\(readOnly ? ":ro" : "")" }
  }

  /// `volumes:` entries in the short (source:target[:ro]) or the long form.
  static func mounts(_ service: [String: Any]) -> [Mount] {
    (service["volumes"] as? [Any] ?? []).map { (entry: Any) -> Mount in
      if let long = entry as? [String: Any] {
        return Mount(
          type: long["type"] as? String ?? "volume", source: long["source"] as? String ?? "",
          target: long["target"] as? String ?? "", readOnly: long["read_only"] as? Bool ?? false)
      }
      let parts = interpolated("\(entry)").split(separator: ":").map(String.init)
      let source = parts.count > 1 ? parts[0] : ""
      let isPath = source.hasPrefix("/") || source.hasPrefix(".") || source.hasPrefix("~")
      return Mount(
        type: isPath ? "bind" : "volume", source: source, target: parts.count > 1 ? parts[1] : parts[0],
        readOnly: parts.count > 2 && parts[2].split(separator: ",").contains("ro"))
    }
  }

  /// `${NAME:-default}` and `${NAME-default}` as Compose reads them with NAME unset; `$$` is `$`.
  static func interpolated(_ text: String) -> String {
    var out = ""
    var rest = Substring(text)
    while let dollar = rest.firstIndex(of: "$") {
      out += rest[..<dollar]
      let after = rest[rest.index(after: dollar)...]
      if after.hasPrefix("$") {
        out += "$"
        rest = after.dropFirst()
      } else if after.hasPrefix("{"), let close = after.firstIndex(of: "}") {
        let body = after[after.index(after: after.startIndex)..<close]
        if let dash = body.range(of: ":-") ?? body.range(of: "-") { out += body[dash.upperBound...] }
        rest = after[after.index(after: close)...]
      } else {
        out += "$"
        rest = after
      }
    }
    return out + rest
  }

  /// A duration in seconds: Compose's `1m30s`, `15m`, `900s`, systemd's `900` or `15min`.
  static func seconds(_ value: Any?) -> Double? {
    if let n = value as? Int { return Double(n) }
    guard let text = value as? String else { return nil }
    var rest = Substring(text.filter { !$0.isWhitespace })
    if rest.isEmpty { return nil }
    let scale: [String: Double] = [
      "": 1, "us": 1e-6, "ms": 1e-3, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600,
    ]
    var total = 0.0
    while !rest.isEmpty {
      let number = rest.prefix { $0.isNumber || $0 == "." }
      rest = rest.dropFirst(number.count)
      let unit = rest.prefix { $0.isLetter }
      rest = rest.dropFirst(unit.count)
      guard let value = Double(number), let factor = scale[String(unit)] else { return nil }
      total += value * factor
    }
    return total
  }

  static func samePath(_ a: URL, _ b: URL) -> Bool {
    func clean(_ url: URL) -> String {
      let path = url.standardizedFileURL.resolvingSymlinksInPath().path
      return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
    return clean(a) == clean(b)
  }
}
