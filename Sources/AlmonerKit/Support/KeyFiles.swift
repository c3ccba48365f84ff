import Foundation

/// Key files on disk: PKCS#8 private keys (mode 0600) and SubjectPublicKeyInfo
/// public keys, both PEM so `openssl` reads them (DESIGN §2).
public enum KeyFiles {
  /// Writes `key` to `path` (0600) and its public half to `path.pub`.
  /// Refuses to overwrite either file.
  public static func write(_ key: SigningKey, to path: String) throws(AlmonerError) {
    let publicPath = path + ".pub"
    for existing in [path, publicPath] where FileManager.default.fileExists(atPath: existing) {
      throw .badInput("\(existing) 已存在；为免覆盖已有密钥，请换一个文件名")
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
      throw .badInput("无法写入 \(path)：\(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    let bytes = Array(contents.utf8)
    let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
    guard written == bytes.count, fsync(descriptor) == 0 else {
      unlink(path)
      throw .failure("写入 \(path) 失败：\(String(cString: strerror(errno)))")
    }
  }

  /// Reads the text of a key file, naming the file in every failure.
  private static func read(_ path: String, what: String) throws(AlmonerError) -> String {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw .badInput("找不到\(what)文件 \(path)")
    }
    guard !isDirectory.boolValue else { throw .badInput("\(path) 是目录，不是\(what)文件") }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .badInput("无法读取\(what)文件 \(path)：没有读取权限")
    }
    guard data.count <= 64 * 1024, let text = String(data: data, encoding: .utf8) else {
      throw .badInput("\(path) 不是\(what)文件（PEM 文本）")
    }
    return text
  }

  public static func readPrivate(_ path: String) throws(AlmonerError) -> SigningKey {
    let text = try read(path, what: "私钥")
    do {
      return try SigningKey(pem: text)
    } catch {
      throw .badInput("\(path)：\(error.message)")
    }
  }

  public static func readPublic(_ path: String) throws(AlmonerError) -> PublicKey {
    let text = try read(path, what: "公钥")
    do {
      return try PublicKey(pem: text)
    } catch {
      throw .badInput("\(path)：\(error.message)")
    }
  }
}
