import Foundation
import GLPK
import LinearProgramming
import Testing

@Suite struct MathProgTests {
  let model = """
    set J;
    param c{J}; param w{J}; param cap;
    var x{J} >= 0, <= 1;
    maximize value: sum{j in J} c[j] * x[j];
    s.t. capacity: sum{j in J} w[j] * x[j] <= cap;
    solve;
    printf "value = %.2f\\n", value;
    printf{j in J: x[j] > 0.5} "take %s\\n", j;
    table out{j in J} OUT "CSV" "%OUT%" : j ~ item, x[j] ~ share;
    end;
    """
  let data = """
    data;
    set J := a b c;
    param c := a 10 b 6 c 4;
    param w := a 5 b 4 c 3;
    param cap := 8;
    end;
    """

  @Test func runsModelWithDataAndKeepsItsOutput() throws {
    let csv = Fixtures.temporaryPath("out.csv")
    let modPath = Fixtures.temporaryPath("knap.mod")
    let datPath = Fixtures.temporaryPath("knap.dat")
    try model.replacingOccurrences(of: "%OUT%", with: csv).write(
      toFile: modPath, atomically: true, encoding: .utf8)
    try data.write(toFile: datPath, atomically: true, encoding: .utf8)
    defer { for p in [csv, modPath, datPath] { try? FileManager.default.removeItem(atPath: p) } }
    let run = try MathProg.run(modelPath: modPath, dataPath: datPath)
    // Fractional knapsack: a (10/5) whole, b (6/4) at 3/4: 10 + 4.5.
    #expect(run.solution.objectiveValue == 14.5)
    #expect(run.output == "value = 14.50\ntake a\ntake b\n")
    // GLPK keeps the MathProg objective as a free row beside the capacity row.
    #expect(run.model.constraintCount == 2)
    let table = try String(contentsOfFile: csv, encoding: .utf8)
    #expect(table == "item,share\n\"a\",1\n\"b\",0.75\n\"c\",0\n", "\(table)")
  }

  /// `--method race` solves the problem MathProg post-solves: its printf and display statements
  /// after `solve` see the same values and duals as with the primal simplex.
  @Test(arguments: [LPMethod.race, .interiorCrossover])
  func aRaceOrCrossoverPrintsWhatThePrimalSimplexPrints(_ method: LPMethod) throws {
    let csv = Fixtures.temporaryPath("out.csv")
    let modPath = Fixtures.temporaryPath("knap.mod")
    let datPath = Fixtures.temporaryPath("knap.dat")
    let withDisplay = model.replacingOccurrences(of: "%OUT%", with: csv)
      .replacingOccurrences(of: "end;", with: "display x, capacity.dual, capacity;\nend;")
    try withDisplay.write(toFile: modPath, atomically: true, encoding: .utf8)
    try data.write(toFile: datPath, atomically: true, encoding: .utf8)
    defer { for p in [csv, modPath, datPath] { try? FileManager.default.removeItem(atPath: p) } }
    var o = SolveOptions()
    o.method = .primalSimplex
    let primal = try MathProg.run(modelPath: modPath, dataPath: datPath, options: o)
    o.method = method
    let other = try MathProg.run(modelPath: modPath, dataPath: datPath, options: o)
    #expect(primal.output.hasPrefix("value = 14.50\ntake a\ntake b\n"), "\(primal.output)")
    #expect(primal.output.contains("capacity.dual = 1.5"), "\(primal.output)")
    #expect(other.output == primal.output, "\(method): \(other.output)")
    #expect(other.solution.objectiveValue == 14.5)
    #expect(other.solution.duals == primal.solution.duals)
  }

  @Test func syntaxErrorIsATypedErrorWithTheLine() throws {
    let path = Fixtures.temporaryPath("bad.mod")
    try "var x >= 0;\nmaximize z: x\ns.t. c: x <= 1;\nend;\n".write(
      toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    do {
      _ = try MathProg.run(modelPath: path)
      Issue.record("a broken model was accepted")
    } catch {
      guard case .mathProgError(let stage, let detail) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(stage == "reading the model")
      #expect(detail.contains(":3:"), "names line 3: \(detail)")
    }
  }

  @Test func missingFile() {
    #expect(throws: LPError.fileNotReadable(path: "/no/model.mod", reason: "no such file or not readable")) {
      try MathProg.run(modelPath: "/no/model.mod")
    }
  }
}
