/// The "words" two purpose texts are compared by in the conduct rules, kept
/// simple enough to explain to a supervisor in one sentence: the text is
/// NFKC-normalised and lower-cased; each run of Chinese characters gives its
/// adjacent pairs (老年人助餐 → 老年、年人、人助、助餐; a lone character
/// stands for itself), each run of Latin letters or digits gives itself as a
/// word; punctuation and spaces separate runs. Nothing is guessed: two texts
/// match by the words they share, and a finding says which texts it compared.
struct PurposeWords: Sendable, Equatable {
  /// Longest text read; a purpose is short, and this bounds the work per entry.
  static let scalarCountMax = 256

  let words: Set<String>

  init(_ texts: String...) {
    var words: Set<String> = []
    for text in texts { PurposeWords.collect(text, into: &words) }
    self.words = words
  }

  private static func collect(_ text: String, into words: inout Set<String>) {
    let normalised = text.precomposedStringWithCompatibilityMapping.lowercased()
    var han: [Unicode.Scalar] = []
    var latin = ""
    func flushHan() {
      if han.count == 1 {
        words.insert(String(han[0]))
      } else if han.count > 1 {
        for index in 1..<han.count {
          var pair = String.UnicodeScalarView()
          pair.append(han[index - 1])
          pair.append(han[index])
          words.insert(String(pair))
        }
      }
      han.removeAll(keepingCapacity: true)
    }
    func flushLatin() {
      if !latin.isEmpty { words.insert(latin) }
      latin = ""
    }
    for scalar in normalised.unicodeScalars.prefix(scalarCountMax) {
      if scalar.properties.isIdeographic {
        flushLatin()
        han.append(scalar)
      } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
        flushHan()
        latin.unicodeScalars.append(scalar)
      } else {
        flushHan()
        flushLatin()
      }
    }
    flushHan()
    flushLatin()
  }

  /// The words both texts have.
  func shared(with other: PurposeWords) -> Set<String> { words.intersection(other.words) }

  /// How alike two texts are, 0…100: twice the shared words over all words
  /// of both (the Dice coefficient), in whole percent rounded down.
  func similarityPercent(to other: PurposeWords) -> Int64 {
    let total = words.count + other.words.count
    guard total > 0 else { return 0 }
    return Int64(200 * shared(with: other).count / total)
  }
}
