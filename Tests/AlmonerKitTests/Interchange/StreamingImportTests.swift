import Foundation
import GRDB
import Testing

@testable import AlmonerKit

/// `import donations` reads its bill once, a block at a time, and appends as
/// it reads, in one transaction: memory stays flat however long the bill is,
/// and the file's own references are found through `donation_ref`.
@Suite("Import: streaming the bill")
struct StreamingImportTests {
  /// A default-layout bill of `count` rows to GA-BC-JSL, reference `R<i>`
  /// unless `reference` says otherwise; `row` may replace a row.
  static func bill(
    _ count: Int, reference: (Int) -> String = { "R\($0)" }, row: (Int) -> String? = { _ in nil }
  ) -> [UInt8] {
    var text = "date,unit,fund,amount,donor,channel,reference\n"
    for index in 0..<count {
      text +=
        row(index) ?? "2026-11-01,GA-BC-JSL,,\(1 + index % 90).50,张三,wechat,\(reference(index))\n"
    }
    return Array(text.utf8)
  }

  static func write(_ bytes: [UInt8], in directory: TemporaryDirectory) throws -> String {
    let path = directory.path("bill-\(UUID().uuidString).csv")
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test("a bill is read a block at a time: after its first row, only the first block is read")
  func readsABlockAtATime() throws {
    let directory = try TemporaryDirectory()
    let bytes = Self.bill(80_000)
    #expect(bytes.count > 3 * BillBytes.blockByteCount)
    let bill = try BillBytes(path: try Self.write(bytes, in: directory), what: "账单文件")
    #expect(bill.byteCount == bytes.count)
    var records = CSVRecords.Iterator(bytes: bill, encoding: .utf8, separator: ",")
    #expect(records.next()?.cells.first == "date")
    #expect(records.bytesRead == BillBytes.blockByteCount)
    var count = 1
    while let record = records.next() {
      count += 1
      #expect(record.problem == nil)
      #expect(record.cells.count == 7, "line \(record.line): \(record.cells)")
    }
    #expect(count == 80_001)
    #expect(records.bytesRead == bytes.count)
  }

  @Test("lines across block boundaries are read whole; CRLF and a last line without a line feed")
  func blockBoundaries() throws {
    // Rows of every length around the block size, so that line feeds and
    // carriage returns fall on each side of the boundary.
    var text = ""
    var expected: [String] = []
    var index = 0
    while text.utf8.count < 2 * BillBytes.blockByteCount + 500 {
      let cell = String(repeating: "好", count: index % 37) + "\(index)"
      expected.append(cell)
      text += cell + (index % 3 == 0 ? "\r\n" : "\n")
      index += 1
    }
    text += "最后一行"
    expected.append("最后一行")
    let records = CSVRecords.read(Array(text.utf8), encoding: .utf8, separator: ",")
    #expect(records.map { $0.cells.first ?? "" } == expected)
    #expect(records.last?.line == expected.count)
  }

  @Test("a line longer than the limit is named by its line; the lines after it are read")
  func lineTooLong() throws {
    let long = String(repeating: "x", count: BillLines.lineLengthMax + 10)
    let text = "a,b\n" + long + "\nc,d\n" + long + long
    let records = CSVRecords.read(Array(text.utf8), encoding: .utf8, separator: ",")
    #expect(records.count == 4)
    #expect(records[0].cells == ["a", "b"])
    #expect(records[1].line == 2)
    #expect(records[1].problem?.contains("过长") == true)
    #expect(records[2].cells == ["c", "d"])
    #expect(records[3].line == 4)
    #expect(records[3].problem?.contains("过长") == true)
  }

  @Test("a bill that does not exist, or is a folder, is refused naming it")
  func missingBill() throws {
    let directory = try TemporaryDirectory()
    for path in [directory.path("none.csv"), directory.url.path] {
      #expect {
        _ = try BillBytes(path: path, what: "账单文件")
      } throws: { error in
        (error as? AlmonerError)?.code == "input-file-missing"
      }
    }
  }

  @Test("a read that fails midway is refused naming the file and the system's reason")
  func readFailure() throws {
    // Linux: /proc/self/mem opens as a regular file, and reading its first
    // page (never mapped) fails with an I/O error.
    let bill = try BillBytes(path: "/proc/self/mem", what: "账单文件")
    var buffer: [UInt8] = []
    #expect {
      _ = try bill.read(appendingTo: &buffer)
    } throws: { error in
      let refusal = error as? AlmonerError
      return refusal?.code == "file-unreadable"
        && refusal?.message.hasPrefix("无法读取账单文件 /proc/self/mem（") == true
    }
    #expect(buffer.isEmpty)
  }

  static func importBill(
    _ fixture: Fixture, _ bytes: [UInt8], dryRun: Bool = false, allowingDuplicates: Bool = false
  ) throws -> ImportReport {
    try fixture.ledger.importDonations(
      file: "bill.csv", bill: BillBytes(bytes), rules: ImportRules(), dryRun: dryRun,
      allowsDuplicateReferences: allowingDuplicates, signer: fixture.communityTreasurer)
  }

  @Test("several commits in one transaction, the state sealed once at the end")
  func severalCommits() throws {
    let fixture = try Fixture()
    let before = try fixture.ledger.entryCount()
    let report = try Self.importBill(fixture, Self.bill(2_500))
    #expect(report.problems.isEmpty)
    #expect(report.count == 2_500)
    #expect(report.commitCount == 3)
    #expect(report.firstSeq == before)
    #expect(report.lastSeq == before + 2_499)
    #expect(try fixture.ledger.entryCount() == before + 2_500)
    #expect(try fixture.ledger.verify().isClean)
    // A re-import adds nothing and names where each reference already is.
    let again = try Self.importBill(fixture, Self.bill(2_500))
    #expect(again.count == 0)
    #expect(again.alreadyRecorded.count == 2_500)
    #expect(again.alreadyRecorded.last?.seq == before + 2_499)
    #expect(try fixture.ledger.entryCount() == before + 2_500)
  }

  @Test("a reference the file repeats after its first commit is named with the earlier line")
  func duplicateAcrossCommits() throws {
    let fixture = try Fixture()
    let before = try fixture.fileBytes()
    // Row 1,700 (line 1,702) repeats the reference of row 10 (line 12),
    // which went into the first commit; the last row repeats row 1,699.
    let bytes = Self.bill(
      2_100, reference: { $0 == 1_700 ? "R10" : $0 == 2_099 ? "R1699" : "R\($0)" })
    let report = try Self.importBill(fixture, bytes)
    #expect(
      report.problems == [
        ImportProblem(line: 1_702, reason: "流水号 R10 与第 12 行重复：同一笔钱不能记两次"),
        ImportProblem(line: 2_101, reason: "流水号 R1699 与第 1701 行重复：同一笔钱不能记两次"),
      ])
    #expect(report.firstSeq == nil)
    #expect(try fixture.fileBytes() == before, "the ledger is unchanged")
  }

  @Test("a refused row rolls back the commits already made; the rows after it are still checked")
  func refusedRowRollsBack() throws {
    let fixture = try Fixture()
    let count = try fixture.ledger.entryCount()
    let bytes = Self.bill(
      3_000, reference: { $0 == 2_900 ? "R2500" : "R\($0)" },
      row: { $0 == 2_400 ? "2026-11-01,GA-BC-JSL,,12.345,张三,wechat,X\n" : nil })
    let report = try Self.importBill(fixture, bytes)
    #expect(report.problems.map(\.line) == [2_402, 2_902])
    #expect(report.problems[1].reason.contains("与第 2502 行重复"))
    #expect(report.firstSeq == nil)
    #expect(report.commitCount == 0)
    #expect(try fixture.ledger.entryCount() == count)
    #expect(try fixture.ledger.verify().isClean)
    // The same file, corrected, goes in whole.
    let fixed = try Self.importBill(fixture, Self.bill(3_000))
    #expect(fixed.count == 3_000)
    #expect(try fixture.ledger.entryCount() == count + 3_000)
  }

  @Test("already recorded, then repeated in the file: skipped once, then refused")
  func recordedThenRepeated() throws {
    let fixture = try Fixture()
    _ = try Self.importBill(fixture, Self.bill(3))
    let bytes = Self.bill(5, reference: { $0 == 4 ? "R1" : "R\($0)" })
    let report = try Self.importBill(fixture, bytes)
    #expect(report.alreadyRecorded.map(\.line) == [2, 3, 4])
    #expect(report.problems == [ImportProblem(line: 6, reason: "流水号 R1 与第 3 行重复：同一笔钱不能记两次")])
    let dry = try Self.importBill(fixture, bytes, dryRun: true)
    #expect(dry.problems == report.problems)
    #expect(dry.donations.map(\.line) == [5])
  }

  @Test("--allow-duplicate-ref records every row, references repeated or not")
  func allowingDuplicates() throws {
    let fixture = try Fixture()
    let count = try fixture.ledger.entryCount()
    let report = try Self.importBill(
      fixture, Self.bill(1_200, reference: { "R\($0 % 7)" }), allowingDuplicates: true)
    #expect(report.problems.isEmpty)
    #expect(try fixture.ledger.entryCount() == count + 1_200)
  }

  @Test("a bill with nothing new writes nothing, not even an empty transaction's seal")
  func nothingNew() throws {
    let fixture = try Fixture()
    _ = try Self.importBill(fixture, Self.bill(2))
    let before = try fixture.fileBytes()
    let report = try Self.importBill(fixture, Self.bill(2))
    #expect(report.count == 0)
    #expect(report.firstSeq == nil)
    #expect(try fixture.fileBytes() == before)
  }

  @Test("daily balances summed over the whole import are those of its donations, day by day")
  func dailyBalancesOnce() throws {
    let fixture = try Fixture()
    // 2,300 donations over three days and two channels: three commits.
    let bytes = Self.bill(
      2_300,
      row: { index in
        let day = 1 + index % 3
        let channel = index % 2 == 0 ? "wechat" : "cash"
        return "2026-11-0\(day),GA-BC-JSL,,\(1 + index % 90).50,张三,\(channel),R\(index)\n"
      })
    let report = try Self.importBill(fixture, bytes)
    #expect(report.commitCount == 3)
    var expected: [String: Int64] = [:]
    for index in 0..<2_300 {
      let account = index % 2 == 0 ? "assets:bank" : "assets:cash"
      expected["2026-11-0\(1 + index % 3) \(account)", default: 0] +=
        Int64(1 + index % 90) * 100 + 50
    }
    let stored = try DatabaseQueue(path: fixture.path).read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT date, account, amount_fen FROM daily_balance
          WHERE unit = 'GA-BC-JSL' AND account LIKE 'assets:%'
          """)
    }
    var found: [String: Int64] = [:]
    for row in stored { found["\(row[0] as String) \(row[1] as String)", default: 0] += row[2] }
    #expect(found == expected)
    #expect(try fixture.ledger.verify().isClean)
  }
}
