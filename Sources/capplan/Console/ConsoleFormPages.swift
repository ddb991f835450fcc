import CapacityModel
import Foundation
import LinearProgramming

/// The pages with forms of their own: submitting a scenario by upload, signing in, and the pages
/// that say why something was refused.
enum ConsoleFormPages {
  /// The upload form; `problem` lists what was wrong with the last try, `form` its values.
  static func submit(
    form: ConsoleSubmitForm = ConsoleSubmitForm(), problem: ConsoleSubmitForm.Problem? = nil,
    viewer: ConsoleViewer
  ) -> String {
    var body = "<header><h1>Submit a scenario</h1><div class=\"meta\">The scenario is checked as "
    body += "<code>capplan submit</code> checks it; nothing is queued while anything is wrong.</div></header>"
    switch problem {
    case .fields(let messages):
      body += "<div class=\"errors\" role=\"alert\" id=\"errors\"><strong>Not queued:</strong><ul>"
      for m in messages { body += "<li>\(html(m))</li>" }
      body += "</ul></div>"
    case .scenario(let issues):
      body += "<div class=\"errors\" role=\"alert\" id=\"errors\"><strong>Not queued: "
      body += "\(html(form.fileName.isEmpty ? "the scenario" : form.fileName)) is not a valid scenario "
      body += "(\(issues.count) error\(issues.count == 1 ? "" : "s")).</strong>"
      let rows = issues.map { i -> [String] in
        [html(i.file), i.line.map { "\($0)" } ?? "-", "<code>\(html(i.path))</code>", html(i.message)]
      }
      body += ConsoleLayout.table(header: ["file", "line", "field", "error"], rows: rows, numeric: [1])
      body += "</div>"
    case nil: break
    }
    guard viewer.canSubmit else {
      body += "<p>Your token's role (\(html(viewer.role))) may look but not submit; a token with the role "
      body += "<code>submit</code> or <code>admin</code> may.</p>"
      return ConsoleLayout.page(title: "Submit", section: .submit, viewer: viewer, body: body)
    }
    body +=
      "<form class=\"stack\" method=\"post\" action=\"\(ConsolePaths.submit)\" enctype=\"multipart/form-data\">"
    body += ConsoleLayout.csrfField(viewer.csrfToken)
    body += "<label for=\"scenario\">Scenario file <span class=\"hint\">(YAML or JSON)</span></label>"
    body += "<input type=\"file\" id=\"scenario\" name=\"scenario\" accept=\".yaml,.yml,.json\" required>"
    body += field(.caseName, form.caseName, hint: "a case of the file's cases: section (optional)")
    body += field(.priority, form.priority, hint: "higher runs first", type: "number")
    body += field(.maxAttempts, form.maxAttempts, hint: "tries before the job fails", type: "number")
    body += field(.idempotencyKey, form.idempotencyKey, hint: "the same key returns the first job")
    body += field(.previousPlan, form.previousPlan, hint: "a plan id to stay close to", type: "number")
    body += field(.timeLimit, form.timeLimit, hint: "seconds; empty: the worker's")
    body += field(.gap, form.gap, hint: "relative MIP gap at which to stop")
    body += select("method", form.method, "Method", LPMethod.allCases.map(\.rawValue))
    body += select("objective", form.objective, "Objective", SolveObjective.allCases.map(\.rawValue))
    body += checkbox("rounding", form.rounding, "Round the LP relaxation for a first plan (MIPs)")
    body += checkbox("feasibility_pump", form.feasibilityPump, "GLPK's feasibility pump (MIPs)")
    body += field(.proximitySearch, form.proximitySearch, hint: "seconds (MIPs, optional)")
    body += "<p><button type=\"submit\">Submit</button></p></form>"
    return ConsoleLayout.page(title: "Submit", section: .submit, viewer: viewer, body: body)
  }

  /// A submission field, named as the API's parameter and labelled as the console's messages
  /// name it.
  static func field(_ f: SubmissionField, _ value: String, hint: String, type: String = "text") -> String {
    field(f.parameterName, value, SubmissionSpelling.label(f), hint: hint, type: type)
  }

  static func field(_ name: String, _ value: String, _ label: String, hint: String, type: String = "text")
    -> String
  {
    var out = "<label for=\"\(name)\">\(html(label)) <span class=\"hint\">(\(html(hint)))</span></label>"
    out +=
      "<input type=\"\(type == "number" ? "text" : type)\" id=\"\(name)\" name=\"\(name)\" value=\"\(html(value))\""
    if type == "number" { out += " inputmode=\"numeric\"" }
    return out + ">"
  }

  static func select(_ name: String, _ value: String, _ label: String, _ options: [String]) -> String {
    var out = "<label for=\"\(name)\">\(html(label))</label><select id=\"\(name)\" name=\"\(name)\">"
    for o in options { out += "<option\(o == value ? " selected" : "")>\(html(o))</option>" }
    return out + "</select>"
  }

  static func checkbox(_ name: String, _ on: Bool, _ label: String) -> String {
    "<label><input type=\"checkbox\" name=\"\(name)\" value=\"1\"\(on ? " checked" : "")> \(html(label))</label>"
  }

  /// Paste an API token to sign in. `csrfToken` is bound to the page's own short session.
  static func signIn(csrfToken: String, error: String? = nil, next: String? = nil) -> String {
    var body = "<header><h1>Sign in to the capplan console</h1>"
    body +=
      "<div class=\"meta\">Paste an API token (<code>capplan tokens create --name NAME --role read</code> "
    body += "makes one). The console keeps only a signed session cookie that names the token, "
    body += "never the token itself.</div></header>"
    if let error { body += "<p class=\"errors\" role=\"alert\" id=\"errors\">\(html(error))</p>" }
    body += "<form class=\"stack\" method=\"post\" action=\"\(ConsolePaths.signIn)\">"
    body += ConsoleLayout.csrfField(csrfToken)
    if let next, ConsolePaths.isConsolePath(next) {
      body += "<input type=\"hidden\" name=\"next\" value=\"\(html(next))\">"
    }
    body += "<label for=\"token\">API token</label>"
    body += "<input type=\"password\" id=\"token\" name=\"token\" size=\"60\" autocomplete=\"off\" required>"
    body += "<p><button type=\"submit\">Sign in</button></p></form>"
    return ConsoleLayout.page(title: "Sign in", section: nil, viewer: nil, body: body)
  }

  /// A refusal or a failure, with a way on. `viewer` nil when no one is signed in.
  static func message(status: Int, title: String, message: String, viewer: ConsoleViewer?) -> String {
    var body = "<header><h1>\(html(title))</h1><div class=\"meta\">HTTP \(status)</div></header>"
    body += "<p id=\"message\">\(html(message))</p>"
    body +=
      viewer == nil
      ? "<p>\(ConsoleLayout.link(ConsolePaths.signIn, "Sign in"))</p>"
      : "<p>\(ConsoleLayout.link(ConsolePaths.root, "Back to the queue"))</p>"
    return ConsoleLayout.page(title: title, section: nil, viewer: viewer, body: body)
  }

  /// The page for a role too low for what was asked.
  static func forbidden(need: String, viewer: ConsoleViewer) -> String {
    message(
      status: 403, title: "Not allowed",
      message:
        "This needs a token with the role \(need) or higher; you are signed in as \(viewer.tokenName) with the role \(viewer.role).",
      viewer: viewer)
  }
}

extension ConsolePaths {
  /// Whether `path` is a console page to go back to after signing in: only the console's own
  /// paths, so a crafted link cannot send a person elsewhere.
  static func isConsolePath(_ path: String) -> Bool {
    (path == root || path.hasPrefix(root + "/") || path.hasPrefix(root + "?")) && !path.contains("//")
      && !path.contains("\\") && path.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F }
  }
}
