import Foundation

/// The checks on a body's values that its type can't express: display text,
/// amounts, keys. The body types call them from `validate()` with the field's
/// path (`donation.donor.display`), so a refusal names the field. The path
/// is built only for a refusal: these checks run on every entry a replay
/// reads.
enum BodyCheck {
  /// Longest display text (unit, fund, member, donor names; purposes; reasons).
  static let textLengthMax = 200

  static func fail(_ field: String, _ why: String) -> AlmonerError {
    .refused(.entryFieldInvalid(field: field, detail: why))
  }

  /// Text holding none of the characters ledger text may not hold
  /// (`Text.firstRefusedCharacter`), for fields with their own format.
  static func plainText(_ text: String, _ field: @autoclosure () -> String) throws(AlmonerError) {
    if let refused = Text.firstRefusedCharacter(in: text) {
      throw fail(field(), Text.refusalDescription(refused))
    }
  }

  /// Non-empty text of at most `textLengthMax` characters, holding only what
  /// `Text.input` lets in: an entry written by another tool is held to the
  /// same line as one typed at the command line.
  static func displayText(_ text: String, _ field: @autoclosure () -> String) throws(AlmonerError) {
    guard !text.isEmpty else { throw fail(field(), "不能为空") }
    try plainText(text, field())
    guard text.count <= textLengthMax else {
      throw fail(field(), "过长（最多 \(textLengthMax) 个字）")
    }
  }

  /// A positive amount of fen no larger than `Money.fenMax`.
  static func amountFen(_ fen: Int64, _ field: @autoclosure () -> String) throws(AlmonerError) {
    guard fen > 0, fen <= Money.fenMax else { throw fail(field(), "应为正的分数额（1 至 \(Money.fenMax)）") }
  }

  /// An amount of fen from zero to `Money.fenMax` (thresholds, balances).
  static func amountFenOrZero(_ fen: Int64, _ field: @autoclosure () -> String) throws(AlmonerError)
  {
    guard fen >= 0, fen <= Money.fenMax else { throw fail(field(), "应为 0 至 \(Money.fenMax) 的分数额") }
  }

  /// A seq (or count): not negative.
  static func seq(_ seq: Int64, _ field: @autoclosure () -> String) throws(AlmonerError) {
    guard seq >= 0 else { throw fail(field(), "不能为负") }
  }

  /// A raw Ed25519 public key, base64 in the entry; small-order and
  /// non-canonical keys are refused (`Ed25519Point`), on append and replay.
  static func publicKey(_ text: String, _ field: @autoclosure () -> String) throws(AlmonerError)
    -> [UInt8]
  {
    guard let data = Data(base64Encoded: text), data.count == PublicKey.rawByteCount,
      data.base64EncodedString() == text
    else { throw fail(field(), "应为 base64 编码的 32 字节 Ed25519 公钥") }
    let raw = [UInt8](data)
    if let weakness = Ed25519Point.weakness(raw) {
      throw fail(field(), "不可用：" + Ed25519Point.keyRefusal(weakness))
    }
    return raw
  }
}
