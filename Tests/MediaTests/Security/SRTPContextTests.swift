import Media
import NIOCore
import TestSupport
import Testing

/// libsrtp through `SRTPContext`: what one side protects with a key, a context with the same key unprotects, for
/// each suite; a changed byte fails authentication and a packet seen twice is a replay, each reported apart.
@Suite struct SRTPContextTests {
    /// A deterministic key for `suite` (the tests need two contexts to share it).
    static func key(_ suite: SRTPCryptoSuite, seed: UInt8 = 1) -> SRTPMasterKey {
        SRTPMasterKey(suite: suite, keySalt: (0..<suite.keySaltLength).map { UInt8($0) &* 7 &+ seed })!
    }

    /// A buffer with room for the trailer after `bytes`.
    static func buffer(_ bytes: [UInt8]) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count + SRTPContext.trailerRoom)
        buffer.writeBytes(bytes)
        return buffer
    }

    static let tagLengths: [SRTPCryptoSuite: Int] = [
        .aesCM128HMACSHA1Tag80: 10, .aesCM128HMACSHA1Tag32: 4, .aeadAES128GCM: 16,
    ]

    @Test(arguments: SRTPCryptoSuite.allCases)
    func protectThenUnprotectRestoresThePacket(suite: SRTPCryptoSuite) throws {
        let sender = try SRTPContext(key: Self.key(suite), direction: .outbound)
        let receiver = try SRTPContext(key: Self.key(suite), direction: .inbound)
        let plain = TestPackets.rtp(sequence: 7, timestamp: 1120)
        var packet = Self.buffer(plain)
        #expect(sender.protect(&packet, isRTCP: false) == .ok)
        #expect(packet.readableBytes == plain.count + Self.tagLengths[suite]!)
        let wire = Array(packet.readableBytesView)
        #expect(Array(wire[0..<12]) == Array(plain[0..<12]), "the RTP header stays in clear")
        #expect(Array(wire[12..<plain.count]) != Array(plain[12...]), "the payload is encrypted")
        #expect(receiver.unprotect(&packet, isRTCP: false) == .ok)
        #expect(Array(packet.readableBytesView) == plain)
    }

    @Test(arguments: SRTPCryptoSuite.allCases)
    func srtcpRoundTrips(suite: SRTPCryptoSuite) throws {
        let sender = try SRTPContext(key: Self.key(suite), direction: .outbound)
        let receiver = try SRTPContext(key: Self.key(suite), direction: .inbound)
        let plain = TestPackets.rtcpReceiverReport
        var packet = Self.buffer(plain)
        #expect(sender.protect(&packet, isRTCP: true) == .ok)
        #expect(packet.readableBytes > plain.count + 4, "SRTCP adds its index and a tag")
        #expect(receiver.unprotect(&packet, isRTCP: true) == .ok)
        #expect(Array(packet.readableBytesView) == plain)
    }

    @Test(arguments: SRTPCryptoSuite.allCases)
    func aTamperedPacketFailsAuthentication(suite: SRTPCryptoSuite) throws {
        let sender = try SRTPContext(key: Self.key(suite), direction: .outbound)
        let receiver = try SRTPContext(key: Self.key(suite), direction: .inbound)
        var packet = Self.buffer(TestPackets.rtp(sequence: 1, timestamp: 0))
        #expect(sender.protect(&packet, isRTCP: false) == .ok)
        var bytes = Array(packet.readableBytesView)
        bytes[40] ^= 0x01
        var tampered = Self.buffer(bytes)
        #expect(receiver.unprotect(&tampered, isRTCP: false) == .authenticationFailure)
    }

    @Test func aReplayedPacketIsAReplay() throws {
        let sender = try SRTPContext(key: Self.key(.aesCM128HMACSHA1Tag80), direction: .outbound)
        let receiver = try SRTPContext(key: Self.key(.aesCM128HMACSHA1Tag80), direction: .inbound)
        var packet = Self.buffer(TestPackets.rtp(sequence: 100, timestamp: 0))
        #expect(sender.protect(&packet, isRTCP: false) == .ok)
        let wire = Array(packet.readableBytesView)
        var first = Self.buffer(wire)
        var again = Self.buffer(wire)
        #expect(receiver.unprotect(&first, isRTCP: false) == .ok)
        #expect(receiver.unprotect(&again, isRTCP: false) == .replay)
    }

    @Test func aWrongKeyFailsAuthentication() throws {
        let sender = try SRTPContext(key: Self.key(.aesCM128HMACSHA1Tag32, seed: 1), direction: .outbound)
        let receiver = try SRTPContext(key: Self.key(.aesCM128HMACSHA1Tag32, seed: 2), direction: .inbound)
        var packet = Self.buffer(TestPackets.rtp(sequence: 1, timestamp: 0))
        #expect(sender.protect(&packet, isRTCP: false) == .ok)
        #expect(receiver.unprotect(&packet, isRTCP: false) == .authenticationFailure)
    }

    @Test func protectingTheSameSequenceNumberTwiceIsRefused() throws {
        let sender = try SRTPContext(key: Self.key(.aesCM128HMACSHA1Tag80), direction: .outbound)
        var first = Self.buffer(TestPackets.rtp(sequence: 5, timestamp: 0))
        var second = Self.buffer(TestPackets.rtp(sequence: 5, timestamp: 0))
        #expect(sender.protect(&first, isRTCP: false) == .ok)
        #expect(sender.protect(&second, isRTCP: false) == .replay, "keystream is never used twice")
    }

    @Test func aBufferWithoutRoomForTheTagIsNotProtected() throws {
        let sender = try SRTPContext(key: Self.key(.aesCM128HMACSHA1Tag80), direction: .outbound)
        let whole = ByteBuffer(bytes: TestPackets.rtp(sequence: 1, timestamp: 0) + [0, 0, 0, 0])
        // A slice ends where its bytes end: like a datagram in NIO's read buffer, it has no room after them.
        var tight = try #require(whole.getSlice(at: 0, length: 172))
        #expect(tight.writableBytes < SRTPContext.trailerRoom)
        #expect(sender.protect(&tight, isRTCP: false) == .failure)
        #expect(tight.readableBytes == 172, "left as it was")
    }

    @Test func keysAreTheSuitesLengthAndFromTheGenerator() {
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        var other = SeededGenerator(seed: 43)
        for suite in SRTPCryptoSuite.allCases {
            let key = SRTPMasterKey.random(for: suite, using: &first)
            #expect(key.keySalt.count == suite.keySaltLength)
            #expect(key == SRTPMasterKey.random(for: suite, using: &second))
            #expect(key != SRTPMasterKey.random(for: suite, using: &other))
        }
        #expect(SRTPCryptoSuite.aeadAES128GCM.keySaltLength == 28)
        #expect(SRTPCryptoSuite.aesCM128HMACSHA1Tag32.keySaltLength == 30)
        #expect(SRTPMasterKey(suite: .aeadAES128GCM, keySalt: [UInt8](repeating: 1, count: 30)) == nil)
        #expect("\(SRTPMasterKey.random(for: .aeadAES128GCM, using: &first))" == "AEAD_AES_128_GCM key (hidden)")
    }
}
