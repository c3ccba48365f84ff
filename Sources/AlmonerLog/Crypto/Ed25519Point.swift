/// The checks on Ed25519 encodings that OpenSSL's verify leaves out.
///
/// OpenSSL checks that S < L and recomputes R from the key, but it accepts a
/// public key of small order: with the identity point as the key, R = identity
/// and S = 0 "verify" every message (PLATFORM.md). So every key that enters
/// Almoner, and the R of every signature, is checked here first.
///
/// An encoding is 32 bytes: y little-endian in the low 255 bits, the sign
/// (low bit) of x in the top bit (RFC 8032 §5.1.2). Two kinds are refused:
///
/// - **Small order**: the eight points P with [8]P = identity (the torsion
///   subgroup, cyclic of order 8 for edwards25519). A signature under such a
///   key needs no private key, and a small-order R lets one signature match
///   several keys. Their canonical encodings are `smallOrderEncodings`.
/// - **Non-canonical**: y ≥ p = 2^255 − 19 (the same point as y − p), or x = 0
///   with the sign bit set ("−0", for y = 1 and y = p − 1). Six of these
///   name small-order points: y = p (≡ 0) and y = p + 1 (≡ 1), each with
///   either sign, and the "−0" encodings of the points of order 1 and 2 —
///   the "eight plus six alternative encodings" of C2SP's CCTV ed25519
///   vectors. No other small-order y has a twin, as y + p must stay below
///   2^255 (only y ≤ 18 do). Every y ≥ p is refused, twin or not.
///
/// Sources: libsodium `ge25519_has_small_order` (its blocklist of y values
/// 0, 1, p − 1, p, p + 1 and the two order-8 y's, compared with the sign bit
/// masked) and `ge25519_is_canonical`, crypto_core/ed25519/ref10; Chalkias,
/// Garillot, Nikolaenko, "Taming the many EdDSAs" (2020). The list is
/// re-derived by point arithmetic in Python in `Ed25519PointTests`.
package enum Ed25519Point {
  static let byteCount = 32

  /// Why an encoding is refused.
  package enum Weakness: Equatable, Sendable {
    case smallOrder
    case nonCanonical
  }

  /// The canonical encodings of the eight points of small order, hex of the
  /// 32 bytes as they appear on the wire.
  static let smallOrderEncodings: [[UInt8]] = [
    // Order 1: the identity (x = 0, y = 1).
    "0100000000000000000000000000000000000000000000000000000000000000",
    // Order 2: (0, −1), y = p − 1.
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    // Order 4: (±√−1, 0), both signs of x.
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    // Order 8: y = 2707385501144840649318225287225658788936804267575313519463743609750303402022.
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    // Order 8: y = 55188659117513257062467267217118295137698188065244968500265048394206261417927.
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
  ].map { hex in
    guard let bytes = Hex.decode(hex), bytes.count == 32 else {
      preconditionFailure("bad small-order constant \(hex)")
    }
    return bytes
  }

  /// p = 2^255 − 19, little-endian.
  static let fieldPrime: [UInt8] = [0xED] + [UInt8](repeating: 0xFF, count: 30) + [0x7F]

  /// L = 2^252 + 27742317777372353535851937790883648493, the order of the
  /// base point, little-endian (RFC 8032 §5.1).
  static let groupOrder: [UInt8] =
    [
      0xED, 0xD3, 0xF5, 0x5C, 0x1A, 0x63, 0x12, 0x58, 0xD6, 0x9C, 0xF7, 0xA2, 0xDE, 0xF9, 0xDE,
      0x14,
    ] + [UInt8](repeating: 0, count: 15) + [0x10]

  /// Why `encoding` must not be used as a key or as R, or nil when it may.
  /// Does not decide whether the point is on the curve (OpenSSL does).
  package static func weakness(_ encoding: some Collection<UInt8>) -> Weakness? {
    let bytes = [UInt8](encoding)
    precondition(bytes.count == byteCount, "an Ed25519 point is 32 bytes")
    var y = bytes
    y[31] &= 0x7F
    let xIsNegative = bytes[31] & 0x80 != 0
    if !lessThan(y, fieldPrime) { return .nonCanonical }
    if xIsNegative && (y == one || y == minusOne) { return .nonCanonical }
    if smallOrderEncodings.contains(bytes) { return .smallOrder }
    return nil
  }

  /// True when the scalar `s` (32 bytes, little-endian) is below L, as
  /// RFC 8032 §5.1.7 requires of a signature's S.
  static func isReducedScalar(_ s: some Collection<UInt8>) -> Bool {
    let bytes = [UInt8](s)
    precondition(bytes.count == byteCount, "an Ed25519 scalar is 32 bytes")
    return lessThan(bytes, groupOrder)
  }

  /// The Chinese reason a key with `weakness` is refused, naming what to do.
  package static func keyRefusal(_ weakness: Weakness) -> String {
    refusal(weakness).message()
  }

  /// The refusal of a key with `weakness`.
  package static func refusal(_ weakness: Weakness) -> Refusal {
    switch weakness {
    case .smallOrder: .publicKeySmallOrder
    case .nonCanonical: .publicKeyNonCanonical
    }
  }

  // MARK: Helpers

  private static let one: [UInt8] = [1] + [UInt8](repeating: 0, count: 31)
  private static let minusOne: [UInt8] = [0xEC] + [UInt8](repeating: 0xFF, count: 30) + [0x7F]

  /// `a < b` for little-endian numbers of equal length.
  private static func lessThan(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    precondition(a.count == b.count)
    for index in a.indices.reversed() where a[index] != b[index] {
      return a[index] < b[index]
    }
    return false
  }
}
