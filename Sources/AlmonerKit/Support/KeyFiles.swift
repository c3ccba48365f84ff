import Foundation

/// Key files on disk: PKCS#8 private keys (mode 0600) and SubjectPublicKeyInfo
/// public keys, both PEM so `openssl` reads them (DESIGN §2).
public enum KeyFiles {
  /// Writes `key` to `path` (0600) and its public half to `path.pub`.
  /// Refuses to overwrite either file.
  public static func write(_ key: SigningKey, to path: String) throws(AlmonerError) {
    let publicPath = path + ".pub"
    for existing in [path, publicPath] where FileManager.default.fileExists(atPath: existing) {
      throw .refused(.keyFileExists(path: existing))
    }
    try create(path, contents: key.pem, mode: 0o600)
    do {
      try create(publicPath, contents: key.publicKey.pem, mode: 0o644)
    } catch {
      unlink(path)
      throw error
    }
  }

  private static func create(_ path: String, contents: String, mode: mode_t) throws(AlmonerError) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
    guard descriptor >= 0 else {
      throw .refused(.keyFileNotCreatable(path: path, reason: String(cString: strerror(errno))))
    }
    defer { close(descriptor) }
    let bytes = Array(contents.utf8)
    let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
    guard written == bytes.count, fsync(descriptor) == 0 else {
      unlink(path)
      throw .refused(.keyFileWriteFailed(path: path, reason: String(cString: strerror(errno))))
    }
  }

  /// Reads the text of a key file, naming the file in every failure.
  private static func read(_ path: String, what: Refusal.KeyHalf) throws(AlmonerError) -> String {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw .refused(.keyFileMissing(what, path: path))
    }
    guard !isDirectory.boolValue else { throw .refused(.keyFileIsDirectory(what, path: path)) }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .refused(.keyFileUnreadable(what, path: path))
    }
    guard data.count <= 64 * 1024, let text = String(data: data, encoding: .utf8) else {
      throw .refused(.keyFileNotPEM(what, path: path))
    }
    return text
  }

  /// Most bytes a passphrase may have (OpenSSL's PEM_BUFSIZE is 1024).
  public static let passphraseByteCountMax = 1_000

  /// Reads a private key, decrypting it with `passphrase` when it is
  /// encrypted PKCS#8. Refuses a key file that group or others may read, as
  /// ssh does, with the `chmod 600` that fixes it.
  public static func readPrivate(_ path: String, passphrase: [UInt8]? = nil) throws(AlmonerError)
    -> SigningKey
  {
    let text = try read(path, what: .privateKey)
    // Only a file that holds a private key is held to the rule: a public key
    // or some other file given by mistake gets the message that says so.
    if text.contains("PRIVATE KEY-----") { try checkOwnerOnly(path) }
    do {
      return try SigningKey(pem: text, passphrase: passphrase)
    } catch {
      throw error.inField(path)
    }
  }

  /// Refuses `path` when its mode lets group or others read or write it.
  private static func checkOwnerOnly(_ path: String) throws(AlmonerError) {
    var status = stat()
    guard stat(path, &status) == 0 else {
      throw .refused(.keyFileModeUnreadable(path: path, reason: String(cString: strerror(errno))))
    }
    let mode = status.st_mode & 0o777
    guard mode & 0o077 == 0 else {
      let digits = String(mode, radix: 8)
      let octal = String(repeating: "0", count: 4 - digits.count) + digits
      throw .refused(.keyFilePermissions(path: path, mode: octal, quotedPath: shellQuoted(path)))
    }
  }

  /// `path` as one shell word, quoted only when it needs to be.
  static func shellQuoted(_ path: String) -> String {
    let plain = path.unicodeScalars.allSatisfy {
      ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
        || "/._-+,:@%=".unicodeScalars.contains($0)
        || ($0.value > 0x7F && $0.properties.isAlphabetic)
    }
    return plain && !path.isEmpty
      ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// The passphrase in a passphrase file: its first line, without the line
  /// break (as `openssl … -pass file:PATH` reads it).
  public static func readPassphrase(_ path: String) throws(AlmonerError) -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw .refused(.passphraseFileMissing(path: path))
    }
    guard !isDirectory.boolValue else { throw .refused(.passphraseFileIsDirectory(path: path)) }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .refused(.passphraseFileUnreadable(path: path))
    }
    var line = [UInt8](data.prefix { $0 != 0x0A })
    if line.last == 0x0D { line.removeLast() }
    guard !line.isEmpty else { throw .refused(.passphraseEmpty(path: path)) }
    guard line.count <= passphraseByteCountMax else {
      throw .refused(.passphraseTooLong(path: path, max: passphraseByteCountMax))
    }
    return line
  }

  public static func readPublic(_ path: String) throws(AlmonerError) -> PublicKey {
    let text = try read(path, what: .publicKey)
    do {
      return try PublicKey(pem: text)
    } catch {
      throw error.inField(path)
    }
  }
}
