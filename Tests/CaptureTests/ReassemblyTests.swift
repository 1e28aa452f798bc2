import Capture
import GatehousePolicy
import SIPMessage
import Testing

/// IP fragments and TCP streams put back together: out of order, overlapping, lost.
struct ReassemblyTests {
    @Test func ipv4FragmentsOutOfOrderMakeOneMessage() {
        let payload = Crafted.options(callID: "fragmented", size: 3_000)
        let pieces = Crafted.fragments(payload, pieceSize: 1_200)
        #expect(pieces.count == 3)
        let packets = [pieces[2], pieces[0], pieces[1]].map {
            CapturedPacket(timestamp: 1_000_000_000, linkType: .ethernet, bytes: $0)
        }
        let (messages, statistics) = Crafted.decode(packets)
        #expect(messages.count == 1)
        #expect(messages.first.flatMap(Crafted.bytes) == payload)
        #expect(statistics.fragments == 3)
        #expect(statistics.datagramsReassembled == 1)
    }

    @Test func ipv6FragmentsMakeOneMessage() {
        let payload = Crafted.options(callID: "fragmented-v6", size: 2_500)
        let pieces = Crafted.fragments(payload, from: Crafted.phone6, to: Crafted.node6, pieceSize: 1_000)
        let (messages, statistics) = Crafted.decode(
            pieces.reversed().map {
                CapturedPacket(timestamp: 5, linkType: .ethernet, bytes: $0)
            })
        #expect(messages.count == 1)
        #expect(messages.first.flatMap(Crafted.bytes) == payload)
        #expect(messages.first?.flow.source == Crafted.phone6)
        #expect(statistics.datagramsReassembled == 1)
    }

    @Test func aDatagramMissingAFragmentIsAbandonedAfterTheTimeout() {
        let pieces = Crafted.fragments(Crafted.options(callID: "lost", size: 3_000), pieceSize: 1_200)
        let late = Crafted.udp(Crafted.options(callID: "late"), at: 32_000_000_000)
        let (messages, statistics) = Crafted.decode([
            CapturedPacket(timestamp: 1_000_000_000, linkType: .ethernet, bytes: pieces[0]),
            CapturedPacket(timestamp: 1_000_000_000, linkType: .ethernet, bytes: pieces[2]),
            late,
            // The missing piece arrives after the timeout: on its own it completes nothing.
            CapturedPacket(timestamp: 32_000_000_001, linkType: .ethernet, bytes: pieces[1]),
        ])
        #expect(messages.count == 1)
        #expect(statistics.datagramsAbandoned == 1)
        #expect(statistics.datagramsReassembled == 0)
    }

    @Test func aMessageSplitOverTCPSegmentsOutOfOrderWithARetransmission() {
        let message = Crafted.options(callID: "tcp-split", size: 900)
        let first = Array(message[0..<300])
        let second = Array(message[300..<600])
        let third = Array(message[600...])
        let isn: UInt32 = 0xFFFF_FF00  // the sequence numbers wrap inside the message
        let packets = [
            Crafted.tcp([], sequence: isn, flags: 0x02),
            Crafted.tcp(third, sequence: isn &+ 601),
            Crafted.tcp(first, sequence: isn &+ 1),
            Crafted.tcp(first, sequence: isn &+ 1),  // a retransmission
            Crafted.tcp(Array(message[250..<600]), sequence: isn &+ 251),  // overlaps what was delivered
        ]
        let (messages, statistics) = Crafted.decode(packets)
        #expect(messages.count == 1)
        #expect(messages.first.flatMap(Crafted.bytes) == message)
        #expect(messages.first?.flow.transport == .tcp)
        #expect(statistics.tcpGaps == 0)
        _ = second
    }

    @Test func twoMessagesInOneSegmentAndADripFedThird() {
        let one = Crafted.options(callID: "one")
        let two = Crafted.options(callID: "two")
        let three = Crafted.options(callID: "three")
        var packets = [Crafted.tcp(one + two, sequence: 1_000)]
        var sequence = UInt32(1_000 + one.count + two.count)
        for byte in three {
            packets.append(Crafted.tcp([byte], sequence: sequence))
            sequence += 1
        }
        let (messages, _) = Crafted.decode(packets)
        #expect(messages.compactMap(Crafted.bytes) == [one, two, three])
    }

    @Test func aHoleTheCaptureNeverFillsIsSkipped() {
        var configuration = CaptureDecoder.Configuration()
        configuration.maximumTCPBufferedBytes = 1_000
        let lostPart = Crafted.options(callID: "lost", size: 600)
        let after = Crafted.options(callID: "after", size: 700)
        let later = Crafted.options(callID: "later", size: 700)
        let start: UInt32 = 5_000
        let packets = [
            Crafted.tcp(Array(lostPart.prefix(100)), sequence: start),
            // lostPart[100...] is never captured.
            Crafted.tcp(after, sequence: start + UInt32(lostPart.count)),
            Crafted.tcp(later, sequence: start + UInt32(lostPart.count + after.count)),
        ]
        let (messages, statistics) = Crafted.decode(packets, configuration: configuration)
        #expect(statistics.tcpGaps == 1)
        #expect(messages.compactMap(Crafted.bytes) == [after, later])
    }

    @Test func aStreamWithoutContentLengthFailsFramingOnce() {
        let message = Array("OPTIONS sip:n@127.0.0.232 SIP/2.0\r\nCall-ID: x\r\n\r\n".utf8)
        let (messages, _) = Crafted.decode([
            Crafted.tcp(message, sequence: 1),
            Crafted.tcp(Crafted.options(callID: "ignored"), sequence: UInt32(1 + message.count)),
        ])
        #expect(messages.count == 1)
        if case .framingFailed(let error)? = messages.first?.content {
            #expect(error.code == .missingContentLength)
        } else {
            Issue.record("expected a framing failure, got \(messages)")
        }
    }
}
