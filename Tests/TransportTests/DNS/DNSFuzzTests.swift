import TestSupport
import Testing

@testable import Transport

/// The parser is the attack surface (STYLE rule 14): random and mutated packets must never trap or hang, and what
/// parses must make sense.
@Suite struct DNSFuzzTests {
    @Test func randomBytesNeverTrap() {
        var generator = SeededGenerator(seed: 0xD15EA5E)
        for _ in 0..<5_000 {
            let length = Int.random(in: 0...600, using: &generator)
            var packet = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Keep the counts small half of the time, so that parsing gets past the header more often.
            if packet.count >= 12, Bool.random(using: &generator) {
                for index in [4, 6, 8, 10] { packet[index] = 0 }
                for index in [5, 7, 9, 11] { packet[index] &= 0x03 }
            }
            check(packet)
        }
    }

    @Test func mutatedPacketsNeverTrap() {
        var generator = SeededGenerator(seed: 0x5EED)
        for iteration in 0..<20_000 {
            var packet = DNSMessageParsingTests.seeds[iteration % DNSMessageParsingTests.seeds.count]
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                switch Int.random(in: 0..<5, using: &generator) {
                case 0:  // flip a byte
                    let index = Int.random(in: 0..<packet.count, using: &generator)
                    packet[index] = .random(in: 0...255, using: &generator)
                case 1:  // make a byte look like a compression pointer
                    let index = Int.random(in: 0..<packet.count, using: &generator)
                    packet[index] = 0xC0 | .random(in: 0...0x3F, using: &generator)
                case 2:  // cut the end off
                    packet.removeLast(Int.random(in: 0..<packet.count, using: &generator))
                case 3:  // insert random bytes
                    let index = Int.random(in: 0...packet.count, using: &generator)
                    let count = Int.random(in: 1...8, using: &generator)
                    packet.insert(
                        contentsOf: (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }, at: index)
                default:  // duplicate a stretch, as a confused encoder might
                    let start = Int.random(in: 0..<packet.count, using: &generator)
                    let end = min(packet.count, start + Int.random(in: 1...16, using: &generator))
                    packet.insert(contentsOf: packet[start..<end], at: start)
                }
                if packet.isEmpty { packet = [0] }
            }
            check(packet)
        }
    }

    /// Parses `packet` as a message and as an answer to a query; names that parse survive a text round trip.
    private func check(_ packet: [UInt8]) {
        let query = DNSQuery(id: 0x1234, question: DNSQuestion(name: "sip.example.test", type: .a))
        _ = query.answer(in: packet[...])
        guard let message = try? DNSMessage(parsing: packet) else { return }
        let names =
            message.questions.map(\.name)
            + (message.answers + message.authorities + message.additionals).map(\.name)
        for name in names {
            #expect(name.wireBytes.count <= DNSName.maximumWireLength)
            #expect((try? DNSName(parsing: name.description)) == name, "\(name)")
        }
    }
}
