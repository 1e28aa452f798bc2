import Foundation
import GatehousePolicy
import Logging
import NIOConcurrencyHelpers
import PCF
import Testing

@testable import GatehouseServer

/// The CDR file: one valid JSON line per call, rotation by size and by age, and how many rotated files stay.
struct CDRWriterTests {
    static func record(_ call: Int, at time: Date = Date(timeIntervalSince1970: 1_795_000_000)) -> CallDetailRecord {
        let party = CallDetailRecord.Party(
            uri: "sip:+15551230000@127.0.0.3", number: "+15551230000", peer: "carrier", realm: "core",
            address: "udp:127.0.0.3:5060")
        return CallDetailRecord(
            icid: "icid-\(call)", node: "edge-1", call: call, caller: party, callee: party, setupTime: time,
            answerTime: time.addingTimeInterval(2), endTime: time.addingTimeInterval(62), durationSeconds: 60,
            disconnect: .init(status: 200, reason: "BYE", side: .callee), codecs: ["audio PCMU"],
            media: [
                .init(
                    stream: 0,
                    caller: .init(
                        rtpPackets: 3000, rtpBytes: 516_000, rtcpPackets: 12, lost: 1, jitterMilliseconds: 0.5,
                        dropped: 0),
                    callee: .init(
                        rtpPackets: 2999, rtpBytes: 515_828, rtcpPackets: 12, lost: 0, jitterMilliseconds: 0.25,
                        dropped: 0))
            ],
            policyControl: SessionPolicyDecision(
                caller: PolicyDecision(flows: [], totalBitrate: 0, allowance: nil, verdict: .admit)))
    }

    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gh-cdr-\(UUID().uuidString)").path
        return path
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
    }

    @Test func oneJSONLinePerCall() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = CDRWriter(logger: Logger(label: "cdr-test"))
        let destination = CDRDestination(directory: directory, fileSize: 1 << 20, interval: nil, files: 3)
        for call in 1...3 { writer.write(Self.record(call), to: destination) }
        await writer.flush()
        let lines = try Self.lines(directory + "/cdr.jsonl")
        #expect(lines.count == 4 && lines.last == "", "three lines, each ended by a newline")
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["icid"] as? String == "icid-1")
        #expect(first["setup_time"] as? String == "2026-11-18T11:06:40.000Z")
        #expect(first["answer_time"] as? String == "2026-11-18T11:06:42.000Z")
        #expect((first["disconnect"] as? [String: Any])?["side"] as? String == "callee")
        #expect(
            ((first["media"] as? [[String: Any]])?.first?["caller"] as? [String: Any])?["rtp_packets"] as? Int == 3000)
        #expect(try CallDetailRecord(line: lines[2]) == Self.record(3))
        writer.close()
    }

    @Test func rotatesBySizeAndKeepsTheNewestFiles() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = NIOLockedValueBox(Date(timeIntervalSince1970: 1_795_000_000))
        let writer = CDRWriter(logger: Logger(label: "cdr-test")) { clock.withLockedValue { $0 } }
        let size = try CDRWriter.encode(Self.record(1)).count + 1
        // Two records fit in a file; the third starts a new one.
        let destination = CDRDestination(directory: directory, fileSize: 2 * size + 10, interval: nil, files: 2)
        for call in 1...9 {
            clock.withLockedValue { $0 = $0.addingTimeInterval(1) }
            writer.write(Self.record(call), to: destination)
        }
        await writer.flush()
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(names == ["cdr-20261118T110647.jsonl", "cdr-20261118T110649.jsonl", "cdr.jsonl"], "\(names)")
        #expect(try Self.lines(directory + "/cdr.jsonl").count == 2, "call 9 alone in the current file")
        #expect(try Self.lines(directory + "/cdr-20261118T110649.jsonl").first?.contains("icid-7") == true)
        writer.close()
    }

    @Test func rotatesByAge() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = NIOLockedValueBox(Date(timeIntervalSince1970: 1_795_000_000))
        let writer = CDRWriter(logger: Logger(label: "cdr-test")) { clock.withLockedValue { $0 } }
        let destination = CDRDestination(directory: directory, fileSize: 1 << 20, interval: .seconds(3600), files: 5)
        writer.write(Self.record(1), to: destination)
        clock.withLockedValue { $0 = $0.addingTimeInterval(1800) }
        writer.write(Self.record(2), to: destination)
        clock.withLockedValue { $0 = $0.addingTimeInterval(1800) }
        writer.write(Self.record(3), to: destination)
        await writer.flush()
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(names == ["cdr-20261118T120640.jsonl", "cdr.jsonl"], "\(names)")
        #expect(try Self.lines(directory + "/cdr-20261118T120640.jsonl").count == 3)
        writer.close()
    }

    @Test func theStateDirectoryIsNotMade() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let settings = CDRSettings()
        let destination = try #require(
            CDRDestination(settings, state: "sqlite:\(directory)/state.db", policyDirectory: "/"))
        #expect(destination.directory == directory && !destination.createsDirectory)
        let writer = CDRWriter(logger: Logger(label: "cdr-test"))
        writer.write(Self.record(1), to: destination)
        await writer.flush()
        #expect(!FileManager.default.fileExists(atPath: directory))
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        writer.write(Self.record(2), to: destination)
        await writer.flush()
        #expect(try Self.lines(directory + "/cdr.jsonl").count == 2)
        #expect(CDRDestination(.init(isEnabled: false), state: "sqlite:/x/state.db", policyDirectory: "/") == nil)
        let relative = CDRDestination(.init(directory: "records"), state: "sqlite:state.db", policyDirectory: "/etc/gh")
        #expect(relative?.directory == "/etc/gh/records" && relative?.createsDirectory == true)
        writer.close()
    }
}
