import Foundation

#if canImport(AlmonerKit)
  import AlmonerKit
#else
  import Canonical
#endif

/// The folder holding the RFC 8785 test vectors (`input/`, `output/`, `outhex/`).
///
/// Walks up from this source file to the first directory containing `Tests/Vectors`, so it
/// works both in the standalone package and in the main project.
func vectorsURL() -> URL {
  var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  while directory.path != "/" {
    let candidate = directory.appendingPathComponent("Tests/Vectors")
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
      isDirectory.boolValue
    {
      return candidate.appendingPathComponent("jcs")
    }
    directory.deleteLastPathComponent()
  }
  return URL(fileURLWithPath: "/nonexistent/Tests/Vectors/jcs")
}

/// A tiny deterministic SplitMix64 generator, so random tests repeat exactly.
struct CanonicalSplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Builds random JSON values from pieces chosen to stress escaping, sorting and Unicode.
struct CanonicalValueGenerator {
  var random: CanonicalSplitMix64

  /// Scalars that exercise escaping, UTF-16 sort order and normalisation.
  static let trickyScalars: [Unicode.Scalar] = [
    "a", "b", "z", "A", "0", " ", "\"", "\\", "/", "\u{00}", "\u{01}", "\u{08}", "\u{09}",
    "\u{0A}", "\u{0C}", "\u{0D}", "\u{1F}", "\u{7F}", "\u{80}", "\u{E9}", "\u{301}", "\u{30A}",
    "\u{C5}", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{E000}", "\u{FFFD}", "\u{FFFF}",
    "\u{10000}", "\u{1F600}", "\u{1F602}", "\u{10FFFF}", "张", "账", "€", "\u{F6}", "\u{FB33}",
  ]

  init(seed: UInt64) {
    random = CanonicalSplitMix64(seed: seed)
  }

  mutating func int(_ range: ClosedRange<Int>) -> Int {
    Int.random(in: range, using: &random)
  }

  mutating func string() -> String {
    let length = int(0...12)
    var scalars = String.UnicodeScalarView()
    for _ in 0..<length {
      if int(0...2) == 0 {
        scalars.append(Self.trickyScalars[int(0...Self.trickyScalars.count - 1)])
      } else {
        scalars.append(Unicode.Scalar(UInt8(int(0x20...0x7E))))
      }
    }
    return String(scalars)
  }

  mutating func integer() -> Int64 {
    let edges: [Int64] = [
      0, 1, -1, 9, 10, -10, 99, 100, JSONValue.integerMax, -JSONValue.integerMax,
      JSONValue.integerMax - 1, 1 << 32, -(1 << 31),
    ]
    switch int(0...3) {
    case 0: return edges[int(0...edges.count - 1)]
    case 1: return Int64(int(-1000...1000))
    default: return Int64.random(in: -JSONValue.integerMax...JSONValue.integerMax, using: &random)
    }
  }

  mutating func value(depth: Int = 0) -> JSONValue {
    let choice = depth >= 4 ? int(0...3) : int(0...5)
    switch choice {
    case 0: return .null
    case 1: return .bool(int(0...1) == 1)
    case 2: return .integer(integer())
    case 3: return .string(string())
    case 4:
      var elements: [JSONValue] = []
      for _ in 0..<int(0...5) { elements.append(value(depth: depth + 1)) }
      return .array(elements)
    default:
      var object = JSONObject()
      for _ in 0..<int(0...6) { object[string()] = value(depth: depth + 1) }
      return .object(object)
    }
  }
}

/// Writes JSON the plain way, independently of the canonical encoder: members in insertion
/// order, spaces after separators, every non-ASCII character as `\uXXXX`.
func canonicalTestLooseJSON(_ value: JSONValue) -> String {
  switch value {
  case .null: return "null"
  case .bool(let flag): return flag ? "true" : "false"
  case .integer(let number): return String(number)
  case .string(let string): return canonicalTestEscapedASCII(string)
  case .array(let elements):
    return "[" + elements.map(canonicalTestLooseJSON).joined(separator: ", ") + "]"
  case .object(let object):
    let members = object.members.map {
      canonicalTestEscapedASCII($0.key) + ": " + canonicalTestLooseJSON($0.value)
    }
    return "{" + members.joined(separator: ", ") + "}"
  }
}

/// Quotes a string with every character outside printable ASCII escaped as `\uXXXX`.
func canonicalTestEscapedASCII(_ string: String) -> String {
  var result = "\""
  for unit in string.utf16 {
    switch unit {
    case 0x22: result += "\\\""
    case 0x5C: result += "\\\\"
    case 0x20...0x7E: result.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
    default:
      let hex = String(unit, radix: 16, uppercase: true)
      result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
  }
  return result + "\""
}

/// RFC 8785 for the integer-only subset, in Python, as an independent reference.
let canonicalPythonJCS = """
  import json, sys

  def reorder(value):
      if isinstance(value, dict):
          items = sorted(value.items(), key=lambda item: item[0].encode("utf-16-be"))
          return {key: reorder(inner) for key, inner in items}
      if isinstance(value, list):
          return [reorder(inner) for inner in value]
      return value

  out = sys.stdout.buffer
  for line in sys.stdin.buffer.read().decode("utf-8").split("\\n"):
      if line:
          text = json.dumps(reorder(json.loads(line)), ensure_ascii=False,
                            separators=(",", ":"), sort_keys=False)
          out.write(text.encode("utf-8") + b"\\n")
  """

/// Runs the Python reference on one JSON document per line; returns one output per line.
func canonicalPythonReference(_ documents: [String]) throws -> [[UInt8]] {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3", "-c", canonicalPythonJCS]
  let input = Pipe()
  let output = Pipe()
  process.standardInput = input
  process.standardOutput = output
  try process.run()
  let text = documents.joined(separator: "\n") + "\n"
  input.fileHandleForWriting.write(Data(text.utf8))
  try input.fileHandleForWriting.close()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0 else {
    throw CanonicalTestFailure(message: "python3 exited with \(process.terminationStatus)")
  }
  return Array(data).split(separator: 0x0A, omittingEmptySubsequences: false)
    .dropLast()
    .map(Array.init)
}

/// A failure in test scaffolding (not in the code under test).
struct CanonicalTestFailure: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

/// Parses text as UTF-8 bytes.
func canonicalTestParse(_ text: String) throws(CanonicalError) -> JSONValue {
  try JSONValue.parse(Array(text.utf8))
}

/// Shows bytes for test failure messages.
func canonicalTestShow(_ bytes: [UInt8]) -> String {
  String(decoding: bytes, as: UTF8.self)
}
