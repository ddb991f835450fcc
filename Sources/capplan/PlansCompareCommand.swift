import ArgumentParser
import CapacityModel
import Foundation

extension PlansCommand {
  struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Plans side by side, a column per plan: EBIT, margin, revenue and EBIT by use, MW by use and hardware, "
        + "installs, expansions, power at its limit, move cost, solve time.",
      discussion: """
        2 to 20 plans: stored plan ids and plan files (--file, the JSON of `capplan solve --format json`), \
        stored ids first, then files, each in the order given. Uses and hardware are the plans' own \
        (from their economics), so plans of different scenarios line up by name; a plan with a solution \
        that lacks one shows 0. MW are IT MW allocated, as a horizon average (weighted by each period's \
        years) and in the last period. The differs column marks the figures on which the plans disagree.

        Examples:
          capplan plans compare 12 14 --db plans.sqlite
          capplan plans compare 12 --file lower-trainium.json --only-differences
          capplan plans compare --file a.json --file b.json --format html --out c.html
        """)
    @Argument(help: "Stored plan ids.") var ids: [Int64] = []
    @Option(
      name: .customLong("file"),
      help: ArgumentHelp(
        "A plan file from `capplan solve --format json` (repeatable).", valueName: "plan.json"))
    var files: [String] = []
    @Flag(help: "Only the figures on which the plans disagree.") var onlyDifferences = false
    @Option(help: "table, json, csv, markdown, or html (a report with charts; needs --out).")
    var format: CompareFormat = .table
    @Option(help: ArgumentHelp("With --format html: the HTML file to write.", valueName: "path")) var out:
      String?
    @OptionGroup var store: StoreOptions

    enum CompareFormat: String, ExpressibleByArgument, CaseIterable { case table, json, csv, markdown, html }

    static let most = 20

    func validate() throws {
      let count = ids.count + files.count
      if count < 2 || count > Self.most {
        throw ValidationError(
          "plans compare takes 2 to \(Self.most) plans (stored plan ids and/or --file plan.json); got \(count)"
        )
      }
      if format == .html && out == nil { throw ValidationError("--format html needs --out FILE") }
      if format != .html && out != nil { throw ValidationError("--out is for --format html") }
    }

    func run() throws {
      try reportingFailures {
        let comparison = PlanComparison(try PlanInputs.load(ids: ids, files: files, store: store))
        switch format {
        case .table: print(comparison.table(onlyDifferences: onlyDifferences).text, terminator: "")
        case .markdown: print(comparison.table(onlyDifferences: onlyDifferences).markdown, terminator: "")
        case .csv: print(comparison.table(onlyDifferences: onlyDifferences, raw: true).csv, terminator: "")
        case .json: try JSONOutput.print(comparison.document(onlyDifferences: onlyDifferences))
        case .html:
          let path = out ?? "compare.html"
          let page = CompareReportHTML(comparison: comparison, onlyDifferences: onlyDifferences).render()
          try writeFile(page, to: URL(fileURLWithPath: path))
          print("compared \(comparison.plans.count) plans: report written to \(path)")
        }
      }
    }
  }
}
