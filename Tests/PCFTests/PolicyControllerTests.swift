import Foundation
import GatehousePolicy
import PCF
import SDP
import Testing

/// Rules, defaults, classes and allowances.
struct PolicyControllerTests {
    static let audioVideo = """
        m=audio 4000 RTP/AVP 0 101\r
        a=rtpmap:101 telephone-event/8000\r
        m=video 4002 RTP/AVP 96\r
        b=AS:400\r
        a=rtpmap:96 H264/90000\r

        """

    let access = PolicyControlContext(realm: "access", peer: nil, party: "+15550190001")

    @Test func builtInDefaultsPerMediaType() throws {
        let offer = try CodecBitrateTests.media(Self.audioVideo)
        let decision = PolicyController(PolicyControlSettings()).decide(offer: offer, answer: offer, context: access)
        #expect(decision.verdict == .admit && decision.allowance == nil)
        #expect(decision.flows.map(\.fiveQI) == [1, 2] && decision.flows.map(\.qci) == [1, 2])
        #expect(decision.flows.map(\.dscp) == [46, 34] && decision.flows.map(\.arpPriority) == [2, 2])
        #expect(decision.flows.map(\.guaranteedBitrate) == [80_000, 400_000])
        #expect(decision.flows.map(\.maximumBitrate) == [80_000, 400_000] && decision.totalBitrate == 480_000)
        #expect(decision.dscp(ofStream: 1) == 34 && decision.dscp(ofStream: 5) == nil)
    }

    @Test func firstMatchingRuleDecidesAndDefaultsFillTheRest() throws {
        let settings = PolicyControlSettings(
            rules: [
                PolicyControlRule(
                    id: "carrier-voice", match: .init(peer: "carrier", media: "audio"), qos: .init(dscp: 40)),
                PolicyControlRule(
                    id: "gold", match: .init(subscriberClass: "gold"), qos: .init(fiveQI: 65, arpPriority: 1)),
                PolicyControlRule(id: "access", match: .init(realm: "access"), qos: .init(dscp: 0)),
            ],
            defaults: QoSParameters(arpPriority: 5), classes: [SubscriberClass(name: "gold", members: ["+1555019"])])
        let offer = try CodecBitrateTests.media(Self.audioVideo)
        let controller = PolicyController(settings)
        let gold = controller.decide(offer: offer, answer: nil, context: access)
        #expect(gold.flows.map(\.rule) == ["gold", "gold"])
        #expect(gold.flows.map(\.fiveQI) == [65, 65] && gold.flows.map(\.qci) == [nil, nil])
        #expect(gold.flows.map(\.arpPriority) == [1, 1] && gold.flows.map(\.dscp) == [46, 34])
        let plain = controller.decide(
            offer: offer, answer: nil, context: PolicyControlContext(realm: "access", peer: nil, party: "sip:x@h"))
        #expect(plain.flows.map(\.rule) == ["access", "access"] && plain.flows.map(\.dscp) == [0, 0])
        #expect(plain.flows.map(\.arpPriority) == [5, 5])
        let carrier = controller.decide(
            offer: offer, answer: nil, context: PolicyControlContext(realm: "core", peer: "carrier", party: nil))
        #expect(carrier.flows.map(\.rule) == ["carrier-voice", nil] && carrier.flows.map(\.dscp) == [40, 34])
    }

    @Test func subscriberClassesByLongestMember() {
        let controller = PolicyController(
            PolicyControlSettings(classes: [
                SubscriberClass(name: "silver", members: ["+1555"]),
                SubscriberClass(name: "gold", members: ["+1555019", "sip:alice@ims.gatehouse.test"]),
            ]))
        #expect(controller.subscriberClass(of: "tel:+15550190001") == "gold")
        #expect(controller.subscriberClass(of: "sip:+15550100001@h;user=phone") == "silver")
        #expect(controller.subscriberClass(of: "sip:alice@ims.gatehouse.test") == "gold")
        #expect(controller.subscriberClass(of: "sip:bob@ims.gatehouse.test") == nil)
    }

    @Test func overTheAllowanceIsRefused488() throws {
        let settings = PolicyControlSettings(
            rules: [PolicyControlRule(id: "voice", match: .init(media: "audio"), qos: .init(maxBandwidth: 64_000))],
            defaults: QoSParameters(maxBandwidth: 300_000))
        let controller = PolicyController(settings)
        let g711 = try CodecBitrateTests.media("m=audio 4000 RTP/AVP 0\r\n")
        let refused = controller.decide(offer: g711, answer: g711, context: access)
        #expect(refused.verdict == .reject(status: 488, reason: "Media needs 80 kbit/s, over rule voice of 64 kbit/s"))
        #expect(refused.allowance == 64_000 && refused.isRejected)
        // The offer with a cheaper codec fits; the answer that picks G.711 does not.
        let choice = try CodecBitrateTests.media("m=audio 4000 RTP/AVP 0 18\r\n")
        #expect(controller.decide(offer: choice, answer: nil, context: access).verdict == .admit)
        #expect(controller.decide(offer: choice, answer: g711, context: access).isRejected)
        // The session allowance counts every flow: audio 24k fits its rule, but video 400k breaks the total.
        let video = try CodecBitrateTests.media(
            "m=audio 4000 RTP/AVP 18\r\n" + "m=video 4002 RTP/AVP 96\r\nb=AS:400\r\n")
        let total = controller.decide(offer: video, answer: video, context: access)
        #expect(
            total.verdict
                == .reject(status: 488, reason: "Media needs 424 kbit/s, over the session allowance of 300 kbit/s"))
    }

    @Test func offersAndAnswersPairAcrossTheLegs() throws {
        let a = try CodecBitrateTests.media("m=audio 4000 RTP/AVP 0\r\n")
        let b = try CodecBitrateTests.media("m=audio 5000 RTP/AVP 0\r\n")
        var negotiation = SessionNegotiation()
        #expect(negotiation.receive(a, from: .caller, isOffering: true) == .offer(a))
        #expect(negotiation.receive(b, from: .callee, isOffering: false) == .answer(offer: a, answer: b))
        // The same answer again in the 200 after a 183.
        #expect(negotiation.receive(b, from: .callee, isOffering: false) == .answer(offer: a, answer: b))
        // The callee's re-INVITE offers; the caller's 200 answers it.
        #expect(negotiation.receive(b, from: .callee, isOffering: true) == .offer(b))
        #expect(negotiation.receive(a, from: .caller, isOffering: false) == .answer(offer: b, answer: a))
        // An offer in a 2xx to an INVITE without SDP, answered in the ACK.
        var late = SessionNegotiation()
        #expect(late.receive(b, from: .callee, isOffering: false) == .offer(b))
        #expect(late.receive(a, from: .caller, isOffering: false) == .answer(offer: b, answer: a))
    }

    @Test func decisionsRoundTripThroughJSON() throws {
        let offer = try CodecBitrateTests.media(Self.audioVideo)
        let decision = PolicyController(PolicyControlSettings(defaults: .init(maxBandwidth: 100_000)))
            .decide(offer: offer, answer: nil, context: access)
        let data = try JSONEncoder().encode(decision)
        #expect(try JSONDecoder().decode(PolicyDecision.self, from: data) == decision)
        // As the admin API writes it and the CLI reads it back.
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let snake = try encoder.encode(decision)
        #expect(String(decoding: snake, as: UTF8.self).contains("\"five_qi\":"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try decoder.decode(PolicyDecision.self, from: snake) == decision)
    }
}
