import Media
import SDP
import Testing

/// The small values around the association: key splitting, profiles, datagram classification.
@Suite("DTLS-SRTP values")
struct DTLSValueTests {
    @Test("exported material splits into client and server key and salt (RFC 5764 §4.2)")
    func keySplit() throws {
        let material = (0..<60).map { UInt8($0) }
        let client = try #require(DTLSSRTPKeys(splitting: material, profile: .aes128CMSHA1Tag80, role: .client))
        #expect(client.localKey == Array(0..<16))
        #expect(client.remoteKey == Array(16..<32))
        #expect(client.localSalt == Array(32..<46))
        #expect(client.remoteSalt == Array(46..<60))
        #expect(client.localKeySalt == Array(0..<16) + Array(32..<46))
        let server = try #require(DTLSSRTPKeys(splitting: material, profile: .aes128CMSHA1Tag80, role: .server))
        #expect(server.localKeySalt == client.remoteKeySalt)
        #expect(server.remoteKeySalt == client.localKeySalt)
        #expect(DTLSSRTPKeys(splitting: material, profile: .aeadAES128GCM, role: .client) == nil)
        let gcm = try #require(
            DTLSSRTPKeys(splitting: Array(material.prefix(56)), profile: .aeadAES128GCM, role: .server))
        #expect(gcm.localSalt == Array(44..<56))
        #expect(!"\(client)".contains("0, 1, 2"), "keys stay out of log lines")
    }

    @Test("profiles carry their use_srtp identifiers and lengths")
    func profiles() {
        #expect(DTLSSRTPProfile(identifier: 0x0001) == .aes128CMSHA1Tag80)
        #expect(DTLSSRTPProfile(identifier: 0x0002) == .aes128CMSHA1Tag32)
        #expect(DTLSSRTPProfile(identifier: 0x0007) == .aeadAES128GCM)
        #expect(DTLSSRTPProfile(identifier: 0x0008) == nil)
        #expect(DTLSSRTPKeys.materialLength(for: .aes128CMSHA1Tag80) == 60)
        #expect(DTLSSRTPKeys.materialLength(for: .aeadAES128GCM) == 56)
    }

    @Test("the first byte sorts a media datagram (RFC 7983 §7)")
    func demultiplexing() {
        let expected: [(ClosedRange<UInt8>, MediaDatagramKind)] = [
            (0...3, .stun), (4...15, .unknown), (16...19, .zrtp), (20...63, .dtls), (64...79, .turnChannel),
            (80...127, .unknown), (128...191, .rtpOrRTCP), (192...255, .unknown),
        ]
        for (range, kind) in expected {
            for byte in range { #expect(MediaDatagramKind(firstByte: byte) == kind, "first byte \(byte)") }
        }
        #expect(MediaDatagramKind(classifying: [UInt8]()) == .unknown)
        #expect(MediaDatagramKind(classifying: [0x80, 0x00]) == .rtpOrRTCP)
        #expect(MediaDatagramKind(classifying: [22, 254, 253]) == .dtls)
    }
}
