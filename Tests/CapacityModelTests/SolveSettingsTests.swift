import CapacityModel
import Foundation
import LinearProgramming
import Testing

@Suite struct SolveSettingsTests {
  @Test func everyKeyMayBeMissingAndTakesItsDefault() throws {
    let empty = try JSONDecoder().decode(SolveSettings.self, from: Data("{}".utf8))
    #expect(empty == SolveSettings())
    #expect(empty.relativeGap == 1e-4)
    #expect(empty.method == .primalSimplex)
    #expect(empty.timeLimitSeconds == nil)
    #expect(empty.glpk.presolve && empty.glpk.cuts && empty.glpk.roundingHeuristic)
    #expect(!empty.glpk.feasibilityPump && empty.glpk.proximitySearchSeconds == nil)
    let partial = try JSONDecoder().decode(
      SolveSettings.self, from: Data(#"{"method":"dual","glpk":{"feasibility_pump":true}}"#.utf8))
    #expect(partial.method == .dualSimplex)
    #expect(partial.glpk.feasibilityPump)
    #expect(partial.glpk.roundingHeuristic)
  }

  @Test func encodingAndDecodingGiveTheSameSettings() throws {
    let settings = SolveSettings(
      timeLimitSeconds: 30, relativeGap: 0, method: .interiorPoint,
      glpk: GLPKSettings(
        presolve: false, cuts: false, feasibilityPump: true, proximitySearchSeconds: 12,
        roundingHeuristic: false, heuristicMethod: .dualSimplex))
    let data = try JSONEncoder().encode(settings)
    #expect(try JSONDecoder().decode(SolveSettings.self, from: data) == settings)
    let keys = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(Set(keys.keys) == ["time_limit_seconds", "relative_gap", "method", "glpk"])
  }

  @Test func refusalsNameTheSettingAsTheCallerWroteIt() {
    func refusal(_ s: SolveSettings, naming: @escaping (SolveSettings.Setting) -> String? = { _ in nil })
      -> String?
    {
      do {
        try s.check(naming: naming)
        return nil
      } catch {
        return error.message
      }
    }
    #expect(refusal(SolveSettings()) == nil)
    #expect(refusal(SolveSettings(timeLimitSeconds: 60, method: .dualPrimalSimplex)) == nil)
    #expect(refusal(SolveSettings(method: .interiorPoint)) == nil)
    #expect(
      refusal(SolveSettings(timeLimitSeconds: .infinity))
        == "time limit inf is out of range: give 0.001 to 31536000 seconds (365 days)")
    #expect(
      refusal(SolveSettings(timeLimitSeconds: 1e21), naming: { $0 == .timeLimit ? "--time-limit" : nil })
        == "--time-limit 1e+21 is out of range: give 0.001 to 31536000 seconds (365 days)")
    #expect(
      refusal(SolveSettings(relativeGap: .nan))
        == "relative gap nan is out of range: give 0 to 1000000 (a fraction)")
    #expect(
      refusal(SolveSettings(glpk: GLPKSettings(proximitySearchSeconds: -1)))
        == "proximity search -1 is out of range: give 0.001 to 31536000 seconds (365 days)")
    #expect(
      refusal(SolveSettings(timeLimitSeconds: 5, method: .interiorPoint))
        == "method interior cannot stop at a time limit (GLPK's interior point runs to its end): drop the "
        + "time limit or use a simplex method")
  }

  @Test func aDefaultTimeLimitFillsOnlyWhatTheMethodCanHonour() {
    #expect(SolveSettings().withDefaultTimeLimit(3600).timeLimitSeconds == 3600)
    #expect(SolveSettings(timeLimitSeconds: 10).withDefaultTimeLimit(3600).timeLimitSeconds == 10)
    #expect(SolveSettings(method: .interiorPoint).withDefaultTimeLimit(3600).timeLimitSeconds == nil)
    #expect(SolveSettings().withDefaultTimeLimit(nil).timeLimitSeconds == nil)
  }

  /// `solve --previous` and the worker's child process both start from a previous plan this way.
  @Test func stayingCloseToAPlanTakesItsAllocationsAndWarmStart() throws {
    let previous = try FormulationStabilityTests.previousPlan()
    var options = PlanOptions()
    options.stayClose(to: previous)
    #expect(options.previous == previous.previousAllocations)
    #expect(options.warmStart != nil)
    #expect(options.warmStart == previous.warmStart)
    var cold = PlanOptions()
    cold.stayClose(to: previous, warmStart: false)
    #expect(cold.previous == previous.previousAllocations)
    #expect(cold.warmStart == nil)
  }
}
