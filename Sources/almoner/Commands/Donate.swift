import AlmonerKit
import ArgumentParser

struct Donate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "记录一笔捐赠（本单位记账员签署）",
    discussion: """
      捐赠人姓名不写入公开记录：记录中只有打码的显示名（张*）和加盐承诺值；
      姓名与盐单独保存，可按本人要求删除。捐赠人同意公开署名时加 --named。
      --donor-type organisation（单位）的捐赠以全称公示；anonymous（匿名）的公示为「匿名」，可不写 --donor。
      流水号（--ref）已在账本中时拒绝记录，确属另一笔时加 --allow-duplicate-ref。
      例：almoner donate --unit GA-BC-JSL --amount 500 --donor 张三 --channel wechat --key wangfang.pem
      """)

  @Option(help: "受赠单位代码或名称") var unit: String
  @Option(parsing: .unconditional, help: "金额（元），最多两位小数，例如 500 或 500.50") var amount: String
  @Option(help: "捐赠人姓名或单位名称（匿名捐赠可不写）") var donor: String?
  @Option(help: "捐赠人类型：person（个人，默认）、organisation（单位/机构/组织）、anonymous（匿名）")
  var donorType = "person"
  @Flag(help: "捐赠人同意在公开报表中署名") var named = false
  @Option(help: "定向基金代码或名称（默认非定向基金）") var fund: String?
  @Option(help: "渠道：wechat、alipay、bank、cash、other（也可写中文，如 微信支付、支付宝、银行转账）")
  var channel: Channel = .other
  @Option(help: "外部流水号，例如支付单号") var ref: String?
  @Flag(help: "流水号已在账本中也照常记录") var allowDuplicateRef = false
  @Option(help: "记账日期 YYYY-MM-DD（默认今天）") var date: String?
  @OptionGroup var ledger: LedgerOptions
  @OptionGroup var key: KeyOptions
  @OptionGroup var output: FormatOptions

  func run() throws {
    let type = try DonorType.parse(donorType, field: "--donor-type")
    guard donor != nil || type == .anonymous else {
      throw AlmonerError.refused(.donorMissing)
    }
    if named && type != .person {
      throw AlmonerError.refused(.namedNotPerson)
    }
    let input = DonationInput(
      unit: unit, amount: try parseAmount(amount), donor: donor ?? "", named: named, fund: fund,
      channel: channel, reference: ref, date: try parseDate(date, "--date"),
      donorType: type, allowsDuplicateReference: allowDuplicateRef)
    let signer = try key.load()
    let book = try ledger.open()
    let appended = try book.donate(input, signer: signer)
    guard case .donation(let donation) = appended.entry.body else {
      preconditionFailure("donate appends a donation")
    }
    let display = donation.donor.display
    output.confirm(
      book, appended,
      text: {
        let fund = donation.fund == Fund.generalCode ? Fund.generalName : "基金 \(donation.fund)"
        return
          "已记录捐赠：记录 #\(appended.seq)，\(donation.unit) \(fund)，\(display) \(input.amount.displayText)（\(donation.channel.displayName)），日期 \(appended.entry.date)\n"
      },
      json: { Rendering.appendedJSON(appended) })
  }
}
