import GatehousePolicy
import Testing

/// `capture:`: files, a HEP collector, and what is refused.
struct CapturePolicyTests {
    static let head = """
        version: 1
        node: { name: n }
        realms: { a: { listen: ["udp://127.0.0.1:5060"] } }

        """

    @Test func filesAndCollector() throws {
        let policy = try PolicyFixtures.load(
            Self.head + """
                capture:
                  directory: captures
                  file_size: 1MB
                  files: 5
                  hep: { address: "127.0.0.1:9060", agent_id: 7, password: pw }
                """)
        #expect(
            policy.capture
                == CaptureSettings(
                    directory: "captures", fileSize: 1_048_576, files: 5,
                    hep: HEPSettings(host: "127.0.0.1", port: 9060, agentID: 7, password: "pw")))
        let defaults = try PolicyFixtures.load(Self.head + "capture: { hep: { address: \"[::1]:9060\" } }\n")
        #expect(defaults.capture?.directory == nil && defaults.capture?.hep?.host == "::1")
        #expect(defaults.capture?.fileSize == CaptureSettings.defaultFileSize)
        #expect(try PolicyFixtures.load(Self.head).capture == nil)
    }

    @Test func problemsAreReportedWhereTheyAre() {
        let found = PolicyFixtures.diagnostics(
            Self.head + """
                capture: { directory: c, file_size: 10TB, files: 0, hep: { address: "collector:9060" } }
                """)
        #expect(found.map(\.code) == [.badValue, .badValue, .badAddress], "\(found)")
        #expect(found.allSatisfy { $0.line == 4 })
        let empty = PolicyFixtures.diagnostics(Self.head + "capture: { files: 3 }\n")
        #expect(empty.map(\.code) == [.missingKey])
    }
}
