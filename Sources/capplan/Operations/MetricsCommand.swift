import ArgumentParser
import Foundation
import JobQueue

/// `capplan metrics`: one exposition, without a server.
struct MetricsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "metrics",
    abstract: "Print the Prometheus metrics for a store once.",
    discussion: """
      Prints what `GET /metrics` of `capplan serve --http` returns. Jobs by state are counted \
      in the store, so they are the same from any process; the counters and histograms (submits, \
      claims, failures, solve seconds) count what one process did since it started, so here, in \
      a process of its own, they are all zero: scrape the serving process for those.
      """)

  @OptionGroup var store: StoreOptions
  @OptionGroup var global: GlobalOptions

  func run() throws {
    global.bootstrapLogging()
    try reportingFailures {
      let db = try store.open()
      MetricsExposition.start(for: db)
      print(MetricsExposition.render(store: db), terminator: "")
    }
  }
}
