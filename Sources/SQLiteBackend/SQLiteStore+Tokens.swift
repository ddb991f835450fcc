import Foundation
import GRDB
import JobQueue

extension SQLiteStore {
  static func registerTokenMigration(_ m: inout DatabaseMigrator) {
    m.registerMigration(APIToken.migrationName) { db in
      try db.execute(
        sql: """
          CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('read', 'submit', 'admin')),
            secret_sha256 TEXT NOT NULL UNIQUE,
            created_at REAL NOT NULL,
            last_used_at REAL,
            revoked_at REAL
          );
          """)
    }
  }

  static func token(from row: Row) throws -> APIToken {
    let id: Int64 = row["id"]
    let roleText: String = row["role"]
    guard let role = APIRole(rawValue: roleText) else {
      throw StoreError(.database, "API token \(id) has an unknown role '\(roleText)'")
    }
    let lastUsed: Double? = row["last_used_at"]
    let revoked: Double? = row["revoked_at"]
    return APIToken(
      id: id, name: row["name"], role: role, createdAt: Date(unix: row["created_at"]),
      lastUsedAt: lastUsed.map(Date.init(unix:)), revokedAt: revoked.map(Date.init(unix:)))
  }

  public func createToken(name: String, role: APIRole, secretSHA256: String, now: Date) throws(StoreError)
    -> APIToken
  {
    let name = try APITokenSecret.validatedName(name)
    return try writeImmediate { db in
      try db.execute(
        sql: "INSERT INTO api_tokens (name, role, secret_sha256, created_at) VALUES (?, ?, ?, ?)",
        arguments: [name, role.rawValue, secretSHA256, now.unix])
      return APIToken(id: db.lastInsertedRowID, name: name, role: role, createdAt: now)
    }
  }

  public func tokens() throws(StoreError) -> [APIToken] { try exportTokens().map(\.token) }

  public func token(_ id: Int64) throws(StoreError) -> APIToken? {
    try read { db in try Self.token(id, in: db) }
  }

  static func token(_ id: Int64, in db: Database) throws -> APIToken? {
    try Row.fetchOne(db, sql: "SELECT * FROM api_tokens WHERE id = ?", arguments: [id]).map(Self.token(from:))
  }

  public func revokeToken(_ id: Int64, now: Date) throws(StoreError) -> APIToken {
    try writeImmediate { db in
      try db.execute(
        sql: "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
        arguments: [now.unix, id])
      guard let token = try Self.token(id, in: db) else { throw StoreError(.notFound, "no API token \(id)") }
      return token
    }
  }

  public func authenticate(secretSHA256: String, now: Date) throws(StoreError) -> APIToken? {
    let found = try read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM api_tokens WHERE secret_sha256 = ?", arguments: [secretSHA256])
        .map(Self.token(from:))
    }
    guard var token = found, !token.isRevoked else { return found }
    if (token.lastUsedAt.map { now.timeIntervalSince($0) } ?? .infinity) >= APIToken.lastUsedResolution {
      try writeImmediate { db in
        try db.execute(
          sql: "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", arguments: [now.unix, token.id])
      }
      token.lastUsedAt = now
    }
    return token
  }

  public func exportTokens() throws(StoreError) -> [StoredAPIToken] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM api_tokens ORDER BY id").map {
        StoredAPIToken(token: try Self.token(from: $0), secretSHA256: $0["secret_sha256"])
      }
    }
  }

  public func importTokens(_ tokens: [StoredAPIToken]) throws(StoreError) {
    try writeImmediate { db in
      for t in tokens {
        try db.execute(
          sql: """
            INSERT INTO api_tokens (id, name, role, secret_sha256, created_at, last_used_at, revoked_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            t.token.id, t.token.name, t.token.role.rawValue, t.secretSHA256, t.token.createdAt.unix,
            t.token.lastUsedAt?.unix, t.token.revokedAt?.unix,
          ])
      }
    }
  }
}
