import AlmonerKit
import ArgumentParser
import Foundation

/// `--ledger PATH`, shared by every command that opens a ledger.
struct LedgerOptions: ParsableArguments {
  @Option(name: .long, help: "账本文件（默认 $ALMONER_LEDGER 或 ./almoner.db）")
  var ledger: String?

  var path: String {
    ledger ?? ProcessInfo.processInfo.environment["ALMONER_LEDGER"] ?? "almoner.db"
  }

  func open() throws(AlmonerError) -> Ledger {
    try Ledger.open(at: path, clock: .fromEnvironment())
  }

  /// Opens the ledger read-only, for commands that only read it: they also
  /// work on a copy the user may not write.
  func openForReading() throws(AlmonerError) -> Ledger {
    try Ledger.open(at: path, clock: .fromEnvironment(), access: .readOnly)
  }
}

/// `--key PATH`: the signer's private key, with `--passphrase-file PATH`
/// when the key is encrypted.
struct KeyOptions: ParsableArguments {
  @Option(name: .long, help: "签名私钥文件（PEM；默认 $ALMONER_KEY）")
  var key: String?

  @Option(name: .long, help: "加密私钥的口令文件（第一行为口令；默认取环境变量 $ALMONER_KEY_PASSPHRASE）")
  var passphraseFile: String?

  /// The key file's path, from `--key` or `$ALMONER_KEY`.
  var path: String? { key ?? ProcessInfo.processInfo.environment["ALMONER_KEY"] }

  /// The passphrase from `--passphrase-file`, else `$ALMONER_KEY_PASSPHRASE`
  /// (unset or empty: none).
  func passphrase() throws(AlmonerError) -> [UInt8]? {
    if let passphraseFile { return try KeyFiles.readPassphrase(passphraseFile) }
    guard let text = ProcessInfo.processInfo.environment["ALMONER_KEY_PASSPHRASE"], !text.isEmpty
    else { return nil }
    return Array(text.utf8)
  }

  func load() throws(AlmonerError) -> SigningKey {
    guard let path else {
      throw .refused(.keyOptionMissing)
    }
    return try KeyFiles.readPrivate(path, passphrase: try passphrase())
  }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

/// `--format text|json`.
struct FormatOptions: ParsableArguments {
  @Option(name: .long, help: "输出格式")
  var format: OutputFormat = .text

  /// Prints `text()` or the JSON form.
  func emit(text: () -> String, json: () -> JSONValue) {
    if format == .json { Output.printJSON(Rendering.json(json())) } else { Output.print(text()) }
  }

  /// A write's confirmation: `text()`, then a line saying what the entry
  /// did — units by name and code, fund, counterparty — so the signer sees
  /// exactly what was signed; or the JSON form.
  func confirm(
    _ ledger: Ledger, _ appended: AppendedEntry, text: () -> String, json: () -> JSONValue
  ) {
    emit(text: { text() + "内容：\(ledger.describe(appended))\n" }, json: json)
  }
}

/// Parses a choice such as a role or channel from its code or its Chinese
/// name (`treasurer` or `记账员`), with a message listing what is allowed.
func parseChoice<T: CaseIterable & RawRepresentable>(
  _ text: String, _ field: String, name: (T) -> String
) throws(AlmonerError) -> T where T.RawValue == String {
  let wanted = text.trimmingCharacters(in: .whitespaces)
  if let match = T.allCases.first(where: { $0.rawValue == wanted || name($0) == wanted }) {
    return match
  }
  let allowed = T.allCases.map { "\($0.rawValue)（\(name($0))）" }.joined(separator: "、")
  throw .refused(.choiceInvalid(field: field, value: text, allowed: allowed))
}

func parseDate(_ text: String?, _ field: String) throws(AlmonerError) -> AccountingDate? {
  guard let text else { return nil }
  do {
    return try AccountingDate(text)
  } catch {
    throw error.inField(field)
  }
}

func parseAmount(_ text: String) throws(AlmonerError) -> Money {
  do {
    return try Money.parseYuan(text)
  } catch {
    throw error.inField("--amount")
  }
}
