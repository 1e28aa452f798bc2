import SIPMessage
import Testing

@testable import Border

/// The policy's static ENUM table: longest prefix wins, `x` wildcards fix the length.
@Suite struct StaticENUMTableTests {
    let table: StaticENUMTable

    init() throws {
        table = try StaticENUMTable([
            StaticENUMTable.Entry("+1555123xxxx", target: .peer("lab-carrier")),
            StaticENUMTable.Entry("+1555019", target: .peer("lab-pbx")),
            StaticENUMTable.Entry("+155501", target: .uri(try URI(parsing: "sip:ims.gatehouse.test"))),
            StaticENUMTable.Entry("+1555", target: .peer("nanp-default")),
            StaticENUMTable.Entry("+1555123", target: .peer("open-range")),
            StaticENUMTable.Entry("+", target: .peer("everything-else")),
        ])
    }

    private func lookup(_ text: String) throws -> StaticENUMTable.Target? {
        table.lookup(try E164Number(parsing: text))?.target
    }

    @Test func longestPrefixWins() throws {
        #expect(try lookup("+15550190001") == .peer("lab-pbx"))
        #expect(try lookup("+15550100001") == .uri(try URI(parsing: "sip:ims.gatehouse.test")))
        #expect(try lookup("+15559990000") == .peer("nanp-default"))
        #expect(try lookup("+442079460000") == .peer("everything-else"))
    }

    @Test func fixedLengthBeforeOpenRange() throws {
        #expect(try lookup("+15551230000") == .peer("lab-carrier"))
        #expect(try lookup("+155512300001") == .peer("open-range"))
    }

    @Test func badEntries() throws {
        for pattern in ["1555", "+1555x1", "+15551230000000000", "+1555?"] {
            let error = #expect(throws: NumberingError.self) {
                try StaticENUMTable.Entry(pattern, target: .peer("p"))
            }
            #expect(error?.code == .badTableEntry, "\(pattern)")
        }
        let duplicate = #expect(throws: NumberingError.self) {
            try StaticENUMTable([
                StaticENUMTable.Entry("+1-555-123", target: .peer("a")),
                StaticENUMTable.Entry("+1555123", target: .peer("b")),
            ])
        }
        #expect(duplicate?.code == .badTableEntry)
    }

    @Test func emptyTable() throws {
        #expect(try StaticENUMTable([]).lookup(E164Number(parsing: "+15551230000")) == nil)
    }
}
