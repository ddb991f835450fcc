import ArgumentParser
import CapacityModel
import JobQueue

/// Refuses an option outside its accepted range, naming the option and the range.
func checkRange(_ value: Double, _ limit: Limit, _ option: String) throws {
  guard limit.contains(value) else { throw ValidationError(limit.refusal(value, label: option)) }
}

func checkRange(_ value: Int, _ limit: Limit, _ option: String) throws {
  try checkRange(Double(value), limit, option)
}
