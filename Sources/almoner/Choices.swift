import AlmonerKit
import ArgumentParser

/// An option whose value is one of a fixed list (a role, a channel, a
/// tier, a purpose category): given by its code or its Chinese name
/// (`treasurer` or `记账员`), listed in help with both, and refused at parse
/// time with the list of what is allowed.
protocol Choice: ExpressibleByArgument, CaseIterable, RawRepresentable<String> {
  /// The Chinese name a treasurer reads and may type.
  var displayName: String { get }
}

extension Choice {
  public init?(argument: String) {
    let wanted = argument.trimmingCharacters(in: .whitespaces)
    guard
      let match = Self.allCases.first(where: {
        $0.rawValue == wanted || $0.displayName == wanted
      })
    else { return nil }
    self = match
  }

  public static var allValueStrings: [String] {
    allCases.map { "\($0.rawValue)（\($0.displayName)）" }
  }
  public var defaultValueDescription: String { rawValue }
}

extension Role: Choice {}
extension Tier: Choice {}
extension PurposeCategory: Choice {}
extension ErasureReason: Choice {}
extension Disbursement.Status: Choice {}

extension Channel: Choice {
  /// Also what payment exports call a channel (微信支付, 银行转账 …).
  public init?(argument: String) {
    guard let channel = Channel(label: argument) else { return nil }
    self = channel
  }
}
