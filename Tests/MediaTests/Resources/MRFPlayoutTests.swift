import Media
import Testing

@Suite struct MRFPlayoutTests {
    static func playout(telephoneEvent: UInt8? = 101) -> MRFPlayout {
        MRFPlayout(
            law: .aLaw, telephoneEventPayloadType: telephoneEvent, ssrc: 42, firstSequenceNumber: 100,
            firstTimestamp: 8000)
    }

    /// 50 ms of audio: three packets (the last padded), the end reported with the third, silence after.
    @Test func anAnnouncementIsSentFrameByFrameThenSilence() throws {
        var playout = Self.playout()
        let samples = TestAudio.sine(600, count: 400)
        playout.play(WAVAudio(samples: .linear(samples)))
        var received: [Int16] = []
        var finishedAt: Int?
        for tick in 0..<4 {
            let (packet, events) = playout.tick(at: .milliseconds(20 * tick))
            let bytes = try #require(packet)
            let datagram = try #require(RTPDatagram(bytes: bytes))
            #expect(datagram.header.payloadType == 8 && datagram.header.marker == (tick == 0))
            #expect(datagram.header.timestamp == 8000 + UInt32(160 * tick))
            received += G711Law.aLaw.decode(datagram.payload)
            if events == [.announcementFinished] { finishedAt = tick }
        }
        #expect(finishedAt == 2)
        #expect(zip(samples, received).allSatisfy { abs(Int($0) - Int($1)) <= abs(Int($0)) / 32 + 16 })
        #expect(received[400...].allSatisfy { abs(Int($0)) <= 8 })
    }

    @Test func holdSendsNothingButKeepsTheClock() throws {
        var playout = Self.playout()
        playout.play(ToneFamily.european.plan(for: .busy))
        _ = playout.tick(at: .zero)
        playout.pause()
        #expect(playout.tick(at: .milliseconds(20)).packet == nil)
        playout.resume()
        let packet = try #require(playout.tick(at: .milliseconds(40)).packet)
        let resumed = try #require(RTPDatagram(bytes: packet))
        #expect(resumed.header.timestamp == 8320 && resumed.header.sequenceNumber == 101 && resumed.header.marker)
    }

    /// SIPp's digit 1, received while a menu collects, becomes the menu's entry; before collection it is ignored.
    @Test func digitsReachTheMenuOnlyWhileCollecting() throws {
        let packets = try DTMFCollectorTests.rtpPackets(inCapture: "\(DTMFCollectorTests.captures)/dtmf_2833_1.pcap")
        var playout = Self.playout()
        #expect(packets.flatMap { playout.receive($0, at: .zero) }.isEmpty)
        playout.collectDigits(timeout: .seconds(5), at: .seconds(1))
        let events = packets.flatMap { playout.receive($0, at: .seconds(2)) }
        #expect(events == [.digits(.digits("1"))])
        var deaf = Self.playout(telephoneEvent: nil)
        deaf.collectDigits(timeout: .seconds(5), at: .zero)
        #expect(packets.flatMap { deaf.receive($0, at: .zero) }.isEmpty)
        #expect(deaf.tick(at: .seconds(5)).events == [.digits(.timedOut)])
    }
}
