import SIPMessage
import Testing

@testable import SIPStack

/// Seeded random schedules of events (responses good and bad, duplicates, retransmissions, timers due and stale,
/// transport failures) against every machine over UDP and TCP: nothing traps, the actions keep their invariants, and
/// once the last final response (and ACK) is in, firing the timers as a clock would always ends in Terminated.
@Suite struct TransactionPropertyTests {
    enum Kind: CaseIterable {
        case inviteClient
        case nonInviteClient
        case inviteServer
        case nonInviteServer
    }

    static let invite = TxnFixture.invite
    static let options = TxnFixture.request(.options, branch: "z9hG4bKprop")
    static let codes = [100, 180, 183, 200, 202, 401, 486, 503, 603]

    static func responses(to request: SIPMessage) -> [SIPMessage] {
        codes.map { TxnFixture.response($0, to: request) } + [
            TxnFixture.response(200, to: request, cseqMethod: .bye),
            TxnFixture.response(486, to: TxnFixture.request(request.method ?? .invite, cseq: 7)),
            TxnFixture.response(99, to: request),
            TxnFixture.response(200, to: request, toTag: "forked"),
        ]
    }

    static let inviteResponses = responses(to: invite)
    static let optionsResponses = responses(to: options)
    static let serverRequests = [invite, options, TxnFixture.ack(for: invite), TxnFixture.request(.bye)]

    @Test(arguments: Kind.allCases, [false, true])
    func randomSchedulesEndTerminated(kind: Kind, isReliable: Bool) throws {
        for seed in UInt64(1)...150 {
            var random = TxnSplitMix(seed: seed &* 7919 &+ (isReliable ? 1 : 0))
            var machine = try Self.make(kind, isReliable: isReliable)
            var wheel = TxnVirtualTimers()
            var isTerminated = false

            func apply(_ actions: [TransactionAction], _ event: String) {
                Self.check(actions, kind: kind, wasTerminated: isTerminated, event: "seed \(seed): \(event)")
                isTerminated = isTerminated || actions.contains(.terminated)
                #expect(machine.isTerminated == isTerminated, "seed \(seed): \(event)")
                wheel.apply(actions)
            }

            apply(machine.start(), "start")
            for _ in 0..<40 {
                let roll = Int.random(in: 0..<100, using: &random)
                switch roll {
                case 0..<35:
                    if let timer = wheel.popEarliest() { apply(machine.timerFired(timer), "\(timer) due") }
                case 35..<45:
                    let timer = TransactionTimer.allCases.randomElement(using: &random)!
                    apply(machine.timerFired(timer), "\(timer) stale")
                case 45..<48:
                    apply(machine.transportFailed(), "transport failure")
                default:
                    let isInvite = kind == .inviteClient || kind == .inviteServer
                    let pool = isInvite ? Self.inviteResponses : Self.optionsResponses
                    let response = pool.randomElement(using: &random)!
                    switch kind {
                    case .inviteClient, .nonInviteClient:
                        apply(machine.receive(response: response), "response \(response.statusCode ?? 0)")
                    case .inviteServer, .nonInviteServer:
                        if Bool.random(using: &random) {
                            apply(machine.sendResponse(response), "TU \(response.statusCode ?? 0)")
                        } else {
                            let request = Self.serverRequests.randomElement(using: &random)!
                            apply(machine.receive(request: request), "request \(request.method!)")
                        }
                    }
                }
            }

            // The last word from the network or the TU, then the clock runs until nothing is left to fire.
            switch kind {
            case .inviteClient:
                apply(machine.receive(response: TxnFixture.response(486, to: Self.invite)), "final")
            case .nonInviteClient:
                apply(machine.receive(response: TxnFixture.response(486, to: Self.options)), "final")
            case .inviteServer:
                apply(machine.sendResponse(TxnFixture.response(486, to: Self.invite)), "TU final")
                apply(machine.receive(request: TxnFixture.ack(for: Self.invite)), "ACK")
            case .nonInviteServer:
                apply(machine.sendResponse(TxnFixture.response(486, to: Self.options)), "TU final")
            }
            var firings = 0
            while let timer = wheel.popEarliest(), firings < 100 {
                apply(machine.timerFired(timer), "\(timer) at the end")
                firings += 1
            }
            #expect(isTerminated, "seed \(seed) \(kind) reliable \(isReliable): timers left \(wheel.running)")
        }
    }

    static func make(_ kind: Kind, isReliable: Bool) throws -> TransactionTable.Transaction {
        switch kind {
        case .inviteClient: .inviteClient(try InviteClientTransaction(request: invite, isReliable: isReliable))
        case .nonInviteClient:
            .nonInviteClient(try NonInviteClientTransaction(request: options, isReliable: isReliable))
        case .inviteServer: .inviteServer(try InviteServerTransaction(request: invite, isReliable: isReliable))
        case .nonInviteServer:
            .nonInviteServer(try NonInviteServerTransaction(request: options, isReliable: isReliable))
        }
    }

    /// Invariants of every action list.
    static func check(_ actions: [TransactionAction], kind: Kind, wasTerminated: Bool, event: String) {
        if wasTerminated {
            #expect(actions.isEmpty, "\(event): a terminated machine stays silent")
            return
        }
        if let index = actions.firstIndex(of: .terminated) {
            #expect(index == actions.count - 1, "\(event): .terminated comes last in \(actions)")
        }
        let isClient = kind == .inviteClient || kind == .nonInviteClient
        for action in actions {
            switch action {
            case .startTimer(_, let duration):
                #expect(duration > .zero && duration <= .seconds(32), "\(event): \(action)")
            case .send(let message):
                #expect(message.isRequest == isClient, "\(event): clients send requests, servers responses")
            case .passUp(let message):
                #expect(message.isRequest != isClient, "\(event): clients pass up responses, servers requests")
            case .cancelTimer, .timeout, .transportError, .terminated:
                break
            }
        }
    }
}
