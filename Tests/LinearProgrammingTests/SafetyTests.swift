import CGLPK
import CGLPKGuard
import Foundation
import Testing

@testable import GLPK
@testable import LinearProgramming

/// Inputs GLPK would abort on, or misread, become typed errors before any GLPK call.
@Suite struct SafetyTests {
  func model(_ edit: (inout Model, Variable, Variable) -> Void) -> Model {
    var m = Model(name: "bad")
    let x = m.addVariable("x")
    let y = m.addVariable("y", kind: .integer, upper: 10)
    m.setObjective(.maximize, x + y)
    edit(&m, x, y)
    return m
  }

  @Test func nanCoefficient() {
    let m = model { m, x, y in m.addConstraint(Double.nan * x + y <= 1, name: "cap") }
    expectInvalidNumber("coefficient of x in cap", isNaN: true) { () throws(LPError) in
      try GLPKSolver().solve(m)
    }
  }

  @Test func infiniteCoefficientAndObjective() {
    let m1 = model { m, x, y in m.addConstraint(Double.infinity * x <= 1, name: "cap") }
    #expect(throws: LPError.invalidNumber(location: "coefficient of x in cap", value: .infinity)) {
      try GLPKSolver().solve(m1)
    }
    let m2 = model { m, x, _ in m.setObjectiveCoefficient(x, -.infinity) }
    #expect(throws: LPError.invalidNumber(location: "objective coefficient of x", value: -.infinity)) {
      try GLPKSolver().solve(m2)
    }
    let m3 = model { m, x, _ in m.addConstraint(LinearExpression(x) <= .nan, name: "r") }
    expectInvalidNumber("upper bound of r", isNaN: true) { () throws(LPError) in try GLPKSolver().solve(m3) }
  }

  /// NaN never equals itself, so the error is matched by its parts.
  func expectInvalidNumber(_ location: String, isNaN: Bool, _ body: () throws(LPError) -> Solution) {
    do {
      _ = try body()
      Issue.record("accepted a model with NaN at \(location)")
    } catch {
      guard case .invalidNumber(let loc, let value) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(loc == location)
      #expect(value.isNaN == isNaN)
      #expect("\(error)".contains("\(location) is nan"))
    }
  }

  @Test func invertedBounds() {
    let m1 = model { m, x, _ in m.setBounds(x, lower: 5, upper: 2) }
    #expect(throws: LPError.invertedBounds(location: "variable x", lower: 5, upper: 2)) {
      try GLPKSolver().solve(m1)
    }
    let m2 = model { m, x, y in m.addConstraint(x + y, lower: 3, upper: 1, name: "band") }
    #expect(throws: LPError.invertedBounds(location: "constraint band", lower: 3, upper: 1)) {
      try GLPKSolver().solve(m2)
    }
  }

  @Test func fractionalBoundOnIntegerVariable() {
    let m = model { m, _, y in m.setBounds(y, lower: 0, upper: 2.5) }
    #expect(throws: LPError.fractionalIntegerBound(variable: "y", lower: 0, upper: 2.5)) {
      try GLPKSolver().solve(m)
    }
  }

  @Test func namesGLPKRejects() {
    let long = String(repeating: "n", count: 256)
    let m1 = model { m, x, _ in m.addConstraint(LinearExpression(x) <= 1, name: long) }
    #expect(throws: LPError.invalidName(kind: "constraint", name: long, reason: "longer than 255 bytes")) {
      try GLPKSolver().solve(m1)
    }
    var m2 = Model(name: "ok")
    m2.addVariable("tab\there")
    #expect(
      throws: LPError.invalidName(kind: "variable", name: "tab\there", reason: "contains a control character")
    ) {
      try m2.write(to: Fixtures.temporaryPath("x.mps"), format: .mps)
    }
  }

  @Test func badOptions() {
    var o = SolveOptions()
    o.timeLimitSeconds = -1
    #expect(throws: LPError.self) { try GLPKSolver().solve(smallLP().0, options: o) }
    o = SolveOptions()
    o.method = .interiorPoint
    o.timeLimitSeconds = 5
    #expect(throws: LPError.self) { try GLPKSolver().solve(smallLP().0, options: o) }
    o = SolveOptions()
    o.warmStartBasis = Basis(rows: [.basic], columns: [])
    #expect(throws: LPError.self) { try GLPKSolver().solve(smallLP().0, options: o) }
  }

  @Test func unreadableAndMalformedFiles() throws {
    #expect(throws: LPError.fileNotReadable(path: "/no/such/model.mps", reason: "no such file")) {
      try Model.read(contentsOf: "/no/such/model.mps", format: .mps)
    }
    let path = Fixtures.temporaryPath("broken.mps")
    try "NAME broken\nROWS\n N obj\n L c1\nCOLUMNS\n    x  c1  notanumber\nENDATA\n".write(
      toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    do {
      _ = try Model.read(contentsOf: path, format: .mps)
      Issue.record("a broken MPS file was accepted")
    } catch {
      guard case .parseError(let p, let format, let detail) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(p == path && format == "mps")
      #expect(detail.contains("\(path):"), "GLPK's message names the file and line: \(detail)")
    }
    let lpPath = Fixtures.temporaryPath("broken.lp")
    try "maximize\n obj: 3 x +\nsubject to\n c1: x <= \nend\n".write(
      toFile: lpPath, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: lpPath) }
    #expect(throws: LPError.self) { try Model.read(contentsOf: lpPath, format: .lp) }
  }

  /// A GLPK call that hits GLPK's fatal-error path returns through the guard
  /// instead of aborting the process, and GLPK works again afterwards.
  @Test func fatalErrorInsideGLPKIsCaught() throws {
    let (m, _, _, _) = smallLP()
    #expect(throws: LPError.self) {
      try withGLPKSession { (s: inout GLPKSession) throws(LPError) in
        let p = try GLPKProblem.load(m)
        _ = try GLPKSolver.runSimplex(p, session: &s, options: SolveOptions(), basis: nil)
        var v1 = 0.0, v2 = 0.0
        var k1: Int32 = 0, k2: Int32 = 0
        // Row 2 is basic at the optimum: glp_analyze_bound calls glp_error on it.
        try s.guarded("bound ranging") { cg_analyze_bound(p, 2, &v1, &k1, &v2, &k2) }
      }
    }
    #expect(try GLPKSolver().solve(m).objectiveValue == 11)
  }
}
