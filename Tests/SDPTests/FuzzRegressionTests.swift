import Foundation
import SDP
import Testing

/// Inputs the fuzzer once broke the codec with (fuzz/regressions/*.sdp): each must now parse, and survive
/// serialize → parse as an equal description.
struct FuzzRegressionTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fuzz/regressions")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".sdp") }.sorted()
    }

    @Test func thereAreRegressions() {
        #expect(!Self.files.isEmpty)
    }

    @Test(arguments: files)
    func roundTrips(_ file: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.directory.appendingPathComponent(file)))
        let first = try SessionDescription(parsing: bytes)
        let second = try SessionDescription(parsing: first.serializedBytes())
        #expect(first == second)
    }
}
