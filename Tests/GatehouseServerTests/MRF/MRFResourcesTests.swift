import Foundation
import GatehousePolicy
import MRF
import Media
import Testing

@testable import GatehouseServer

/// The node's view of `mrf:`: announcements read at load time, the MRF module's configuration, the tone family.
struct MRFResourcesTests {
    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "gatehouse-mrf-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A µ-law WAV file (format tag 7) holding `bytes`.
    static func muLawWAV(_ bytes: [UInt8]) -> Data {
        func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        let format: [UInt8] = [7, 0, 1, 0] + le32(8000) + le32(8000) + [1, 0, 8, 0]
        let body = Array("WAVEfmt ".utf8) + le32(16) + format + Array("data".utf8) + le32(bytes.count) + bytes
        return Data(Array("RIFF".utf8) + le32(body.count) + body)
    }

    @Test func readsAnnouncementsAndTranslatesTheSettings() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.muLawWAV([0xFF, 0x80, 0x00]).write(to: URL(fileURLWithPath: directory + "/closed.wav"))
        let settings = MRFSettings(
            domain: "mrf.example", announcements: ["closed": "closed.wav"], tones: .us, maxParticipants: 8,
            menus: ["main": MRFMenuSettings(prompt: "closed", digits: ["0": .transfer("sip:op@example.net")])])
        let resources = try MRFResources(settings, policyDirectory: directory)
        #expect(resources.announcements["closed"]?.samples == .g711(.muLaw, [0xFF, 0x80, 0x00]))
        #expect(resources.configuration.announcements == ["closed"])
        #expect(resources.configuration.maximumParticipants == 8)
        #expect(resources.configuration.menus["main"]?.choices["0"] == .transfer("sip:op@example.net"))
        #expect(resources.plan(for: .ringback).frequencies == [440, 480])
        #expect(MRFCodec.pcma.law == .aLaw && MRFCodec.pcmu.law == .muLaw)
    }

    @Test func aMissingOrBadFileIsAnErrorAtLoadTime() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("not a wav".utf8).write(to: URL(fileURLWithPath: directory + "/bad.wav"))
        for (name, path, reason) in [("gone", "gone.wav", "cannot be read"), ("bad", "bad.wav", "not-riff-wave")] {
            let settings = MRFSettings(domain: "mrf.example", announcements: [name: path])
            do {
                _ = try MRFResources(settings, policyDirectory: directory)
                Issue.record("\(path) accepted")
            } catch {
                #expect(error.announcement == name && error.reason.contains(reason), "\(error)")
            }
        }
    }
}
