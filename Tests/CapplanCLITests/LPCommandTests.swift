import Foundation
import Testing

@Suite struct LPCommandTests {
  struct Case: Sendable, CustomStringConvertible {
    let path: String
    let objective: Double
    var description: String { URL(fileURLWithPath: path).lastPathComponent }
  }

  static let cases: [Case] = ["netlib", "miplib3"].flatMap { set -> [Case] in
    let dir = CLI.packageRoot.appendingPathComponent("Tests/LinearProgrammingTests/Fixtures/\(set)")
    guard let text = try? String(contentsOf: dir.appendingPathComponent("optima.csv"), encoding: .utf8) else {
      return []
    }
    return text.split(separator: "\n").dropFirst().compactMap { line in
      let f = line.split(separator: ",")
      guard f.count == 4, let z = Double(f[3]) else { return nil }
      return Case(path: dir.appendingPathComponent("\(f[0]).mps.gz").path, objective: z)
    }
  }

  @Test(arguments: cases)
  func solvesEveryPublicProblemToItsOptimum(_ c: Case) throws {
    let r = try CLI.run(["lp", c.path, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let j = try CLI.json(r.stdout)
    #expect(j["status"] as? String == "optimal")
    let z = try #require(j["objective"] as? Double)
    #expect(abs(z - c.objective) / max(1, abs(c.objective)) < 1e-6, "\(c): \(z)")
    let values = try #require(j["values"] as? [String: Double])
    #expect(values.count == j["columns"] as? Int)
  }

  @Test func textOutputAndExitCodes() throws {
    let afiro = try #require(Self.cases.first { $0.description == "afiro.mps.gz" })
    let r = try CLI.run(["lp", afiro.path])
    #expect(r.status == 0)
    #expect(r.stdout.contains("status:     optimal"))
    #expect(r.stdout.contains("objective:  -464.753142857"))
    #expect(r.stderr.isEmpty, "GLPK's terminal output stays out: \(r.stderr)")

    let missing = try CLI.run(["lp", "/no/such.mps"])
    #expect(missing.status == 2)
    #expect(missing.stderr == "capplan: cannot read /no/such.mps: no such file\n")
    #expect(missing.stdout.isEmpty)
  }

  @Test func infeasibleModelExitsThreeAndNamesTheSubset() throws {
    let dir = try CLI.temporaryDirectory()
    let path = dir.appendingPathComponent("inf.lp").path
    try """
    Minimize
     obj: x + y
    Subject To
     demand: x + y >= 10
     cap_x: x <= 3
     cap_y: y <= 4
     other: x - y <= 100
    End
    """.write(toFile: path, atomically: true, encoding: .utf8)
    let r = try CLI.run(["lp", path, "--iis"])
    #expect(r.status == 3)
    #expect(r.stdout.contains("status:     infeasible (no feasible solution)"))
    #expect(
      r.stdout.contains("infeasible subset (3):\n  row demand\n  row cap_x\n  row cap_y\n"), "\(r.stdout)")
  }

  @Test func mathProgWithDataPrintsTheModelsOutput() throws {
    let dir = try CLI.temporaryDirectory()
    let mod = dir.appendingPathComponent("k.mod").path
    let dat = dir.appendingPathComponent("k.dat").path
    try """
    set J; param c{J}; param w{J};
    var x{J} binary;
    maximize v: sum{j in J} c[j] * x[j];
    s.t. cap: sum{j in J} w[j] * x[j] <= 7;
    solve;
    printf "picked %d items\\n", sum{j in J} x[j];
    end;
    """.write(toFile: mod, atomically: true, encoding: .utf8)
    try "data; param: J: c w := a 10 5  b 6 4  c 5 3; end;\n".write(
      toFile: dat, atomically: true, encoding: .utf8)
    let r = try CLI.run(["lp", mod, "--data", dat, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let j = try CLI.json(r.stdout)
    #expect(j["objective"] as? Double == 11)  // b + c
    #expect(j["output"] as? String == "picked 2 items\n")
    #expect(j["values"] as? [String: Double] == ["x[a]": 0, "x[b]": 1, "x[c]": 1])
  }

  @Test func writesTheModelItRead() throws {
    let dir = try CLI.temporaryDirectory()
    let out = dir.appendingPathComponent("p0033.lp").path
    let p0033 = try #require(Self.cases.first { $0.description == "p0033.mps.gz" })
    #expect(try CLI.run(["lp", p0033.path, "--write", out]).status == 0)
    let again = try CLI.run(["lp", out, "--json"])
    #expect(try CLI.json(again.stdout)["objective"] as? Double == 3089)
  }

  @Test func solverLogGoesToStderrThroughSwiftLog() throws {
    let afiro = try #require(Self.cases.first { $0.description == "afiro.mps.gz" })
    let r = try CLI.run(["lp", afiro.path, "--json", "--solver-log"])
    #expect(r.status == 0)
    #expect(r.stderr.contains("info capplan.glpk"), "\(r.stderr)")
    #expect(r.stderr.contains("obj =  -4.647531429e+02"), "the simplex iterations are logged")
    #expect(try CLI.json(r.stdout)["status"] as? String == "optimal", "stdout stays one JSON object")
  }

  @Test func versionAndHelp() throws {
    #expect(try CLI.run(["--version"]).stdout == "0.1.0\n")
    let help = try CLI.run(["lp", "--help"]).stdout
    #expect(help.contains("--time-limit"))
    #expect(help.contains("--gap"))
  }
}
