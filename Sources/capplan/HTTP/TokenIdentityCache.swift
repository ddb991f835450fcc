import Synchronization

/// Identities of token secrets checked in the last few seconds, by the secret's
/// SHA-256. Every API request carries its token, and checking it in the store
/// is a store call of its own ahead of the request's real work: measured, it
/// was about half the cost of `GET /v1/jobs/{id}` (BENCHMARKS.md, "HTTP API").
///
/// Only accepted secrets are kept, so a new token or a wrong secret is always
/// checked in the store. The price is that a revoked token keeps working in a
/// server process for up to `lifetime` (2 s for `serve --http`; docs/http-api.md).
final class TokenIdentityCache: Sendable {
  let lifetime: Duration
  /// A bound on memory: at most this many secrets; past it the cache starts again empty.
  static let capacity = 10_000
  private let entries = Mutex<[String: (identity: APIIdentity, until: ContinuousClock.Instant)]>([:])

  init(lifetime: Duration) { self.lifetime = lifetime }

  /// The identity of a secret accepted less than `lifetime` ago.
  func identity(forHash hash: String, now: ContinuousClock.Instant = .now) -> APIIdentity? {
    entries.withLock { entries in
      guard let entry = entries[hash] else { return nil }
      if entry.until > now { return entry.identity }
      entries[hash] = nil
      return nil
    }
  }

  func remember(_ identity: APIIdentity, forHash hash: String, now: ContinuousClock.Instant = .now) {
    guard lifetime > .zero else { return }
    entries.withLock { entries in
      if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
      entries[hash] = (identity, now + lifetime)
    }
  }
}
