// lp-load-bench: the Swift side of the load benchmark. Builds the same sparse
// LP as Benchmarks/lp-load-bench-c (its header states the generator) through
// the LinearProgramming layer, loads it into GLPK, and prints one JSON line in
// the C program's shape. Usage: lp-load-bench [rows [cols [k]]] [--solve]

import Foundation
import GLPK
import LinearProgramming

struct LCG {
  var state: UInt64 = 42
  mutating func next() -> UInt64 {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return state >> 33
  }
}

func nowMS() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
}

func peakRSSMB() -> Double {
  var ru = rusage()
  getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &ru)
  return Double(ru.ru_maxrss) / 1024
}

var dims: [UInt64] = [100_000, 100_000, 10]
var given = 0
var solve = false
for arg in CommandLine.arguments.dropFirst() {
  if arg == "--solve" {
    solve = true
  } else if given < 3, let v = UInt64(arg), v > 0 {
    dims[given] = v
    given += 1
  } else {
    FileHandle.standardError.write(Data("lp-load-bench: bad argument '\(arg)'\n".utf8))
    exit(2)
  }
}
let (m, n, k) = (dims[0], dims[1], dims[2])
guard k <= n else {
  FileHandle.standardError.write(Data("lp-load-bench: nonzeros per row exceeds columns\n".utf8))
  exit(2)
}

// ---- generate: build the Model through the modeling layer ----
/// The generator of lp-load-bench-c, through `Model` and `LinearExpression`.
func buildModel(m: UInt64, n: UInt64, k: UInt64) -> (Model, duplicateSteps: UInt64) {
  var rng = LCG()
  var model = Model(name: "")
  model.objectiveName = ""
  model.reserveCapacity(variables: Int(n), constraints: Int(m), nonzeros: Int(m * k))
  var xs: [Variable] = []
  xs.reserveCapacity(Int(n))
  for j in 0..<n {
    let x = model.addVariable("x\(j)", lower: 0, upper: 100)
    model.setObjectiveCoefficient(x, 1.0 + Double(j % 17) / 10.0)
    xs.append(x)
  }
  model.sense = .maximize
  var duplicateSteps: UInt64 = 0
  var rowCols = [UInt64](repeating: 0, count: Int(k))
  for i in 0..<m {
    var e = LinearExpression()
    e.terms.reserveCapacity(Int(k))
    for j in 0..<Int(k) {
      var c = (i &* 7919 &+ UInt64(j) &* 104_729 &+ (rng.next() % 13)) % n
      while rowCols[0..<j].contains(c) {
        c = (c + 1) % n
        duplicateSteps += 1
      }
      rowCols[j] = c
      e.add(1.0 + Double(rng.next() % 1000) / 100.0, xs[Int(c)])
    }
    model.addConstraint(e, lower: -.infinity, upper: 1000 + Double(i % 100), name: "r\(i)")
  }
  return (model, duplicateSteps)
}

let t0 = nowMS()
let (model, duplicateSteps) = buildModel(m: m, n: n, k: k)
let t1 = nowMS()

// ---- load into GLPK (validation included) ----
let stats: SolveStatistics
do {
  stats = try GLPKSolver().load(model)
} catch {
  FileHandle.standardError.write(Data("lp-load-bench: \(error)\n".utf8))
  exit(1)
}
let t2 = nowMS()

var colSum: UInt64 = 0
var coefSum = 0.0
for c in model.constraints {
  for t in model.terms(of: c) {
    colSum += UInt64(t.variable.index)
    coefSum += t.coefficient
  }
}

var line = "{\"impl\":\"swift\",\"rows\":\(stats.rows),\"cols\":\(stats.columns),\"nonzeros\":\(m * k),"
line += "\"glpk_nonzeros\":\(stats.nonzeros),\"duplicate_steps\":\(duplicateSteps),\"col_sum\":\(colSum),"
line += String(format: "\"coef_sum\":%.2f,", coefSum)
line += String(
  format: "\"generate_ms\":%.1f,\"load_ms\":%.1f,\"total_ms\":%.1f,\"peak_rss_mb\":%.1f", t1 - t0, t2 - t1,
  t2 - t0, peakRSSMB())
if solve {
  let s0 = nowMS()
  var options = SolveOptions()
  options.presolve = false
  options.method = .primalSimplex
  let solution = try GLPKSolver().solve(model, options: options)
  line += String(
    format: ",\"solve_ms\":%.1f,\"status\":\"%@\",\"objective\":%.6f", nowMS() - s0,
    solution.termination.rawValue, solution.objectiveValue ?? .nan)
}
print(line + "}")
exit(stats.nonzeros == Int(m * k) ? 0 : 1)
