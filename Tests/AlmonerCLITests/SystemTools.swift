import Foundation

/// What the machine lets a test do beyond running `almoner`: make a file
/// immutable, mount a tiny file system that fills up, or run as another user
/// who can only read. Tests that need one are skipped where it is missing
/// (each says which), never faked.
///
/// These tests usually run as root, and root ignores permission bits: a
/// ledger with mode 0444 in a 0555 folder is still writable to root. So
/// "read-only" is made real by running `almoner` as `nobody` (`setpriv`), or
/// by `chattr +i`, which binds root too.
enum SystemTools {
  static func find(_ name: String) -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    return
      (path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/sbin", "/bin", "/sbin"])
      .map { URL(fileURLWithPath: "\($0)/\(name)") }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }

  /// Runs a tool in `directory`; nil when the tool is not installed.
  @discardableResult
  static func run(_ tool: String, _ arguments: [String], in directory: URL) throws -> CLIResult? {
    guard let executable = find(tool) else { return nil }
    return try Runner.run(executable, arguments, in: directory)
  }

  /// `chattr +i` works here (root with CAP_LINUX_IMMUTABLE, on ext4 and the like).
  static let canMakeImmutable: Bool = {
    guard let scratch = try? Paths.freshDirectory("chattr") else { return false }
    defer { try? FileManager.default.removeItem(at: scratch) }
    let file = scratch.appendingPathComponent("probe")
    guard FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8)),
      (try? run("chattr", ["+i", file.path], in: scratch))?.status == 0
    else { return false }
    let stuck = (try? Data("y".utf8).write(to: file)) == nil
    _ = try? run("chattr", ["-i", file.path], in: scratch)
    return stuck
  }()

  /// `chattr +i` / `-i` on paths of a workspace.
  static func setImmutable(_ immutable: Bool, _ paths: [String], in ws: Workspace) throws {
    let result = try run("chattr", [immutable ? "+i" : "-i"] + paths, in: ws.directory)
    guard result?.status == 0 else {
      throw HarnessError.unexpectedOutput("chattr failed: \(result.map { "\($0)" } ?? "missing")")
    }
  }

  /// A private mount namespace can mount a tmpfs (root, `unshare`, `mount`).
  static let canMountTmpfs: Bool = {
    guard let scratch = try? Paths.freshDirectory("tmpfs") else { return false }
    defer { try? FileManager.default.removeItem(at: scratch) }
    let result = try? run(
      "unshare", ["-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs \"$1\"", "sh", scratch.path],
      in: scratch)
    return result?.status == 0
  }()

  /// `almoner` can run as `nobody` (uid 65534) through `setpriv`.
  static let canRunAsNobody: Bool = {
    guard getuid() == 0, let binary = try? Paths.binary.get(),
      let scratch = try? Paths.freshDirectory("nobody")
    else { return false }
    defer { try? FileManager.default.removeItem(at: scratch) }
    let result = try? run("setpriv", nobody + [binary.path, "--version"], in: scratch)
    return result?.status == 0
  }()

  static let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups"]

  /// Runs `almoner` as `nobody` in the workspace.
  static func runAsNobody(_ ws: Workspace, _ arguments: [String]) throws -> CLIResult {
    guard let setpriv = find("setpriv") else {
      throw HarnessError.unexpectedOutput("setpriv not found")
    }
    return try Runner.run(
      setpriv, nobody + [try Paths.binary.get().path] + arguments, in: ws.directory)
  }

  /// Runs `script` with `sh` in a private mount namespace, so a tmpfs it
  /// mounts disappears with it; `$1` is the almoner binary.
  static func runUnshared(_ ws: Workspace, _ script: String) throws -> CLIResult {
    guard let unshare = find("unshare") else {
      throw HarnessError.unexpectedOutput("unshare not found")
    }
    return try Runner.run(
      unshare, ["-m", "sh", "-c", script, "sh", try Paths.binary.get().path], in: ws.directory)
  }
}
