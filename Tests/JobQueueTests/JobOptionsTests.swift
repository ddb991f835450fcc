import CapacityModel
import Foundation
import JobQueue
import Testing

/// A job's options as stored (JSON text in both backends): rows written before the solve
/// settings were one value still decode, and what a worker hands its child keeps them.
@Suite struct JobOptionsTests {
  @Test func theOldFourKeysStillDecode() throws {
    let old = #"{"time_limit_seconds":60,"relative_gap":0.01,"memory_limit_mb":1024,"previous_plan_id":7}"#
    let options = try JSONDecoder().decode(JobOptions.self, from: Data(old.utf8))
    #expect(options.settings == SolveSettings(timeLimitSeconds: 60, relativeGap: 0.01))
    #expect(options.memoryLimitMB == 1024)
    #expect(options.previousPlanID == 7)
    #expect(try JSONDecoder().decode(JobOptions.self, from: Data("{}".utf8)) == JobOptions())
  }

  @Test func settingsSitBesideTheQueuesOwnKeysAndComeBackTheSame() throws {
    var settings = SolveSettings(timeLimitSeconds: 30, relativeGap: 1e-3, method: .dualSimplex)
    settings.glpk.roundingHeuristic = false
    let options = JobOptions(settings: settings, memoryLimitMB: 2048, previousPlanID: 3)
    let data = try JSONEncoder().encode(options)
    #expect(try JSONDecoder().decode(JobOptions.self, from: data) == options)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(
      Set(object.keys) == [
        "time_limit_seconds", "relative_gap", "method", "glpk", "memory_limit_mb", "previous_plan_id",
      ])
    #expect(object["method"] as? String == "dual")
    #expect((object["glpk"] as? [String: Any])?["rounding_heuristic"] as? Bool == false)
  }

  @Test func theStoresRefuseWhatTheSettingsCheckRefuses() throws {
    let refusals: [(JobOptions, String)] = [
      (
        JobOptions(settings: SolveSettings(timeLimitSeconds: .infinity)),
        "time limit inf is out of range: give 0.001 to 31536000 seconds (365 days)"
      ),
      (
        JobOptions(settings: SolveSettings(timeLimitSeconds: 5, method: .interiorPoint)),
        "method interior cannot stop at a time limit (GLPK's interior point runs to its end): drop the "
          + "time limit or use a simplex method"
      ),
      (JobOptions(memoryLimitMB: 1), "memory limit 1 is out of range: give 64 to 4194304 MB"),
    ]
    for (options, message) in refusals {
      #expect(throws: StoreError(.invalid, message)) { try options.checkRanges() }
    }
    try JobOptions(settings: SolveSettings(timeLimitSeconds: 5)).checkRanges()
  }

  @Test func thePayloadCarriesTheSettingsWithTheWorkersDefaults() throws {
    func payload(_ settings: SolveSettings) -> JobPayload {
      let lease = Lease(
        jobID: 1, attempt: 1, owner: "w", scenarioText: "", options: JobOptions(settings: settings),
        previousPlanJSON: nil)
      return JobPayload(lease: lease, defaultTimeLimit: 3600, defaultMemoryLimitMB: 8192)
    }
    let dual = payload(SolveSettings(method: .dualSimplex))
    #expect(dual.settings == SolveSettings(timeLimitSeconds: 3600, method: .dualSimplex))
    #expect(dual.timeLimitSeconds == 3600)
    #expect(dual.memoryLimitMB == 8192)
    #expect(payload(SolveSettings(timeLimitSeconds: 20)).settings.timeLimitSeconds == 20)
    // GLPK's interior point cannot stop at a time limit: the worker's deadline alone bounds it.
    let interior = payload(SolveSettings(method: .interiorPoint))
    #expect(interior.settings.timeLimitSeconds == nil)
    #expect(interior.timeLimitSeconds == 3600)
    let decoded = try JSONDecoder().decode(JobPayload.self, from: JSONEncoder().encode(dual))
    #expect(decoded.settings == dual.settings)
  }

  /// A job's options keep only what differs from the defaults, and read back the same.
  @Test func storedOptionsHoldOnlyWhatDiffersFromTheDefaults() throws {
    func text(_ o: JobOptions) throws -> String {
      let e = JSONEncoder()
      e.outputFormatting = .sortedKeys
      return String(decoding: try e.encode(o), as: UTF8.self)
    }
    #expect(try text(JobOptions()) == "{}")
    var glpk = GLPKSettings()
    glpk.roundingHeuristic = false
    let options = JobOptions(
      settings: SolveSettings(timeLimitSeconds: 60, method: .dualSimplex, glpk: glpk), previousPlanID: 4)
    let stored = try text(options)
    #expect(!stored.contains("relative_gap"), "the default gap is not written: \(stored)")
    #expect(stored.contains(#""method":"dual""#) && stored.contains("\"glpk\""))
    #expect(try JSONDecoder().decode(JobOptions.self, from: Data(stored.utf8)) == options)
  }
}
