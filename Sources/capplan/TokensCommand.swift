import ArgumentParser
import CapacityModel
import Foundation
import JobQueue

extension APIRole: ExpressibleByArgument {}

/// `capplan tokens`: the API tokens the HTTP server accepts.
struct TokensCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tokens", abstract: "Create, list and revoke API tokens for `serve --http`.",
    discussion: """
      A token has a role: read (see jobs, plans, schedules), submit (also submit, cancel and retry \
      jobs) or admin (also change schedules). Its secret is printed once, by create; the store keeps \
      only its SHA-256, so a lost secret cannot be shown again: revoke it and create another.
      """,
    subcommands: [Create.self, List.self, Revoke.self], defaultSubcommand: List.self)

  struct Create: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a token; prints its secret once.")
    @Option(help: "Who or what uses it, for lists and logs.") var name: String
    @Option(help: "read, submit or admin.") var role: APIRole
    @Option(help: "table or json.") var format: ListFormat = .table
    @OptionGroup var store: StoreOptions

    func run() throws {
      try reportingFailures {
        let secret = APITokenSecret.generate()
        let token = try store.open().createToken(
          name: name, role: role, secretSHA256: APITokenSecret.hash(secret), now: Date())
        if format == .json {
          try JSONOutput.print(CreatedToken(token: token, secret: secret))
        } else {
          print(secret)
          FileHandleStderr.write(
            "token \(token.id) '\(OutputEscaping.lines(token.name, markdown: false))' (\(token.role.rawValue)) "
              + "created; its secret, above, is shown only this once\n")
        }
      }
    }
  }

  struct CreatedToken: Encodable {
    var token: APIToken
    var secret: String
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Every token, revoked ones too; never a secret.")
    @Option(help: "table or json.") var format: ListFormat = .table
    @OptionGroup var store: StoreOptions

    func run() throws {
      try reportingFailures {
        let tokens = try store.openExisting().tokens()
        if format == .json {
          try JSONOutput.print(tokens)
          return
        }
        var t = Table(
          "API tokens", columns: ["id", "name", "role", "created", "last used", "revoked"], firstNumeric: 6)
        for token in tokens {
          t.add([
            "\(token.id)", token.name, token.role.rawValue, isoDate(token.createdAt),
            isoDate(token.lastUsedAt),
            isoDate(token.revokedAt),
          ])
        }
        print(t.text, terminator: "")
      }
    }
  }

  struct Revoke: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Revoke a token: the server refuses it from its next request on.")
    @Argument var id: Int64
    @Option(help: "table or json.") var format: ListFormat = .table
    @OptionGroup var store: StoreOptions

    func run() throws {
      try reportingFailures {
        let token = try store.openExisting().revokeToken(id, now: Date())
        if format == .json { try JSONOutput.print(token) } else { print("token \(id) revoked") }
      }
    }
  }
}
