// capacity-bench: the capacity model at scale. For each size it generates a scenario with
// ScenarioGenerator (N sites x 12 quarters x 5 hardware x 8 offerings by default), then times
//   (a) generating and validating the scenario            (our code)
//   (b) building the Formulation (the Model)              (our code)
//   (c) loading the Model into GLPK and solving it        (GLPK's solver: Solution.statistics.seconds;
//                                                           the rest of the wall time is our load path)
//   (d) explaining the solution into a Plan               (our code)
// and the peak RSS. Each measurement runs in a child process (this program re-executed with
// --one), so peak memory is that of one size and one method. It also solves the same LP at the
// method sizes with each LP method and checks that the objectives agree.
//
// Usage: capacity-bench [--sites 10,50,200] [--periods 12] [--hardware 5] [--offerings 8] [--seed 1]
//                       [--runs 3] [--methods-at 50,200] [--methods primal,dual,dualp,interior]
//                       [--integers] [--time-limit S]
//        capacity-bench --one --sites N --method M [same sizes] [--build-only] [--write-model F.mps]
//                       (one measurement in this process, one JSON line; --build-only stops after
//                       building the model, for profiling our code; --write-model writes it as free
//                       MPS, for glpsol on the same LP)
// Prints one JSON line per measurement on stdout as it goes, then the tables (medians over runs).

import CapacityModel
import Foundation
import GLPK
import LinearProgramming

// MARK: - arguments

struct Config {
  var sites = [10, 50, 200]
  var periods = 12
  var hardware = 5
  var offerings = 8
  var seed: UInt64 = 1
  var runs = 3
  var methodsAt: [Int]?
  var methods: [LPMethod] = [.dualPrimalSimplex, .primalSimplex, .dualSimplex, .interiorPoint]
  var integers = false
  var timeLimit: Double?
  var one = false
  /// --one: stop after building the model (to profile our code without the solver).
  var buildOnly = false
  /// --one: also write the built model as free MPS here (for glpsol on the same LP).
  var writeModel: String?

  /// The arguments a child gets for one measurement.
  func childArguments(sites: Int, method: LPMethod) -> [String] {
    var args = [
      "--one", "--sites", "\(sites)", "--method", method.rawValue, "--periods", "\(periods)", "--hardware",
      "\(hardware)", "--offerings", "\(offerings)", "--seed", "\(seed)",
    ]
    if integers { args.append("--integers") }
    if let timeLimit { args += ["--time-limit", "\(timeLimit)"] }
    return args
  }
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("capacity-bench: \(message)\n".utf8))
  exit(2)
}

func parseArguments() -> Config {
  var config = Config()
  var args = Array(CommandLine.arguments.dropFirst())[...]
  func value(_ flag: String) -> String {
    guard let v = args.popFirst() else { fail("\(flag) needs a value") }
    return v
  }
  func ints(_ flag: String) -> [Int] {
    let parts = value(flag).split(separator: ",")
    let list = parts.compactMap { Int($0) }.filter { $0 > 0 }
    guard !list.isEmpty, list.count == parts.count else {
      fail("\(flag) takes positive integers, comma-separated")
    }
    return list
  }
  func int(_ flag: String) -> Int {
    guard let v = Int(value(flag)), v > 0 else { fail("\(flag) takes a positive integer") }
    return v
  }
  while let arg = args.popFirst() {
    switch arg {
    case "--sites": config.sites = ints(arg)
    case "--periods": config.periods = int(arg)
    case "--hardware": config.hardware = int(arg)
    case "--offerings": config.offerings = int(arg)
    case "--seed":
      guard let v = UInt64(value(arg)) else { fail("--seed takes a non-negative integer") }
      config.seed = v
    case "--runs": config.runs = int(arg)
    case "--methods-at": config.methodsAt = ints(arg)
    case "--methods", "--method":
      let parts = value(arg).split(separator: ",")
      let list = parts.compactMap { LPMethod(rawValue: String($0)) }
      guard !list.isEmpty, list.count == parts.count else {
        fail("\(arg) takes \(LPMethod.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      config.methods = list
    case "--integers": config.integers = true
    case "--time-limit":
      guard let v = Double(value(arg)), v > 0 else { fail("--time-limit takes seconds") }
      config.timeLimit = v
    case "--one": config.one = true
    case "--write-model": config.writeModel = value(arg)
    case "--build-only": config.buildOnly = true
    case "-h", "--help":
      print(
        "usage: capacity-bench [--sites 10,50,200] [--periods 12] [--hardware 5] [--offerings 8] [--seed 1] "
          + "[--runs 3] [--methods-at 50,200] [--methods primal,dual,dualp,interior] [--integers] [--time-limit S]"
      )
      exit(0)
    default:
      // Bare numbers are sites: `capacity-bench 10 50`.
      if let n = Int(arg), n > 0 {
        config.sites = (config.sites == Config().sites ? [] : config.sites) + [n]
      } else {
        fail("unknown argument '\(arg)'")
      }
    }
  }
  return config
}

// MARK: - one measurement (the child)

func nowMS() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
}

func peakRSSMB() -> Double {
  var ru = rusage()
  #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &ru)
    return Double(ru.ru_maxrss) / 1024  // KiB
  #else
    getrusage(RUSAGE_SELF, &ru)
    return Double(ru.ru_maxrss) / 1_048_576  // bytes
  #endif
}

/// A JSON object with its keys in the order given.
struct JSONLine {
  var fields: [(String, String)] = []
  mutating func add(_ key: String, _ value: Double, digits: Int = 3) {
    fields.append((key, value.isFinite ? String(format: "%.\(digits)f", value) : "null"))
  }
  mutating func add(_ key: String, _ value: Int) { fields.append((key, "\(value)")) }
  mutating func add(_ key: String, _ value: String) {
    let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
      of: "\"", with: "\\\"")
    fields.append((key, "\"\(escaped)\""))
  }
  mutating func addRaw(_ key: String, _ json: String) { fields.append((key, json)) }
  var text: String { "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}" }
}

/// How many rows of each kind hold with equality at the solution: the sign that the LP is not
/// trivial (power, demand and supply each bind somewhere, not everywhere).
func bindingCounts(_ f: Formulation, _ solution: Solution) -> [(String, binding: Int, rows: Int)] {
  let kinds = ["power", "hardware", "supply", "demand", "commitment", "policy", "other"]
  var rows = [String: Int]()
  var binding = [String: Int]()
  guard solution.rowActivities.count == f.model.constraintCount else { return [] }
  for (i, key) in f.constraintKeys.enumerated() {
    let kind: String
    switch key {
    case .power: kind = "power"
    case .hardware: kind = "hardware"
    case .supply: kind = "supply"
    case .demandGrossRevenue, .demandMW: kind = "demand"
    case .committed, .required: kind = "commitment"
    case .policy: kind = "policy"
    default: kind = "other"
    }
    rows[kind, default: 0] += 1
    let a = solution.rowActivities[i]
    let lo = f.model.constraintLower[i]
    let up = f.model.constraintUpper[i]
    let tight =
      (up.isFinite && a >= up - 1e-6 * max(1, abs(up))) || (lo.isFinite && a <= lo + 1e-6 * max(1, abs(lo)))
    if tight { binding[kind, default: 0] += 1 }
  }
  return kinds.compactMap { k in rows[k].map { (k, binding[k] ?? 0, $0) } }
}

func measureOne(_ config: Config) -> Never {
  guard config.sites.count == 1, config.methods.count == 1 else {
    fail("--one takes one size and one method")
  }
  let sites = config.sites[0]
  let method = config.methods[0]
  let t0 = nowMS()
  let scenario = ScenarioGenerator(
    sites: sites, periods: config.periods, hardware: config.hardware, offerings: config.offerings,
    seed: config.seed, integers: config.integers
  ).generate()
  let t1 = nowMS()
  let valid: ValidScenario
  do {
    valid = try ScenarioValidator.validate(scenario)
  } catch {
    fail("the generated scenario is invalid:\n\(error)")
  }
  let t2 = nowMS()
  let rssValid = peakRSSMB()
  let formulation = Formulation(valid)
  let t3 = nowMS()
  let rssBuild = peakRSSMB()
  if config.buildOnly {
    var line = JSONLine()
    line.add("bench", "capacity-build")
    line.add("sites", sites)
    line.add("rows", formulation.model.constraintCount)
    line.add("columns", formulation.model.variableCount)
    line.add("nonzeros", formulation.model.nonzeroCount)
    line.add("generate_ms", t1 - t0)
    line.add("validate_ms", t2 - t1)
    line.add("build_ms", t3 - t2)
    line.add("rss_after_build_mb", rssBuild, digits: 1)
    print(line.text)
    exit(0)
  }
  var options = PlanOptions()
  options.settings.method = method
  options.settings.timeLimitSeconds = config.timeLimit
  let solution: Solution
  do {
    solution = try Planner.solve(formulation, options: options)
  } catch {
    fail("\(error)")
  }
  let t4 = nowMS()
  let rssSolve = peakRSSMB()
  let plan = Planner.explain(formulation, solution: solution, options: options)
  let t5 = nowMS()
  let rssPeak = peakRSSMB()
  if let path = config.writeModel {
    do { try formulation.model.write(to: path, format: .freeMPS) } catch {
      fail("cannot write \(path): \(error)")
    }
  }

  let st = solution.statistics
  let glpk = st.seconds * 1000
  let load = (t4 - t3) - glpk
  let ours = (t2 - t0) + (t3 - t2) + load + (t5 - t4)
  let total = t5 - t0
  var line = JSONLine()
  line.add("bench", "capacity")
  line.add("sites", sites)
  line.add("periods", config.periods)
  line.add("hardware", config.hardware)
  line.add("offerings", config.offerings)
  line.add("seed", Int(config.seed))
  line.add("integers", config.integers ? 1 : 0)
  line.add("method", method.rawValue)
  line.add("rows", st.rows)
  line.add("columns", st.columns)
  line.add("nonzeros", st.nonzeros)
  line.add("integer_columns", st.integerColumns)
  line.add("generate_ms", t1 - t0)
  line.add("validate_ms", t2 - t1)
  line.add("build_ms", t3 - t2)
  line.add("solve_wall_ms", t4 - t3)
  line.add("glpk_ms", glpk)
  line.add("load_ms", load)
  line.add("explain_ms", t5 - t4)
  line.add("total_ms", total)
  line.add("ours_ms", ours)
  line.add("ours_share", ours / total, digits: 4)
  line.add("rss_after_validate_mb", rssValid, digits: 1)
  line.add("rss_after_build_mb", rssBuild, digits: 1)
  line.add("rss_after_solve_mb", rssSolve, digits: 1)
  line.add("peak_rss_mb", rssPeak, digits: 1)
  line.add("status", plan.status.rawValue)
  line.add("objective", solution.objectiveValue ?? .nan, digits: 6)
  line.add("ebit", plan.totals?.ebit ?? .nan, digits: 6)
  // A simplex solution is a vertex; an interior-point one lies inside the optimal face of a
  // degenerate LP, so it spreads MW over more columns (the plan lists more allocations).
  line.add("nonzero_columns", solution.values.filter { abs($0) > 1e-6 }.count)
  line.add("plan_allocations", plan.allocations.count)
  line.add("iterations", st.iterations)
  line.add("nodes", st.nodes)
  let binding = bindingCounts(formulation, solution)
  line.addRaw(
    "binding", "{" + binding.map { "\"\($0.0)\":[\($0.binding),\($0.rows)]" }.joined(separator: ",") + "}")
  print(line.text)
  exit(0)
}

// MARK: - the driver (the parent)

struct Measurement {
  var json: [String: Any]
  func double(_ key: String) -> Double { (json[key] as? NSNumber)?.doubleValue ?? .nan }
  func int(_ key: String) -> Int { (json[key] as? NSNumber)?.intValue ?? 0 }
  func string(_ key: String) -> String { json[key] as? String ?? "" }
}

func runChild(_ arguments: [String]) -> Measurement {
  let process = Process()
  process.executableURL = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
  process.arguments = arguments
  let pipe = Pipe()
  process.standardOutput = pipe
  do { try process.run() } catch { fail("cannot start a child: \(error)") }
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0, let text = String(data: data, encoding: .utf8),
    let lineText = text.split(separator: "\n").last,
    let object = try? JSONSerialization.jsonObject(with: Data(lineText.utf8)) as? [String: Any]
  else {
    fail("child \(arguments.joined(separator: " ")) failed (status \(process.terminationStatus))")
  }
  FileHandle.standardOutput.write(Data((lineText + "\n").utf8))
  return Measurement(json: object)
}

func median(_ xs: [Double]) -> Double {
  let s = xs.sorted()
  guard !s.isEmpty else { return .nan }
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func pad(_ s: String, _ width: Int) -> String {
  s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}

func fmt(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }

func runAll(_ config: Config) {
  let defaultMethod = PlanOptions().settings.method
  let methodsAt = config.methodsAt ?? config.sites.filter { $0 >= 50 }
  // Each size at the default method; at the method sizes, every method. The methods' order
  // turns from run to run, so drift on a shared machine does not favour one of them.
  var results: [Int: [LPMethod: [Measurement]]] = [:]
  for run in 0..<config.runs {
    for sites in config.sites {
      var methods = methodsAt.contains(sites) ? config.methods : [defaultMethod]
      if !methods.contains(defaultMethod) { methods.insert(defaultMethod, at: 0) }
      let shift = run % methods.count
      methods = Array(methods[shift...] + methods[..<shift])
      for method in methods {
        FileHandle.standardError.write(
          Data("capacity-bench: run \(run + 1)/\(config.runs), \(sites) sites, \(method.rawValue)\n".utf8))
        let m = runChild(config.childArguments(sites: sites, method: method))
        results[sites, default: [:]][method, default: []].append(m)
      }
    }
  }

  print("")
  print(
    "Capacity model at scale: \(config.periods) quarters, \(config.hardware) hardware, \(config.offerings) offerings, "
      + "seed \(config.seed)\(config.integers ? ", integers" : ""); medians of \(config.runs) runs, "
      + "method \(defaultMethod.rawValue) (the default)")
  print("")
  let header = [
    ("sites", 6), ("rows", 8), ("columns", 9), ("nonzeros", 10), ("gen+val", 9), ("build", 8), ("load", 8),
    ("GLPK", 9), ("explain", 9), ("total", 9), ("ours", 7), ("GLPK", 7), ("peak MB", 9),
  ]
  print(header.map { pad($0.0, $0.1) }.joined())
  print(
    [
      ("", 6), ("", 8), ("", 9), ("", 10), ("ms", 9), ("ms", 8), ("ms", 8), ("ms", 9), ("ms", 9), ("ms", 9),
      ("%", 7), ("%", 7), ("", 9),
    ].map { pad($0.0, $0.1) }.joined())
  for sites in config.sites {
    guard let ms = results[sites]?[defaultMethod], let first = ms.first else { continue }
    func med(_ key: String) -> Double { median(ms.map { $0.double(key) }) }
    let genVal = median(ms.map { $0.double("generate_ms") + $0.double("validate_ms") })
    let oursShare = median(ms.map { $0.double("ours_share") })
    let glpkShare = median(ms.map { $0.double("glpk_ms") / $0.double("total_ms") })
    let cells = [
      ("\(sites)", 6), ("\(first.int("rows"))", 8), ("\(first.int("columns"))", 9),
      ("\(first.int("nonzeros"))", 10),
      (fmt(genVal), 9), (fmt(med("build_ms")), 8), (fmt(med("load_ms")), 8), (fmt(med("glpk_ms")), 9),
      (fmt(med("explain_ms")), 9), (fmt(med("total_ms")), 9), (fmt(100 * oursShare), 7),
      (fmt(100 * glpkShare), 7), (fmt(med("peak_rss_mb")), 9),
    ]
    print(cells.map { pad($0.0, $0.1) }.joined())
  }
  print("")
  print("Rows that hold with equality at the optimum (binding / rows), \(defaultMethod.rawValue):")
  for sites in config.sites {
    guard let m = results[sites]?[defaultMethod]?.first, let binding = m.json["binding"] as? [String: [Int]]
    else {
      continue
    }
    let order = ["power", "hardware", "supply", "demand", "commitment", "policy", "other"]
    let parts = order.compactMap { k in binding[k].map { "\(k) \($0[0])/\($0[1])" } }
    print("  \(sites) sites: " + parts.joined(separator: ", "))
  }

  let methodSizes = methodsAt.filter { results[$0] != nil && config.methods.count > 1 }
  guard !methodSizes.isEmpty else { return }
  print("")
  print(
    "LP methods (GLPK ms: the solver alone; x dflt: its time over \(defaultMethod.rawValue)'s in the same run, "
      + "median; nz cols: columns with a value)")
  print(
    [
      ("sites", 6), ("method", 10), ("GLPK ms", 10), ("min", 9), ("max", 9), ("x dflt", 8), ("total ms", 10),
      ("iters", 8), ("nz cols", 9), ("peak MB", 9), ("objective", 18), ("rel diff", 10),
    ].map { pad($0.0, $0.1) }.joined())
  var disagree = false
  for sites in methodSizes {
    guard let byMethod = results[sites], let reference = byMethod[defaultMethod]?.first?.double("objective")
    else {
      continue
    }
    for method in config.methods {
      guard let ms = byMethod[method] else { continue }
      let times = ms.map { $0.double("glpk_ms") }
      // The ratio to the default method in the same run (runs alternate the methods' order).
      let defaults = byMethod[defaultMethod] ?? []
      let ratio = median(zip(ms, defaults).map { $0.double("glpk_ms") / $1.double("glpk_ms") })
      let objective = ms[0].double("objective")
      let diff = abs(objective - reference) / max(1, abs(reference))
      if !(diff <= 1e-6) || ms.contains(where: { $0.string("status") != "optimal" }) { disagree = true }
      let cells = [
        ("\(sites)", 6), (method.rawValue, 10), (fmt(median(times)), 10), (fmt(times.min() ?? .nan), 9),
        (fmt(times.max() ?? .nan), 9), (fmt(ratio, 2), 8),
        (fmt(median(ms.map { $0.double("total_ms") })), 10),
        (method == .interiorPoint ? "-" : "\(ms[0].int("iterations"))", 8),
        ("\(ms[0].int("nonzero_columns"))", 9),
        (fmt(median(ms.map { $0.double("peak_rss_mb") })), 9),
        (fmt(objective, 4), 18), (String(format: "%.1e", diff), 10),
      ]
      print(cells.map { pad($0.0, $0.1) }.joined())
    }
  }
  print(
    disagree
      ? "OBJECTIVES DISAGREE (or a method did not reach optimal)" : "objectives agree within 1e-6 relative")
  if disagree { exit(1) }
}

let config = parseArguments()
if config.one { measureOne(config) }
runAll(config)
