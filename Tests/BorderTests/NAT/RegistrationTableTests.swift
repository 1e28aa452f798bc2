import Border
import GatehousePolicy
import SIPMessage
import Testing

/// Registrations and their bindings, fed events as the engine would: REGISTERs going out, the registrar's
/// answers, sweeps of the clock and keepalive outcomes. Times are seconds since the table's epoch.
@Suite struct RegistrationTableTests {
    static let access = SIPEndpoint(transport: .udp, host: "127.0.0.10", port: 5060)
    /// Alice's handset behind a NAT, as its REGISTERs arrive.
    static let aliceFlow = RegistrationFlow(
        remote: SIPEndpoint(transport: .udp, host: "203.0.113.7", port: 40312), local: access)
    /// Alice's desk phone, on a public address over TCP.
    static let deskFlow = RegistrationFlow(
        remote: SIPEndpoint(transport: .tcp, host: "198.51.100.20", port: 49152), local: access)
    static let alice = RegistrationKey(callID: "reg-alice@10.0.0.5", flow: aliceFlow)
    static let natted = NATDetection(evidence: [.contactIsPrivate, .contactIsNotSource])

    static func uri(_ text: String) -> URI { try! URI(parsing: text) }

    /// Hands out `gh-call-N`, `gh-from-N`, `gh-to-N` and tokens `ghN`, counting what it was asked for.
    struct Identifiers {
        var registrations = 0
        var tokens = 0

        mutating func fresh() -> RegistrationTable.Identifiers {
            registrations += 1
            return .init(
                callID: "gh-call-\(registrations)", fromTag: "gh-from-\(registrations)", toTag: "gh-to-\(registrations)"
            )
        }

        mutating func token() -> String {
            tokens += 1
            return "gh\(tokens)"
        }
    }

    /// A registration of `key` and one binding per contact, as `relayRegister` makes them.
    @discardableResult
    static func register(
        _ table: inout RegistrationTable, _ key: RegistrationKey = alice, aor: String = "sip:alice@ims.test",
        realm: String = "access", contacts: [String] = ["sip:alice@10.0.0.5:5060"], nat: NATDetection = natted,
        at now: Duration = .zero, identifiers: inout Identifiers
    ) -> (RelayedRegistration, [RegistrationBinding]) {
        let registration = table.registration(for: key, addressOfRecord: aor, realm: realm) { identifiers.fresh() }
        let bindings = contacts.map { contact in
            table.bind(uri(contact), of: key, nat: nat, at: now) { identifiers.token() }
        }
        return (registration, bindings)
    }

    // MARK: Registering

    @Test func aRefreshReusesTheIdentifiersAndTheToken() {
        var table = RegistrationTable()
        var ids = Identifiers()
        let (first, firstBindings) = Self.register(&table, identifiers: &ids)
        #expect(first.outboundCallID == "gh-call-1" && first.outboundFromTag == "gh-from-1")
        #expect(first.inboundToTag == "gh-to-1")
        #expect(first.addressOfRecord == "sip:alice@ims.test" && first.realm == "access")
        let binding = firstBindings[0]
        #expect(binding.token == "gh1")
        #expect(binding.registration == Self.alice && binding.flow == Self.aliceFlow && binding.realm == "access")
        #expect(binding.contact == Self.uri("sip:alice@10.0.0.5:5060"))
        #expect(binding.addressOfRecord == "sip:alice@ims.test")
        #expect(!binding.isConfirmed && binding.refreshedAt == .zero && binding.lastKeepalive == .zero)
        table.confirm(token: "gh1", expires: .seconds(600), at: .seconds(1))

        // The refresh, 5 minutes later and no longer showing NAT: same identifiers, same token, still confirmed.
        let (again, againBindings) = Self.register(&table, nat: NATDetection(), at: .seconds(300), identifiers: &ids)
        #expect(again.outboundCallID == "gh-call-1" && again.outboundFromTag == "gh-from-1")
        #expect(again.inboundToTag == "gh-to-1")
        #expect(againBindings.map(\.token) == ["gh1"])
        #expect(ids.registrations == 1 && ids.tokens == 1)
        let refreshed = table.binding(token: "gh1")
        #expect(refreshed?.refreshedAt == .seconds(300))
        #expect(refreshed?.nat == NATDetection())
        #expect(refreshed?.expiresAt == .seconds(601))
        #expect(table.registrations.count == 1 && table.bindings.count == 1)
    }

    /// A new Call-ID, or the same Call-ID from another flow, is another registration (RFC 3261 §10.2.4).
    @Test func anotherCallIDOrFlowIsAnotherRegistration() {
        var table = RegistrationTable()
        var ids = Identifiers()
        Self.register(&table, identifiers: &ids)
        let (otherCall, _) = Self.register(
            &table, RegistrationKey(callID: "reg-alice-2@10.0.0.5", flow: Self.aliceFlow), identifiers: &ids)
        let (otherFlow, _) = Self.register(
            &table, RegistrationKey(callID: Self.alice.callID, flow: Self.deskFlow), identifiers: &ids)
        #expect(otherCall.outboundCallID == "gh-call-2" && otherFlow.outboundCallID == "gh-call-3")
        #expect(table.registrations.count == 3)
        #expect(Set(table.bindings.keys) == ["gh1", "gh2", "gh3"])
    }

    @Test func aSecondContactGetsASecondToken() {
        var table = RegistrationTable()
        var ids = Identifiers()
        let (_, bindings) = Self.register(
            &table, contacts: ["sip:alice@10.0.0.5:5060", "sip:alice@10.0.0.5:5062;transport=tcp"], identifiers: &ids)
        #expect(bindings.map(\.token) == ["gh1", "gh2"])
        #expect(table.registrations[Self.alice]?.tokens == ["gh1", "gh2"])
        #expect(table.binding(token: "gh2")?.contact == Self.uri("sip:alice@10.0.0.5:5062;transport=tcp"))
        // Refreshing both finds both.
        let (_, again) = Self.register(
            &table, contacts: ["sip:alice@10.0.0.5:5062;transport=tcp", "sip:alice@10.0.0.5:5060"], identifiers: &ids)
        #expect(again.map(\.token) == ["gh2", "gh1"])
        #expect(ids.tokens == 2)
    }

    @Test func aTokenThatIsTakenIsDrawnAgain() {
        var table = RegistrationTable()
        var ids = Identifiers()
        Self.register(&table, identifiers: &ids)
        let bob = RegistrationKey(callID: "reg-bob", flow: Self.deskFlow)
        _ = table.registration(for: bob, addressOfRecord: "sip:bob@ims.test", realm: "access") { ids.fresh() }
        var draws = ["gh1", "gh1", "gh7"][...]
        let binding = table.bind(Self.uri("sip:bob@198.51.100.20"), of: bob, nat: NATDetection(), at: .zero) {
            draws.removeFirst()
        }
        #expect(binding.token == "gh7")
        #expect(draws.isEmpty)
        #expect(table.binding(token: "gh1")?.addressOfRecord == "sip:alice@ims.test")
        #expect(table.binding(token: "gh7")?.addressOfRecord == "sip:bob@ims.test")
    }

    // MARK: The registrar's answer

    @Test func confirmSetsTheExpiryAndZeroRemoves() {
        var table = RegistrationTable()
        var ids = Identifiers()
        Self.register(&table, contacts: ["sip:alice@10.0.0.5:5060", "sip:alice@10.0.0.5:5062"], identifiers: &ids)
        table.confirm(token: "gh1", expires: .seconds(3600), at: .seconds(10))
        #expect(table.binding(token: "gh1")?.isConfirmed == true)
        #expect(table.binding(token: "gh1")?.expiresAt == .seconds(3610))
        // The first confirmation starts the keepalive clock; a refresh's does not restart it.
        #expect(table.binding(token: "gh1")?.lastKeepalive == .seconds(10))
        table.confirm(token: "gh1", expires: .seconds(600), at: .seconds(20))
        #expect(table.binding(token: "gh1")?.expiresAt == .seconds(620))
        #expect(table.binding(token: "gh1")?.lastKeepalive == .seconds(10))
        #expect(table.binding(token: "gh2")?.isConfirmed == false)

        table.confirm(token: "gh1", expires: .zero, at: .seconds(30))
        #expect(table.binding(token: "gh1") == nil)
        #expect(table.registrations[Self.alice]?.tokens == ["gh2"])
        table.confirm(token: "gh2", expires: .zero, at: .seconds(30))
        #expect(table.bindings.isEmpty && table.registrations.isEmpty)
        // An unknown token changes nothing.
        table.confirm(token: "gh9", expires: .seconds(60), at: .seconds(30))
        #expect(table.bindings.isEmpty)
    }

    @Test func forgetUnlistedKeepsOnlyWhatTheRegistrarListed() {
        var table = RegistrationTable()
        var ids = Identifiers()
        Self.register(
            &table, contacts: ["sip:alice@10.0.0.5:5060", "sip:alice@10.0.0.5:5062", "sip:alice@10.0.0.5:5064"],
            identifiers: &ids)
        let bob = RegistrationKey(callID: "reg-bob", flow: Self.deskFlow)
        Self.register(&table, bob, aor: "sip:bob@ims.test", contacts: ["sip:bob@198.51.100.20"], identifiers: &ids)
        table.forgetUnlisted(of: Self.alice, listed: ["gh2", "gh4"])
        #expect(Set(table.bindings.keys) == ["gh2", "gh4"])
        #expect(table.registrations[Self.alice]?.tokens == ["gh2"])
        // Listing nothing of it removes the registration too.
        table.forgetUnlisted(of: Self.alice, listed: [])
        #expect(table.registrations[Self.alice] == nil)
        #expect(Set(table.bindings.keys) == ["gh4"])
    }

    @Test func dropUnconfirmedKeepsConfirmedBindings() {
        var table = RegistrationTable()
        var ids = Identifiers()
        Self.register(&table, identifiers: &ids)
        table.confirm(token: "gh1", expires: .seconds(600), at: .zero)
        // A second device on the same registration, refused by the registrar.
        Self.register(&table, contacts: ["sip:alice@10.0.0.5:5062"], at: .seconds(5), identifiers: &ids)
        table.dropUnconfirmed(of: Self.alice)
        #expect(Set(table.bindings.keys) == ["gh1"])
        #expect(table.registrations[Self.alice]?.tokens == ["gh1"])

        // A first REGISTER refused: nothing is left of it.
        let bob = RegistrationKey(callID: "reg-bob", flow: Self.deskFlow)
        Self.register(&table, bob, aor: "sip:bob@ims.test", contacts: ["sip:bob@198.51.100.20"], identifiers: &ids)
        table.dropUnconfirmed(of: bob)
        #expect(table.registrations[bob] == nil)
        #expect(Set(table.bindings.keys) == ["gh1"])
    }

    /// `Contact: *` removes the address-of-record's bindings from every flow and Call-ID, and only them.
    @Test func removeAllTakesTheAddressOfRecordAcrossFlows() {
        var table = RegistrationTable()
        var ids = Identifiers()
        Self.register(&table, identifiers: &ids)
        let desk = RegistrationKey(callID: "reg-desk", flow: Self.deskFlow)
        Self.register(&table, desk, contacts: ["sip:alice@198.51.100.20;transport=tcp"], identifiers: &ids)
        let bob = RegistrationKey(callID: "reg-bob", flow: Self.deskFlow)
        Self.register(&table, bob, aor: "sip:bob@ims.test", contacts: ["sip:bob@198.51.100.20"], identifiers: &ids)
        table.confirm(token: "gh1", expires: .seconds(600), at: .zero)

        table.removeAll(addressOfRecord: "sip:alice@ims.test")
        #expect(Set(table.bindings.keys) == ["gh3"])
        #expect(Set(table.registrations.keys) == [bob])
    }

    @Test func aRegistrationGoesWithItsLastBinding() {
        var table = RegistrationTable()
        var ids = Identifiers()
        Self.register(&table, contacts: ["sip:alice@10.0.0.5:5060", "sip:alice@10.0.0.5:5062"], identifiers: &ids)
        let removed = table.remove(token: "gh1")
        #expect(removed?.token == "gh1" && removed?.contact == Self.uri("sip:alice@10.0.0.5:5060"))
        #expect(table.registrations[Self.alice]?.tokens == ["gh2"])
        #expect(table.remove(token: "gh1") == nil)
        #expect(table.remove(token: "gh2")?.token == "gh2")
        #expect(table.registrations.isEmpty && table.bindings.isEmpty)
        // The UA's next REGISTER with the same Call-ID is a new registration toward the registrar.
        let (fresh, _) = Self.register(&table, identifiers: &ids)
        #expect(fresh.outboundCallID == "gh-call-2")
    }

    // MARK: Expiry

    @Test func grantedBindingsExpireWhenTheirGrantRunsOut() {
        var table = RegistrationTable()
        var ids = Identifiers()
        Self.register(&table, contacts: ["sip:alice@10.0.0.5:5060", "sip:alice@10.0.0.5:5062"], identifiers: &ids)
        table.confirm(token: "gh1", expires: .seconds(600), at: .seconds(10))
        table.confirm(token: "gh2", expires: .seconds(600), at: .seconds(10))
        #expect(table.expire(at: .seconds(609)).isEmpty)
        #expect(table.expire(at: .seconds(610)).map(\.token) == ["gh1", "gh2"])
        #expect(table.bindings.isEmpty && table.registrations.isEmpty)
    }

    /// A binding the registrar never confirmed (a challenge nobody answered) lives `unconfirmedLifetime` from
    /// its last REGISTER.
    @Test func unconfirmedBindingsExpireAfterTheirLifetime() {
        #expect(RegistrationTable.unconfirmedLifetime == .seconds(64))
        var table = RegistrationTable()
        var ids = Identifiers()
        Self.register(&table, at: .seconds(10), identifiers: &ids)
        #expect(table.expire(at: .seconds(73)).isEmpty)
        // The REGISTER answering the challenge refreshes it.
        Self.register(&table, at: .seconds(40), identifiers: &ids)
        #expect(table.expire(at: .seconds(74)).isEmpty)
        #expect(table.expire(at: .seconds(103)).isEmpty)
        #expect(table.expire(at: .seconds(104)).map(\.token) == ["gh1"])
        #expect(table.registrations.isEmpty)

        // Once confirmed, only the grant counts.
        Self.register(&table, at: .zero, identifiers: &ids)
        table.confirm(token: "gh2", expires: .seconds(3600), at: .seconds(1))
        #expect(table.expire(at: .seconds(600)).isEmpty)
        #expect(table.binding(token: "gh2") != nil)
    }

    // MARK: Keepalives

    /// `access` pings natted UAs, `core` every UA, both every 30 s; `quiet` pings none.
    static func settings(_ realm: String) -> (interval: Duration, nattedOnly: Bool)? {
        switch realm {
        case "access": return (interval: .seconds(30), nattedOnly: true)
        case "core": return (interval: .seconds(30), nattedOnly: false)
        default: return nil
        }
    }

    @Test func keepalivesAreDueEachIntervalToTheUAsTheRealmPings() {
        var table = RegistrationTable()
        var ids = Identifiers()
        func add(_ callID: String, realm: String, nat: NATDetection, confirmed: Bool = true) {
            let key = RegistrationKey(callID: callID, flow: Self.aliceFlow)
            let (_, bindings) = Self.register(&table, key, realm: realm, nat: nat, identifiers: &ids)
            if confirmed { table.confirm(token: bindings[0].token, expires: .seconds(3600), at: .zero) }
        }
        add("natted-access", realm: "access", nat: Self.natted)  // gh1: due
        add("direct-access", realm: "access", nat: NATDetection())  // gh2: not natted
        add("direct-core", realm: "core", nat: NATDetection())  // gh3: due, core pings all
        add("unconfirmed", realm: "access", nat: Self.natted, confirmed: false)  // gh4: never
        add("natted-quiet", realm: "quiet", nat: Self.natted)  // gh5: no keepalives there
        // Multi-homed (contact-not-source alone) is not natted.
        add("multihomed", realm: "access", nat: NATDetection(evidence: [.contactIsNotSource]))  // gh6

        #expect(table.dueKeepalives(at: .seconds(29), settings: Self.settings).isEmpty)
        let due = table.dueKeepalives(at: .seconds(30), settings: Self.settings)
        #expect(due.map(\.token) == ["gh1", "gh3"])
        #expect(table.binding(token: "gh1")?.lastKeepalive == .seconds(30))
        #expect(table.binding(token: "gh2")?.lastKeepalive == .zero)
        // Marked as pinged: not due again until an interval later.
        #expect(table.dueKeepalives(at: .seconds(30), settings: Self.settings).isEmpty)
        #expect(table.dueKeepalives(at: .seconds(59), settings: Self.settings).isEmpty)
        #expect(table.dueKeepalives(at: .seconds(60), settings: Self.settings).map(\.token) == ["gh1", "gh3"])
        // An unconfirmed binding is never pinged, however old.
        #expect(table.dueKeepalives(at: .seconds(3000), settings: Self.settings).map(\.token) == ["gh1", "gh3"])
        #expect(table.binding(token: "gh4")?.lastKeepalive == .zero)
    }

    /// The keepalive clock starts when the registrar confirms, not when the REGISTER went out.
    @Test func theFirstKeepaliveIsAnIntervalAfterTheConfirmation() {
        var table = RegistrationTable()
        var ids = Identifiers()
        Self.register(&table, at: .zero, identifiers: &ids)
        table.confirm(token: "gh1", expires: .seconds(3600), at: .seconds(20))
        #expect(table.dueKeepalives(at: .seconds(49), settings: Self.settings).isEmpty)
        #expect(table.dueKeepalives(at: .seconds(50), settings: Self.settings).map(\.token) == ["gh1"])
    }

    @Test func unansweredKeepalivesDropTheBindingAtTheLimit() {
        var table = RegistrationTable()
        var ids = Identifiers()
        Self.register(&table, identifiers: &ids)
        table.confirm(token: "gh1", expires: .seconds(3600), at: .zero)
        #expect(table.keepaliveUnanswered(token: "gh1", limit: 3) == nil)
        #expect(table.keepaliveUnanswered(token: "gh1", limit: 3) == nil)
        #expect(table.binding(token: "gh1")?.unansweredKeepalives == 2)
        // An answer, any answer, starts the count again.
        table.keepaliveAnswered(token: "gh1")
        #expect(table.binding(token: "gh1")?.unansweredKeepalives == 0)
        #expect(table.keepaliveUnanswered(token: "gh1", limit: 3) == nil)
        #expect(table.keepaliveUnanswered(token: "gh1", limit: 3) == nil)
        let gone = table.keepaliveUnanswered(token: "gh1", limit: 3)
        #expect(gone?.token == "gh1" && gone?.unansweredKeepalives == 3)
        #expect(table.bindings.isEmpty && table.registrations.isEmpty)
        // A binding already gone (expired while the ping was out) is nothing to drop.
        #expect(table.keepaliveUnanswered(token: "gh1", limit: 3) == nil)
        table.keepaliveAnswered(token: "gh1")
        #expect(table.bindings.isEmpty)
    }

    @Test func aLimitOfOneDropsAtTheFirstSilence() {
        var table = RegistrationTable()
        var ids = Identifiers()
        Self.register(&table, identifiers: &ids)
        table.confirm(token: "gh1", expires: .seconds(3600), at: .zero)
        #expect(table.keepaliveUnanswered(token: "gh1", limit: 1)?.token == "gh1")
        #expect(table.binding(token: "gh1") == nil)
    }

    @Test func aREGISTERFromTheUAStartsTheUnansweredCountAgain() {
        var table = RegistrationTable()
        var ids = Identifiers()
        Self.register(&table, identifiers: &ids)
        table.confirm(token: "gh1", expires: .seconds(3600), at: .zero)
        #expect(table.keepaliveUnanswered(token: "gh1", limit: 3) == nil)
        #expect(table.keepaliveUnanswered(token: "gh1", limit: 3) == nil)
        Self.register(&table, at: .seconds(60), identifiers: &ids)
        #expect(table.binding(token: "gh1")?.unansweredKeepalives == 0)
    }

    /// A REGISTER without Contact only asks for the list: its registration holds no binding and the sweep
    /// forgets it.
    @Test func aQueryLeavesNothingBehind() {
        var table = RegistrationTable()
        var ids = Identifiers()
        Self.register(&table, contacts: [], identifiers: &ids)
        #expect(table.registrations.count == 1)
        #expect(table.expire(at: .seconds(1)).isEmpty)
        #expect(table.registrations.isEmpty)
    }
}
