import Foundation
import GRDB
import JobQueue

extension SQLiteStore {
  static func registerStudyMigration(_ m: inout DatabaseMigrator) {
    m.registerMigration("v3: studies") { db in
      try db.execute(
        sql: """
          CREATE TABLE studies (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            scenario_id TEXT NOT NULL,
            source TEXT NOT NULL,
            definition TEXT NOT NULL,
            created_at REAL NOT NULL
          );
          """)
    }
  }

  static func study(from row: Row) throws -> Study {
    let id: Int64 = row["id"]
    return Study(
      id: id, scenarioID: row["scenario_id"], source: row["source"], createdAt: Date(unix: row["created_at"]),
      definition: try Study.definition(storedText: row["definition"], studyID: id))
  }

  public func submit(_ study: StudySubmission, now: Date) throws(StoreError) -> Study {
    let jobs = try study.validatedJobs()
    let result = try writeImmediate { db -> Study in
      var ids: [Int64?] = []
      for job in jobs {
        ids.append(try job.map { try Self.insertJob(db, $0.submission, options: $0.options, now: now) })
      }
      let definition = study.definition(jobIDs: ids)
      try db.execute(
        sql: "INSERT INTO studies (scenario_id, source, definition, created_at) VALUES (?, ?, ?, ?)",
        arguments: [study.scenarioID, study.source, try Study.storedText(definition), now.unix])
      return Study(
        id: db.lastInsertedRowID, scenarioID: study.scenarioID, source: study.source, createdAt: now,
        definition: definition)
    }
    workSignal.signal()
    return result
  }

  public func study(_ id: Int64) throws(StoreError) -> Study {
    try read { db in
      guard let row = try Row.fetchOne(db, sql: "SELECT * FROM studies WHERE id = ?", arguments: [id]) else {
        throw StoreError(.notFound, "no study \(id)")
      }
      return try Self.study(from: row)
    }
  }

  public func studies(limit: Int) throws(StoreError) -> [Study] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM studies ORDER BY id DESC LIMIT ?", arguments: [limit])
        .map(Self.study(from:))
    }
  }

  public func exportStudies() throws(StoreError) -> [Study] {
    try read { db in try Row.fetchAll(db, sql: "SELECT * FROM studies ORDER BY id").map(Self.study(from:)) }
  }

  public func importStudies(_ studies: [Study]) throws(StoreError) {
    try writeImmediate { db in
      for s in studies {
        try db.execute(
          sql: "INSERT INTO studies (id, scenario_id, source, definition, created_at) VALUES (?, ?, ?, ?, ?)",
          arguments: [s.id, s.scenarioID, s.source, try Study.storedText(s.definition), s.createdAt.unix])
      }
    }
  }
}
