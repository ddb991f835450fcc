import Crypto
import Foundation

/// What an API token may do. Each role includes the ones below it:
/// `read` sees jobs, plans and schedules; `submit` also submits, cancels and
/// retries jobs; `admin` also changes schedules.
public enum APIRole: String, Sendable, Codable, CaseIterable, Comparable {
  case read, submit, admin

  var rank: Int {
    switch self {
    case .read: 0
    case .submit: 1
    case .admin: 2
    }
  }

  public static func < (a: APIRole, b: APIRole) -> Bool { a.rank < b.rank }
}

/// A token as people see it: never its secret, which is shown once when the
/// token is made and stored only as its SHA-256.
public struct APIToken: Sendable, Equatable, Codable {
  public var id: Int64
  public var name: String
  public var role: APIRole
  public var createdAt: Date
  public var lastUsedAt: Date?
  public var revokedAt: Date?

  public var isRevoked: Bool { revokedAt != nil }

  public init(
    id: Int64, name: String, role: APIRole, createdAt: Date, lastUsedAt: Date? = nil, revokedAt: Date? = nil
  ) {
    self.id = id
    self.name = name
    self.role = role
    self.createdAt = createdAt
    self.lastUsedAt = lastUsedAt
    self.revokedAt = revokedAt
  }

  enum CodingKeys: String, CodingKey {
    case id, name, role, createdAt = "created_at", lastUsedAt = "last_used_at", revokedAt = "revoked_at"
  }

  /// The schema change that adds the tokens table, by the same name in both backends.
  public static let migrationName = "v6: api tokens"

  /// A use is written at most this often per token: checking a token on every
  /// request must not make every GET a write.
  public static let lastUsedResolution: Double = 60
}

/// A token row with its secret's hash, for `capplan copy`.
public struct StoredAPIToken: Sendable, Equatable {
  public var token: APIToken
  public var secretSHA256: String
  public init(token: APIToken, secretSHA256: String) {
    self.token = token
    self.secretSHA256 = secretSHA256
  }
}

/// Making and checking token secrets.
public enum APITokenSecret {
  /// Every secret starts with this, so a leaked one is easy to recognise (and to grep for).
  public static let prefix = "cpl_"

  /// 32 random bytes from the system's secure generator, base64url without padding.
  public static func generate() -> String {
    prefix + Base64URL.encode(SecureRandom.bytes(32))
  }

  /// The lowercase hex SHA-256 of the secret's UTF-8 bytes: what the store keeps and looks up.
  public static func hash(_ secret: String) -> String {
    SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
  }

  /// Checks a name before it is stored: it is printed in lists and pages.
  public static func validatedName(_ name: String) throws(StoreError) -> String {
    let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { throw StoreError(.invalid, "a token needs a name") }
    guard trimmed.count <= 100 else {
      throw StoreError(.invalid, "a token name is at most 100 characters (this one has \(trimmed.count))")
    }
    guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
      throw StoreError(.invalid, "a token name cannot contain control characters")
    }
    return trimmed
  }
}

/// API tokens in a store.
public protocol TokenStore: Sendable {
  /// Stores a new token under the hash of its secret (the caller made the secret).
  func createToken(name: String, role: APIRole, secretSHA256: String, now: Date) throws(StoreError)
    -> APIToken
  /// Every token, revoked ones included, in id order.
  func tokens() throws(StoreError) -> [APIToken]
  /// One token by id, revoked or not, or nil (the console's session check, on every page).
  func token(_ id: Int64) throws(StoreError) -> APIToken?
  /// Marks the token revoked (a token already revoked keeps its first time).
  func revokeToken(_ id: Int64, now: Date) throws(StoreError) -> APIToken
  /// The token whose secret hashes to `secretSHA256`, revoked or not, or nil.
  /// Records the use when the last one is older than `APIToken.lastUsedResolution`.
  func authenticate(secretSHA256: String, now: Date) throws(StoreError) -> APIToken?
  /// Every row with its hash, and the same rows put back (for `capplan copy`).
  func exportTokens() throws(StoreError) -> [StoredAPIToken]
  func importTokens(_ tokens: [StoredAPIToken]) throws(StoreError)
}
