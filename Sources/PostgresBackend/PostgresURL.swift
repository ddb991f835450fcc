import Foundation
import JobQueue
import NIOSSL
import PostgresNIO

/// A `postgres://` or `postgresql://` URL, read the way libpq reads one:
/// `postgres://user:password@host:port/database?sslmode=require`. A `host`
/// parameter that starts with `/` names the folder of a Unix socket.
/// Missing parts come from PGUSER, PGPASSWORD, PGHOST, PGPORT and PGDATABASE,
/// then from libpq's defaults (localhost, 5432, the user's own name).
public struct PostgresURL: Sendable, Equatable {
  public enum SSLMode: String, Sendable, CaseIterable {
    case disable, allow, prefer, require
    case verifyCA = "verify-ca"
    case verifyFull = "verify-full"
  }

  public var user: String
  public var password: String?
  public var host: String
  public var port: Int
  public var database: String
  public var socketFolder: String?
  public var sslMode: SSLMode
  public var connectTimeout: Double

  public static func isPostgres(_ text: String) -> Bool {
    text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
  }

  public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment)
    throws(StoreError)
  {
    func bad(_ why: String) -> StoreError {
      StoreError(.invalid, "cannot read the database URL \(Self.redacting(text)): \(why)")
    }
    guard Self.isPostgres(text), let parts = URLComponents(string: text) else {
      throw bad("expected postgres://user:password@host:port/database")
    }
    let env = { (name: String) -> String? in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
    // URLComponents hands these over percent-decoded already.
    user = parts.user ?? env("PGUSER") ?? NSUserName()
    password = parts.password ?? env("PGPASSWORD")
    host = parts.host.flatMap { $0.isEmpty ? nil : $0 } ?? env("PGHOST") ?? "localhost"
    if let p = parts.port {
      port = p
    } else if let p = env("PGPORT") {
      guard let n = Int(p) else { throw bad("PGPORT '\(p)' is not a port number") }
      port = n
    } else {
      port = 5432
    }
    let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
    database = path.isEmpty ? (env("PGDATABASE") ?? user) : path
    sslMode = .prefer
    connectTimeout = 10
    socketFolder = host.hasPrefix("/") ? host : nil
    for item in parts.queryItems ?? [] {
      let value = item.value ?? ""
      switch item.name {
      case "sslmode":
        guard let mode = SSLMode(rawValue: value) else {
          throw bad(
            "sslmode '\(value)' is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        sslMode = mode
      case "host":
        if value.hasPrefix("/") { socketFolder = value } else { host = value }
      case "port":
        guard let n = Int(value) else { throw bad("port '\(value)' is not a number") }
        port = n
      case "user": user = value
      case "password": password = value
      case "dbname": database = value
      case "connect_timeout":
        guard let s = Double(value), s > 0, s <= 86400 else {
          throw bad("connect_timeout '\(value)' is out of range: give more than 0 and at most 86400 seconds")
        }
        connectTimeout = s
      case "application_name": break
      default:
        throw bad(
          "unknown parameter '\(item.name)' (known: sslmode, host, port, user, password, dbname, "
            + "connect_timeout, application_name)")
      }
    }
    guard (1...65535).contains(port) else { throw bad("port \(port) is out of range") }
    if socketFolder != nil, sslMode == .require || sslMode == .verifyCA || sslMode == .verifyFull {
      throw bad("sslmode \(sslMode.rawValue) cannot be used over a Unix socket")
    }
  }

  /// The URL without its password, for messages and logs.
  public var redacted: String {
    let where_ = socketFolder.map { "?host=\($0)" } ?? ""
    let at = socketFolder == nil ? "\(host):\(port)" : ""
    return "postgres://\(user)@\(at)/\(database)\(where_)"
  }

  static func redacting(_ text: String) -> String {
    guard var parts = URLComponents(string: text) else {
      // Unreadable as a URL: hide everything before the host.
      return text.replacingOccurrences(of: "://[^@/]*@", with: "://***@", options: .regularExpression)
    }
    if parts.password != nil { parts.password = "***" }
    parts.queryItems = parts.queryItems?.map {
      $0.name == "password" ? URLQueryItem(name: "password", value: "***") : $0
    }
    return parts.string ?? text
  }

  func configuration() throws(StoreError) -> PostgresConnection.Configuration {
    var config: PostgresConnection.Configuration
    if let socketFolder {
      config = .init(
        unixSocketPath: socketFolder + "/.s.PGSQL.\(port)", username: user, password: password,
        database: database)
    } else {
      let tls: PostgresConnection.Configuration.TLS
      do {
        switch sslMode {
        case .disable: tls = .disable
        case .allow, .prefer: tls = .prefer(try Self.tlsContext(verify: false))
        case .require: tls = .require(try Self.tlsContext(verify: false))
        case .verifyCA, .verifyFull: tls = .require(try Self.tlsContext(verify: true))
        }
      } catch {
        throw StoreError(.database, "cannot set up TLS for \(redacted): \(error)")
      }
      config = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
    }
    config.options.connectTimeout = .milliseconds(Int64(min(max(connectTimeout, 0.001), 86400) * 1000))
    return config
  }

  /// libpq's prefer and require encrypt without checking the certificate;
  /// verify-ca and verify-full check it against the system's roots.
  static func tlsContext(verify: Bool) throws -> NIOSSLContext {
    var tls = TLSConfiguration.makeClientConfiguration()
    tls.certificateVerification = verify ? .fullVerification : .none
    return try NIOSSLContext(configuration: tls)
  }
}
