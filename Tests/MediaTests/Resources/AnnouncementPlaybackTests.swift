import Media
import Testing

/// Done-when for the MRF's announcements: what a caller receives decodes to the file's audio.
@Suite struct AnnouncementPlaybackTests {
    /// A 16-bit PCM file, packetized in each law, received and decoded: the samples equal the file's within G.711's
    /// quantization (half a step: 1/32 of the magnitude plus the lowest segment's step).
    @Test(arguments: G711Law.allCases) func receivedAudioDecodesToTheFile(law: G711Law) throws {
        let samples = TestAudio.sine(440, amplitude: 12000, count: 1000) + TestAudio.sine(1000, count: 370)
        let audio = try WAVReader.read(TestAudio.wav(data: TestAudio.pcm16(samples)))
        var packetizer = RTPPacketizer(
            payloadType: law.payloadType, ssrc: 0xCAFE_F00D, firstSequenceNumber: 65534, firstTimestamp: 4_294_967_000)
        let packets = packetizer.packets(g711: audio.encoded(as: law), law: law)
        #expect(packets.count == 9)  // 1370 samples: 8 full frames and one padded

        var received: [Int16] = []
        var expectedSequence: UInt16 = 65534
        var expectedTimestamp: UInt32 = 4_294_967_000
        for (index, bytes) in packets.enumerated() {
            let datagram = try #require(RTPDatagram(bytes: bytes))
            #expect(datagram.header.payloadType == law.payloadType)
            #expect(datagram.header.ssrc == 0xCAFE_F00D)
            #expect(datagram.header.marker == (index == 0))
            #expect(datagram.header.sequenceNumber == expectedSequence)
            #expect(datagram.header.timestamp == expectedTimestamp)
            #expect(datagram.payload.count == 160)
            expectedSequence &+= 1
            expectedTimestamp &+= 160
            received += law.decode(datagram.payload)
        }
        #expect(received.count == 1440)
        for (sent, got) in zip(samples, received) {
            #expect(abs(Int(got) - Int(sent)) <= abs(Int(sent)) / 32 + 16)
        }
        #expect(received[1370...].allSatisfy { abs(Int($0)) <= 8 })
    }

    /// A µ-law file played on a PCMU call goes out byte for byte.
    @Test func g711FileBytesGoOutUnchanged() throws {
        let bytes = G711Law.muLaw.encode(TestAudio.sine(300, count: 320))
        let audio = try WAVReader.read(TestAudio.wav(tag: 7, bits: 8, data: bytes))
        var packetizer = RTPPacketizer(payloadType: 0, ssrc: 1, firstSequenceNumber: 1, firstTimestamp: 0)
        let payloads = packetizer.packets(g711: audio.encoded(as: .muLaw), law: .muLaw).compactMap {
            RTPDatagram(bytes: $0)?.payload
        }
        #expect(payloads.flatMap { $0 } == bytes)
    }

    @Test func aTalkspurtAfterAPauseIsMarkedAgain() {
        var packetizer = RTPPacketizer(payloadType: 8, ssrc: 7, firstSequenceNumber: 10, firstTimestamp: 0)
        let first = packetizer.packet(payload: [UInt8](repeating: 0xD5, count: 160))
        let second = packetizer.packet(payload: [UInt8](repeating: 0xD5, count: 160))
        packetizer.skip(samples: 800)
        packetizer.startTalkspurt()
        let third = RTPDatagram(bytes: packetizer.packet(payload: [0xD5]))
        #expect(RTPDatagram(bytes: first)?.header.marker == true)
        #expect(RTPDatagram(bytes: second)?.header.marker == false)
        #expect(third?.header.marker == true)
        #expect(third?.header.timestamp == 1120)
        #expect(third?.header.sequenceNumber == 12)
    }

    @Test func payloadSkipsCSRCsExtensionAndPadding() {
        var bytes: [UInt8] = [0xB1, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]  // padding, extension, one CSRC
        bytes += [0, 0, 0, 9]  // CSRC
        bytes += [0xBE, 0xDE, 0, 1, 1, 2, 3, 4]  // one-word extension
        bytes += [0x11, 0x22, 0x33]  // payload
        bytes += [0, 0, 3]  // three bytes of padding
        #expect(RTPDatagram(bytes: bytes)?.payload == [0x11, 0x22, 0x33])
        #expect(RTPDatagram(bytes: [0x80, 0]) == nil)
    }
}
