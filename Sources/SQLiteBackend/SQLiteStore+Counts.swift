import Foundation
import GRDB
import JobQueue

extension SQLiteStore {
  public func jobCountsByState() throws(StoreError) -> [JobState: Int] {
    try read { db in
      var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
      // The jobs(state, ...) index answers this without reading the rows.
      for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM jobs GROUP BY state") {
        // A state this version does not know (a newer writer) is left out, not fatal.
        if let state = JobState(rawValue: row["state"]) { counts[state] = row["n"] }
      }
      return counts
    }
  }
}
