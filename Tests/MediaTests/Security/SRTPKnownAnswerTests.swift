import Media
import NIOCore
import Testing

/// SRTP and SRTCP packets protected with a published key must come out byte for byte as published: libsrtp's
/// validation vector (key e1f97a0d…, SSRC 0xcafebabe, sequence 0x1234; the same bytes in several independent SRTP
/// implementations' tests). Round trips cannot catch a cipher or MAC that is wrong the same way on both sides; this
/// can, and it guards the OpenSSL AES-CM and HMAC-SHA1 that replace NSS's inside libsrtp (CSRTPOpenSSL).
@Suite struct SRTPKnownAnswerTests {
    static let key = SRTPMasterKey(
        suite: .aesCM128HMACSHA1Tag80,
        keySalt: [
            0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0, 0xd6, 0x4f, 0xa3, 0x2c, 0x06, 0xde, 0x41, 0x39,
            0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a, 0xfe, 0xeb, 0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6,
        ])!

    static let rtp: [UInt8] =
        [0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad, 0xca, 0xfe, 0xba, 0xbe]
        + [UInt8](repeating: 0xab, count: 16)
    static let srtp: [UInt8] = [
        0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad, 0xca, 0xfe, 0xba, 0xbe, 0x4e, 0x55, 0xdc, 0x4c,
        0xe7, 0x99, 0x78, 0xd8, 0x8c, 0xa4, 0xd2, 0x15, 0x94, 0x9d, 0x24, 0x02, 0xb7, 0x8d, 0x6a, 0xcc,
        0x99, 0xea, 0x17, 0x9b, 0x8d, 0xbb,
    ]
    static let rtcp: [UInt8] =
        [0x81, 0xc8, 0x00, 0x0b, 0xca, 0xfe, 0xba, 0xbe] + [UInt8](repeating: 0xab, count: 16)
    static let srtcp: [UInt8] = [
        0x81, 0xc8, 0x00, 0x0b, 0xca, 0xfe, 0xba, 0xbe, 0x71, 0x28, 0x03, 0x5b, 0xe4, 0x87, 0xb9, 0xbd,
        0xbe, 0xf8, 0x90, 0x41, 0xf9, 0x77, 0xa5, 0xa8, 0x80, 0x00, 0x00, 0x01, 0x99, 0x3e, 0x08, 0xcd,
        0x54, 0xd6, 0xc1, 0x23, 0x07, 0x98,
    ]

    static func buffer(_ bytes: [UInt8]) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count + SRTPContext.trailerRoom)
        buffer.writeBytes(bytes)
        return buffer
    }

    @Test func rtpIsProtectedAsPublished() throws {
        var packet = Self.buffer(Self.rtp)
        #expect(try SRTPContext(key: Self.key, direction: .outbound).protect(&packet, isRTCP: false) == .ok)
        #expect(Array(packet.readableBytesView) == Self.srtp)
    }

    @Test func thePublishedSRTPPacketUnprotects() throws {
        var packet = Self.buffer(Self.srtp)
        #expect(try SRTPContext(key: Self.key, direction: .inbound).unprotect(&packet, isRTCP: false) == .ok)
        #expect(Array(packet.readableBytesView) == Self.rtp)
    }

    @Test func rtcpIsProtectedAsPublished() throws {
        var packet = Self.buffer(Self.rtcp)
        #expect(try SRTPContext(key: Self.key, direction: .outbound).protect(&packet, isRTCP: true) == .ok)
        #expect(Array(packet.readableBytesView) == Self.srtcp)
    }

    @Test func thePublishedSRTCPPacketUnprotects() throws {
        var packet = Self.buffer(Self.srtcp)
        #expect(try SRTPContext(key: Self.key, direction: .inbound).unprotect(&packet, isRTCP: true) == .ok)
        #expect(Array(packet.readableBytesView) == Self.rtcp)
    }
}
