import AlmonerKit
import Foundation
import Testing

// The harness for the CLI suites: finds the built `almoner`, runs it in a
// fresh directory per test with a fixed clock, and builds (once per test
// process) a small three-tier ledger that each test gets a private copy of.

/// What one run of a program did.
struct CLIResult: Sendable, CustomStringConvertible {
  var status: Int32
  var stdout: String
  var stderr: String

  var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }

  /// The lines of stdout, without the final empty one.
  var stdoutLines: [String] {
    stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      .dropLast(stdout.hasSuffix("\n") ? 1 : 0).map { $0 }
  }
}

enum HarnessError: Error, CustomStringConvertible {
  case binaryNotFound([String])
  case fixtureStep(String, CLIResult)
  case unexpectedOutput(String)

  var description: String {
    switch self {
    case .binaryNotFound(let looked):
      "almoner binary not found; looked in:\n" + looked.joined(separator: "\n")
    case .fixtureStep(let step, let result): "fixture step `\(step)` failed:\n\(result)"
    case .unexpectedOutput(let why): why
    }
  }
}

/// Where things are on disk.
enum Paths {
  /// The package root: the nearest directory above this file with a Package.swift.
  static let packageRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
      url.deleteLastPathComponent()
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
        return url
      }
    }
    preconditionFailure("no Package.swift above \(#filePath)")
  }()

  static let schemas = packageRoot.appendingPathComponent("Schemas/json")

  /// The built `almoner`. `ALMONER_CLI_BINARY` overrides; otherwise the
  /// products directory the test bundle was built into (found from the
  /// running executable, the test bundle, or argv[0]), then `.build/debug`.
  static let binary: Result<URL, HarnessError> = {
    let environment = ProcessInfo.processInfo.environment
    if let override = environment["ALMONER_CLI_BINARY"], !override.isEmpty {
      return .success(URL(fileURLWithPath: override))
    }
    var directories: [URL] = []
    if let executable = Bundle.main.executableURL {
      directories.append(executable.resolvingSymlinksInPath().deletingLastPathComponent())
    }
    if let argument = CommandLine.arguments.first, argument.contains("/") {
      let url = URL(
        fileURLWithPath: argument,
        relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
      directories.append(
        url.standardizedFileURL.resolvingSymlinksInPath().deletingLastPathComponent())
    }
    for bundle in [Bundle.main] + Bundle.allBundles {
      // macOS: products/AlmonerPackageTests.xctest/Contents/MacOS/… ; the bundle's parent.
      directories.append(bundle.bundleURL.deletingLastPathComponent())
      directories.append(bundle.bundleURL)
    }
    directories.append(packageRoot.appendingPathComponent(".build/debug"))
    var looked: [String] = []
    for directory in directories {
      let candidate = directory.appendingPathComponent("almoner")
      looked.append(candidate.path)
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
        !isDirectory.boolValue, FileManager.default.isExecutableFile(atPath: candidate.path)
      {
        return .success(candidate)
      }
    }
    return .failure(.binaryNotFound(looked))
  }()

  /// One scratch root per test process, removed at exit.
  static let scratchRoot: URL = {
    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("almoner-cli-tests-\(getpid())-\(UUID().uuidString.prefix(8))")
    try! FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: Paths.scratchRoot) }
    return root
  }()

  static func freshDirectory(_ label: String) throws -> URL {
    let url = scratchRoot.appendingPathComponent("\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

/// Runs programs with their output captured in files (no pipe deadlocks,
/// however much they print).
enum Runner {
  /// The fixed clock every run sees: 10:00 on 2026-11-29 in Asia/Shanghai.
  static let fixedTime = "2026-11-29T02:00:00Z"

  /// A started process; `wait()` collects it.
  final class Running: @unchecked Sendable {
    private let process: Process
    private let done = DispatchSemaphore(value: 0)
    private let stdoutURL: URL
    private let stderrURL: URL

    fileprivate init(_ process: Process, stdoutURL: URL, stderrURL: URL) throws {
      self.process = process
      self.stdoutURL = stdoutURL
      self.stderrURL = stderrURL
      process.terminationHandler = { [done] _ in done.signal() }
      try process.run()
    }

    func wait() -> CLIResult {
      done.wait()
      let out = (try? Data(contentsOf: stdoutURL)) ?? Data()
      let err = (try? Data(contentsOf: stderrURL)) ?? Data()
      try? FileManager.default.removeItem(at: stdoutURL)
      try? FileManager.default.removeItem(at: stderrURL)
      return CLIResult(
        status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
        stderr: String(decoding: err, as: UTF8.self))
    }
  }

  /// Starts `executable` in `directory`. The environment is this process's
  /// minus every `ALMONER_*` variable, plus the fixed clock, plus `environment`.
  static func start(
    _ executable: URL, _ arguments: [String], in directory: URL,
    environment extra: [String: String] = [:]
  ) throws -> Running {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ALMONER_") }
    environment["ALMONER_FIXED_TIME"] = fixedTime
    environment.merge(extra) { $1 }
    process.environment = environment
    let id = UUID().uuidString
    let stdoutURL = Paths.scratchRoot.appendingPathComponent("out-\(id)")
    let stderrURL = Paths.scratchRoot.appendingPathComponent("err-\(id)")
    _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
    let stdout = try FileHandle(forWritingTo: stdoutURL)
    let stderr = try FileHandle(forWritingTo: stderrURL)
    defer {
      try? stdout.close()
      try? stderr.close()
    }
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = FileHandle.nullDevice
    return try Running(process, stdoutURL: stdoutURL, stderrURL: stderrURL)
  }

  static func run(
    _ executable: URL, _ arguments: [String], in directory: URL,
    environment: [String: String] = [:]
  ) throws -> CLIResult {
    try start(executable, arguments, in: directory, environment: environment).wait()
  }
}

/// The people of the fixture ledger, by the file name of their key.
enum Person: String, CaseIterable, Sendable {
  case admin, ga, bc, jsl, stranger

  var name: String {
    switch self {
    case .admin: "李明"
    case .ga: "陈静"
    case .bc: "赵磊"
    case .jsl: "王芳"
    case .stranger: "路人甲"
    }
  }

  var keyFile: String { "\(rawValue).pem" }

  /// What a key id of this person becomes in normalised output: same width
  /// as a real key id so tables stay aligned (`ed25519:ADMIN___________`).
  var keyPlaceholder: String {
    let label = rawValue.uppercased()
    return "ed25519:" + label + String(repeating: "_", count: 16 - label.count)
  }
}

/// A directory a test runs the CLI in. `Workspace.fixture()` is a private
/// copy of the fixture ledger and keys; `Workspace.empty()` has nothing.
final class Workspace: @unchecked Sendable {
  let directory: URL
  /// Key id of each fixture person (empty for `empty()`).
  let keyIDs: [Person: String]

  private init(directory: URL, keyIDs: [Person: String]) {
    self.directory = directory
    self.keyIDs = keyIDs
  }

  deinit { try? FileManager.default.removeItem(at: directory) }

  static func empty() throws -> Workspace {
    Workspace(directory: try Paths.freshDirectory("empty"), keyIDs: [:])
  }

  /// A fresh copy of the fixture ledger (see `Fixture`).
  static func fixture() throws -> Workspace {
    let template = try Fixture.template.get()
    let directory = try Paths.freshDirectory("fixture")
    for name in try FileManager.default.contentsOfDirectory(atPath: template.directory.path) {
      try FileManager.default.copyItem(
        at: template.directory.appendingPathComponent(name),
        to: directory.appendingPathComponent(name))
    }
    return Workspace(directory: directory, keyIDs: template.keyIDs)
  }

  func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
  var ledgerPath: String { path("almoner.db") }

  func keyID(_ person: Person) -> String { keyIDs[person] ?? "?" }

  /// Runs `almoner` here and waits for it.
  @discardableResult
  func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CLIResult {
    try Runner.run(try Paths.binary.get(), arguments, in: directory, environment: environment)
  }

  @discardableResult
  func run(_ arguments: String..., environment: [String: String] = [:]) throws -> CLIResult {
    try run(arguments, environment: environment)
  }

  /// Starts `almoner` here without waiting.
  func start(_ arguments: [String]) throws -> Runner.Running {
    try Runner.start(try Paths.binary.get(), arguments, in: directory)
  }

  /// Runs and requires exit 0 (for setting a test up).
  @discardableResult
  func must(_ arguments: String...) throws -> CLIResult {
    let result = try run(arguments)
    guard result.status == 0 else {
      throw HarnessError.fixtureStep(arguments.joined(separator: " "), result)
    }
    return result
  }

  func write(_ name: String, _ text: String) throws {
    try Data(text.utf8).write(to: directory.appendingPathComponent(name))
  }

  func write(_ name: String, bytes: [UInt8]) throws {
    try Data(bytes).write(to: directory.appendingPathComponent(name))
  }

  func read(_ name: String) throws -> Data {
    try Data(contentsOf: directory.appendingPathComponent(name))
  }

  // MARK: Snapshots

  /// Every file here (recursively) with its bytes. An empty `-wal` counts as
  /// absent and `-shm` (SQLite's shared-memory index, not data) is left out,
  /// so two snapshots are equal exactly when no file's content changed.
  func snapshot() throws -> [String: Data] {
    var files: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: directory.path)
    while let relative = enumerator?.nextObject() as? String {
      let url = directory.appendingPathComponent(relative)
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
      if isDirectory.boolValue {
        files[relative + "/"] = Data()
        continue
      }
      if relative.hasSuffix("-shm") { continue }
      let data = try Data(contentsOf: url)
      if relative.hasSuffix("-wal") && data.isEmpty { continue }
      files[relative] = data
    }
    return files
  }

  // MARK: Normalising

  /// Replaces what is inherently random — key ids, 64-hex hashes, base64
  /// public keys, the default origin's random suffix — with placeholders.
  /// Key ids of fixture people become `ed25519:ADMIN___________` etc. (same
  /// width, so tables stay aligned); other key ids `ed25519:OTHER___________`.
  func normalise(_ text: String) -> String {
    var out = text
    for (person, id) in keyIDs {
      out = out.replacingOccurrences(of: id, with: person.keyPlaceholder)
    }
    out.replace(/ed25519:[0-9a-f]{16}/) { _ in "ed25519:OTHER___________" }
    out.replace(/[0-9a-f]{64,}/) { match in
      match.output.count != 64 || match.output.allSatisfy { $0 == "0" }
        ? String(match.output) : "<HASH>"
    }
    out.replace(/[A-Za-z0-9+\/]{43}=/) { _ in "<PUBKEY>" }
    out.replace(/almoner\/([A-Z0-9-]+)\/[0-9a-f]{8}/) { match in
      "almoner/\(match.output.1)/<RANDOM>"
    }
    return out
  }

  func normalised(_ result: CLIResult) -> CLIResult {
    CLIResult(
      status: result.status, stdout: normalise(result.stdout), stderr: normalise(result.stderr))
  }
}

/// The fixture ledger, built once per test process through the CLI and
/// copied for each test:
///
/// | seq | entry |
/// | --- | --- |
/// | 0 | genesis: 广安区 (GA), admin 李明 |
/// | 1–3 | units GA-BC 北城街道; GA-BC-JSL 建设路社区, GA-BC-WHL 文化路社区 (under GA-BC) |
/// | 4–6 | treasurers: 陈静 (GA), 赵磊 (GA-BC), 王芳 (GA-BC-JSL) |
/// | 7 | restricted fund elderly-canteen 老龄食堂 at GA |
/// | 8 | donation GA ¥50,000.00 广安区爱心企业联合会 (named), bank, 2026-08-15 |
/// | 9 | donation GA ¥1,200.50 张三 → 老龄食堂, wechat, 2026-09-01 |
/// | 10 | donation GA-BC-JSL ¥200.00 王小明, cash, 2026-10-02 |
/// | 11 | donation GA-BC-JSL ¥88.80 李四, alipay, 2026-10-15 |
///
/// The stranger (路人甲) has a key but no role. Every entry without `--date`
/// is dated 2026-11-29 (the fixed clock). No `--origin`: the random default.
enum Fixture {
  struct Template: Sendable {
    var directory: URL
    var keyIDs: [Person: String]
  }

  static let entryCount = 12

  static let template: Result<Template, HarnessError> = {
    do {
      return .success(try build())
    } catch let error as HarnessError {
      return .failure(error)
    } catch {
      return .failure(.unexpectedOutput("fixture: \(error)"))
    }
  }()

  private static func build() throws -> Template {
    let directory = try Paths.freshDirectory("template")
    let binary = try Paths.binary.get()
    func must(_ arguments: [String]) throws -> CLIResult {
      let result = try Runner.run(binary, arguments, in: directory)
      guard result.status == 0 else {
        throw HarnessError.fixtureStep(arguments.joined(separator: " "), result)
      }
      return result
    }
    var keyIDs: [Person: String] = [:]
    for person in Person.allCases {
      let result = try must(["key", "new", "--name", person.name, "--out", person.keyFile])
      guard let id = result.stdoutLines.first, id.wholeMatch(of: /ed25519:[0-9a-f]{16}/) != nil
      else { throw HarnessError.unexpectedOutput("key new printed:\n\(result)") }
      keyIDs[person] = id
    }
    let admin = ["--key", Person.admin.keyFile]
    _ = try must(["init", "--district", "GA", "--name", "广安区", "--admin-name", "李明"] + admin)
    _ = try must(["unit", "add", "GA-BC", "--name", "北城街道", "--parent", "GA"] + admin)
    _ = try must(["unit", "add", "GA-BC-JSL", "--name", "建设路社区", "--parent", "GA-BC"] + admin)
    _ = try must(["unit", "add", "GA-BC-WHL", "--name", "文化路社区", "--parent", "GA-BC"] + admin)
    for (unit, person) in [("GA", Person.ga), ("GA-BC", .bc), ("GA-BC-JSL", .jsl)] {
      _ = try must(
        [
          "member", "add", "--unit", unit, "--role", "treasurer", "--name", person.name,
          "--public-key", person.keyFile + ".pub",
        ] + admin)
    }
    _ = try must(
      [
        "fund", "open", "elderly-canteen", "--unit", "GA", "--name", "老龄食堂", "--restricted",
        "--purpose", "老年人助餐",
      ] + admin)
    _ = try must([
      "donate", "--unit", "GA", "--amount", "50000", "--donor", "广安区爱心企业联合会", "--named",
      "--channel", "bank", "--ref", "BANK-2026-0815-001", "--date", "2026-08-15", "--key", "ga.pem",
    ])
    _ = try must([
      "donate", "--unit", "GA", "--amount", "1200.50", "--donor", "张三", "--fund", "老龄食堂",
      "--channel", "wechat", "--date", "2026-09-01", "--key", "ga.pem",
    ])
    _ = try must([
      "donate", "--unit", "GA-BC-JSL", "--amount", "200", "--donor", "王小明", "--channel", "cash",
      "--date", "2026-10-02", "--key", "jsl.pem",
    ])
    _ = try must([
      "donate", "--unit", "建设路社区", "--amount", "88.8", "--donor", "李四", "--channel", "支付宝",
      "--date", "2026-10-15", "--key", "jsl.pem",
    ])
    return Template(directory: directory, keyIDs: keyIDs)
  }
}

/// python3 with the packages the suites need, when present.
enum Python {
  static let executable: URL? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { URL(fileURLWithPath: "\($0)/python3") }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }()

  static func has(_ module: String) -> Bool {
    guard let executable, let scratch = try? Paths.freshDirectory("py") else { return false }
    defer { try? FileManager.default.removeItem(at: scratch) }
    let result = try? Runner.run(executable, ["-c", "import \(module)"], in: scratch)
    return result?.status == 0
  }

  static let hasJSONSchema = has("jsonschema")
  static let hasWcwidth = has("wcwidth")

  /// Runs `script` with `arguments` in `directory`.
  static func run(_ script: String, _ arguments: [String], in directory: URL) throws -> CLIResult {
    guard let executable else { throw HarnessError.unexpectedOutput("python3 not found") }
    let file = directory.appendingPathComponent("script-\(UUID().uuidString).py")
    try Data(script.utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    return try Runner.run(executable, [file.path] + arguments, in: directory)
  }
}

// MARK: Assertions

/// Asserts a run's exit status, stdout and stderr together, after normalising.
func expectOutput(
  _ result: CLIResult, in workspace: Workspace, status: Int32 = 0, stdout: String,
  stderr: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
  let actual = workspace.normalised(result)
  #expect(actual.status == status, "exit status\n\(result)", sourceLocation: sourceLocation)
  #expect(actual.stdout == stdout, sourceLocation: sourceLocation)
  #expect(actual.stderr == stderr, sourceLocation: sourceLocation)
}

/// Parses JSON output with AlmonerKit's own parser (integers stay Int64).
func parseJSON(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws
  -> JSONValue
{
  do {
    return try JSONValue.parse(Array(text.utf8))
  } catch {
    Issue.record("not JSON (\(error)):\n\(text)", sourceLocation: sourceLocation)
    throw error
  }
}
