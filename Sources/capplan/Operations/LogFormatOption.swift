import ArgumentParser

/// `--log-format`, for the long-running commands (`serve`, `worker`) whose
/// logs a pipeline collects.
struct LogFormatOption: ParsableArguments {
  @Option(
    name: .customLong("log-format"),
    help: "How log lines on stderr are written: text (for people) or json (one object per line).")
  var format: LogFormat = .text
}
