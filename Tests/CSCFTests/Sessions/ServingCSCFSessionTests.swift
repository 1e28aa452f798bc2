import CSCF
import IMSInterfaces
import SIPMessage
import Testing

/// The S-CSCF's service chain (TS 24.229 §5.4.3.2–§5.4.3.3): an AS per matching criterion, the original dialog
/// identifier that brings the request back, default handling, and the contacts of the callee.
struct ServingCSCFSessionTests {
    static let profile = ServiceProfile(
        name: "gold",
        initialFilterCriteria: [
            InitialFilterCriterion(
                priority: 10,
                triggerPoint: TriggerPoint(
                    form: .conjunctive,
                    groups: [
                        [ServicePointTrigger(.method("INVITE"))], [ServicePointTrigger(.sessionCase(.originating))],
                    ]
                ),
                applicationServer: ApplicationServer(
                    serverName: "sip:127.0.0.66:5060", defaultHandling: .sessionContinued)),
            InitialFilterCriterion(
                priority: 20, triggerPoint: nil,
                applicationServer: ApplicationServer(
                    serverName: "sip:127.0.0.67:5060", defaultHandling: .sessionTerminated)),
        ])

    static func registered() throws -> ServingCSCF {
        let hss = FakeHSS()
        hss.update { $0.serviceProfile = profile }
        var scscf = SCSCFFixtures.scscf(hss: hss)
        try SCSCFFixtures.registerAlice(&scscf)
        return scscf
    }

    static func chain() -> ServiceChain {
        ServiceChain(
            sessionCase: .originating, servedIdentity: FakeHSS.aliceSIP, isRegistered: true,
            assertedIdentity: NameAddress(uri: try! URI(parsing: "sip:alice@ims.gatehouse.test")),
            chargingVector: PChargingVector(icidValue: "icid-1"))
    }

    static let now = SCSCFFixtures.start + 5

    @Test func theChainVisitsEachASAndResumesByTheOriginalDialog() throws {
        var scscf = try Self.registered()
        let invite = try FilterCriteriaEvaluationTests.invite()
        guard case .applicationServer(let first) = scscf.nextService(for: invite, chain: Self.chain(), now: Self.now)
        else {
            Issue.record("the first criterion did not apply")
            return
        }
        #expect(first.server.serverName == "sip:127.0.0.66:5060")
        #expect(first.priority == 10)
        #expect(scscf.waitingChainCount == 1)
        let resuming = scscf.resume(originalDialog: first.originalDialog, now: Self.now + 1)
        let resumed = try #require(resuming)
        #expect(resumed.lastPriority == 10)
        #expect(resumed.chargingVector.icidValue == "icid-1")
        // Each ODI brings one request back.
        #expect(scscf.resume(originalDialog: first.originalDialog, now: Self.now + 1) == nil)
        guard case .applicationServer(let second) = scscf.nextService(for: invite, chain: resumed, now: Self.now + 1)
        else {
            Issue.record("the second criterion did not apply")
            return
        }
        #expect(second.server.serverName == "sip:127.0.0.67:5060")
        #expect(second.originalDialog != first.originalDialog)
        let resumingLast = scscf.resume(originalDialog: second.originalDialog, now: Self.now + 2)
        let last = try #require(resumingLast)
        #expect(scscf.nextService(for: invite, chain: last, now: Self.now + 2) == .proceed(last))
    }

    @Test func defaultHandlingContinuesOrTerminates() throws {
        var scscf = try Self.registered()
        let invite = try FilterCriteriaEvaluationTests.invite()
        guard case .applicationServer(let first) = scscf.nextService(for: invite, chain: Self.chain(), now: Self.now)
        else {
            Issue.record("no AS")
            return
        }
        let continuing = scscf.applicationServerFailed(originalDialog: first.originalDialog)
        let continued = try #require(continuing)
        guard case .applicationServer(let second) = scscf.nextService(for: invite, chain: continued, now: Self.now)
        else {
            Issue.record("no second AS")
            return
        }
        #expect(scscf.applicationServerFailed(originalDialog: second.originalDialog) == nil)
        #expect(scscf.waitingChainCount == 0)
    }

    @Test func anUnknownOrLapsedOriginalDialogResumesNothing() throws {
        var scscf = try Self.registered()
        let invite = try FilterCriteriaEvaluationTests.invite()
        #expect(scscf.resume(originalDialog: "nonsense", now: Self.now) == nil)
        guard case .applicationServer(let hop) = scscf.nextService(for: invite, chain: Self.chain(), now: Self.now)
        else {
            Issue.record("no AS")
            return
        }
        #expect(scscf.resume(originalDialog: hop.originalDialog, now: Self.now + 181) == nil)
    }

    @Test func aUserWithoutCriteriaProceeds() throws {
        var scscf = SCSCFFixtures.scscf()
        try SCSCFFixtures.registerAlice(&scscf)
        let chain = Self.chain()
        #expect(
            scscf.nextService(for: try FilterCriteriaEvaluationTests.invite(), chain: chain, now: Self.now)
                == .proceed(chain))
    }

    @Test func contactsOfARegisteredUserNewestFirst() throws {
        var scscf = SCSCFFixtures.scscf()
        try SCSCFFixtures.registerAlice(&scscf)
        var second = SCSCFFixtures.Register()
        second.callID = "reg-call-2@127.0.0.5"
        second.contacts = ["<sip:alice@127.0.0.5:5060>"]
        second.extra = ["P-Gatehouse-Flow: udp:127.0.0.5:5060"]
        try SCSCFFixtures.registerAlice(&scscf, second, vector: 2, now: SCSCFFixtures.start + 1)
        let contacts = scscf.contacts(of: FakeHSS.aliceTel, now: Self.now)
        #expect(contacts.map(\.receivedFrom) == ["udp:127.0.0.5:5060", "udp:127.0.0.4:5060"])
        #expect(scscf.isRegistered(FakeHSS.aliceSIP))
        #expect(!scscf.isRegistered(FakeHSS.bobSIP))
        #expect(scscf.contacts(of: FakeHSS.aliceSIP, now: SCSCFFixtures.start + 10_000).isEmpty)
    }

    @Test func theOriginalDialogTableIsBounded() {
        var table = OriginalDialogTable(lifetime: 10, capacity: 2)
        let chain = Self.chain()
        table.insert(chain, token: "a", now: Timestamp(secondsSince1970: 1))
        table.insert(chain, token: "b", now: Timestamp(secondsSince1970: 2))
        table.insert(chain, token: "c", now: Timestamp(secondsSince1970: 3))
        #expect(table.count == 2)
        #expect(table.peek("a") == nil)
        table.expire(now: Timestamp(secondsSince1970: 12))
        #expect(table.count == 2)
        table.expire(now: Timestamp(secondsSince1970: 13))
        #expect(table.count == 1)
        #expect(table.take("c", now: Timestamp(secondsSince1970: 13)) != nil)
    }
}
