import Foundation
import JobQueue

extension PostgresStore {
  public func jobCountsByState() throws(StoreError) -> [JobState: Int] {
    try read("counting jobs by state") { tx in
      var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
      // Counted by the server; only one row per state crosses the wire.
      for row in try tx.rows("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state", []) {
        // A state this version does not know (a newer writer) is left out, not fatal.
        if let state = JobState(rawValue: try row.get("state", as: String.self)) {
          counts[state] = Int(try row.get("n", as: Int64.self))
        }
      }
      return counts
    }
  }
}
