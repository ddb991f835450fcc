import CGLPK
import CGLPKGuard
import Foundation
import LinearProgramming

/// A GNU MathProg model run end to end: translated, solved and post-solved,
/// so its `printf`, `display` and `table ... OUT` statements after `solve` see
/// the solution.
public struct MathProgRun: Sendable {
  public var model: Model
  public var solution: Solution
  /// What the model printed (printf, display), kept apart from GLPK's log.
  public var output: String
}

public enum MathProg {
  /// Translates, solves and post-solves `modelPath` with an optional data file.
  public static func run(
    modelPath: String, dataPath: String? = nil, options: SolveOptions = SolveOptions()
  ) throws(LPError) -> MathProgRun {
    try process(modelPath: modelPath, dataPath: dataPath, options: options, solve: true)
  }

  /// Translates the model only (its printf statements before `solve` still run).
  public static func translate(modelPath: String, dataPath: String? = nil) throws(LPError) -> Model {
    try process(modelPath: modelPath, dataPath: dataPath, options: SolveOptions(), solve: false).model
  }

  static func process(modelPath: String, dataPath: String?, options: SolveOptions, solve: Bool)
    throws(LPError)
    -> MathProgRun
  {
    for path in [modelPath] + (dataPath.map { [$0] } ?? [])
    where !FileManager.default.isReadableFile(atPath: path) {
      throw .fileNotReadable(path: path, reason: "no such file or not readable")
    }
    try options.validate()
    let outputPath = FileManager.default.temporaryDirectory
      .appendingPathComponent("capplan-mathprog-\(UUID().uuidString).out").path
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    let (model, solution) = try withGLPKSession(captureLog: options.captureLog, logLevel: options.logLevel) {
      (s: inout GLPKSession) throws(LPError) -> (Model, Solution?) in
      guard let tran = glp_mpl_alloc_wksp() else {
        throw .mathProgError(stage: "starting", detail: "GLPK could not allocate a workspace")
      }
      defer { if !s.poisoned { glp_mpl_free_wksp(tran) } }
      var ret: Int32 = 0
      try s.guarded("MathProg") { cg_mpl_read_model(tran, modelPath, dataPath == nil ? 0 : 1, &ret) }
      if ret != 0 { throw .mathProgError(stage: "reading the model", detail: s.output.tail) }
      if let dataPath {
        try s.guarded("MathProg") { cg_mpl_read_data(tran, dataPath, &ret) }
        if ret != 0 { throw .mathProgError(stage: "reading the data", detail: s.output.tail) }
      }
      try s.guarded("MathProg") { cg_mpl_generate(tran, outputPath, &ret) }
      if ret != 0 { throw .mathProgError(stage: "generating the model", detail: s.output.tail) }
      let p = try GLPKProblem.create()
      defer { s.deleteProblem(p) }
      try s.guarded("MathProg") { cg_mpl_build_prob(tran, p) }
      let model = GLPKProblem.extract(p)
      guard solve else { return (model, nil) }
      try model.validate()
      let solution = try GLPKSolver.solveLoaded(p, session: &s, options: options)
      if solution.hasFeasibleSolution {
        let which: Int32 = solution.isMIP ? GLP_MIP : (solution.basis == nil ? GLP_IPT : GLP_SOL)
        try s.guarded("MathProg") { cg_mpl_postsolve(tran, p, which, &ret) }
        if ret != 0 { throw .mathProgError(stage: "post-solving the model", detail: s.output.tail) }
      }
      return (model, solution)
    }
    // glp_mpl_free_wksp has closed the output file by now.
    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    let placeholder = Solution(
      termination: .error, hasFeasibleSolution: false, isMIP: model.isMIP, objectiveValue: nil,
      bestBound: nil,
      relativeGap: nil, values: [], rowActivities: [], duals: nil, reducedCosts: nil, basis: nil,
      ranging: nil,
      statistics: SolveStatistics(), log: "", message: "not solved")
    return MathProgRun(model: model, solution: solution ?? placeholder, output: output)
  }
}
