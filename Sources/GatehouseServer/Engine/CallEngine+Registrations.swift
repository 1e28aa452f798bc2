import Border
import GatehousePolicy
import Logging
import NIOCore
import SIPMessage
import SIPStack
import Transport

/// REGISTER relayed to the registrar the route table names, with NAT traversal for the UAs behind it (the
/// realm's `nat` settings).
///
/// The path: a REGISTER gets a server transaction → the route table picks the registrar (a peer or the IMS
/// core) → each Contact becomes a binding in `registrations` (`RegistrationTable`), judged for NAT, and is
/// registered as `sip:TOKEN@<this node>` → the registrar's answer confirms or drops the bindings and goes back
/// to the UA with its own Contacts. Later, a request to `sip:TOKEN@<this node>` reaches the UA at the address and
/// port its REGISTER came from (`routeToRegisteredUA`), and the housekeeping sweep expires bindings and pings
/// UAs to keep their NAT bindings open.
extension CallEngine {
    /// Where a client transaction of the registration relay works: the REGISTER relayed for a UA, or a
    /// keepalive Gatehouse sent itself.
    struct RegistrationTransaction {
        enum Purpose {
            case register(RelayedRegister)
            case keepalive(token: String)
        }

        let purpose: Purpose
        let route: LegRoute
    }

    /// A REGISTER on its way to the registrar: what the answer needs to find its way back.
    struct RelayedRegister {
        let serverKey: TransactionKey
        let inbound: SIPMessage
        let registration: RelayedRegistration
        /// `Contact: *`: the answer removes every binding of the address-of-record.
        let isRemoveAll: Bool
    }

    /// How binding tokens begin, so that a request for one the node no longer knows is counted as such.
    static let tokenPrefix = "gh-"

    /// The time on the registration table's clock: time since the engine started.
    var registrationNow: Duration {
        .nanoseconds(Int64(NIODeadline.now().uptimeNanoseconds - epoch.uptimeNanoseconds))
    }

    // MARK: REGISTER

    func handleRegister(_ register: SIPMessage, context: SIPConnectionContext, peer sourcePeer: Peer?) {
        guard let serverKey = startServerTransaction(register, context: context) else { return }
        let realm = realms[context.listener] ?? "?"
        let requestURI = (try? register.requestURI)?.flatMap(\.sipURI)
        let decision = policy.routes.decide(
            RouteQuery(
                sourceRealm: realm, sourcePeer: sourcePeer?.name, method: .register,
                requestURIHost: requestURI?.host, user: requestURI?.user))
        let route: OutboundRoute
        switch decision.target {
        case nil:
            reject(register, serverKey, .notFound, "No route")
            return
        case .reject(let status)?:
            reject(register, serverKey, status, status.reason)
            return
        case .enumLookup?:
            reject(register, serverKey, .notFound, "No registrar: ENUM routes numbers, not registrations")
            return
        case .mrf?:
            reject(register, serverKey, .notFound, "No registrar: the MRF answers calls, not registrations")
            return
        case .peer(let name)?:
            guard let peer = policy.peer(named: name), let nextHop = NextHop(peer: peer) else {
                reject(register, serverKey, .serviceUnavailable, "Peer \(name) has no signalling address")
                return
            }
            route = OutboundRoute(nextHop: nextHop, realm: peer.realm, peer: peer, reason: .route(decision))
        case .ims?:
            if let core = imsCore {
                registerWithEmbeddedCore(register, serverKey: serverKey, context: context, core: core)
                return
            }
            guard let imsRoute = imsRoute(decision: decision) else {
                reject(register, serverKey, .serviceUnavailable, "No IMS next hop")
                return
            }
            route = imsRoute
        }
        let relay: @Sendable ([SIPEndpoint]) -> Void = { [self] candidates in
            relayRegister(
                register, serverKey: serverKey, context: context, from: sourcePeer, route: route,
                candidates: candidates)
        }
        switch route.nextHop {
        case .address(let endpoint): relay([endpoint])
        case .name(let uri): locate(uri, realm: route.realm, for: register, serverKey: serverKey, proceed: relay)
        }
    }

    /// Binds the REGISTER's Contacts and sends it on to the registrar.
    private func relayRegister(
        _ register: SIPMessage, serverKey: TransactionKey, context: SIPConnectionContext, from sourcePeer: Peer?,
        route: OutboundRoute, candidates: [SIPEndpoint]
    ) {
        guard let (destination, egress, _) = egress(toward: candidates, realm: route.realm) else {
            reject(register, serverKey, .serviceUnavailable, "Realm \(route.realm) cannot reach the registrar")
            return
        }
        guard !isOwnListener(destination) else {
            reject(register, serverKey, .loopDetected, "The route leads back to this node")
            return
        }
        guard let remote = SIPEndpoint(context.remote, transport: context.transport),
            let callID = try? register.callID.value, let aor = try? register.to.uri,
            let contacts = try? register.contacts
        else {
            reject(register, serverKey, .badRequest, "Malformed REGISTER")
            return
        }
        let flow = RegistrationFlow(remote: remote, local: context.listener)
        let key = RegistrationKey(callID: callID, flow: flow)
        let registration = registrations.registration(
            for: key, addressOfRecord: aor.description, realm: realms[context.listener] ?? "?"
        ) {
            RegistrationTable.Identifiers(callID: generator.callID(), fromTag: generator.tag(), toTag: generator.tag())
        }
        let topVia = try? register.headers.first(.via, as: Via.self)
        let now = registrationNow
        let isRemoveAll = contacts.contains(where: \.isWildcard)
        var relayed: [ContactValue] = []
        if isRemoveAll {
            relayed = [.wildcard]
        } else {
            for case .address(let contact) in contacts {
                let nat = NATDetection.judge(contact: contact.uri, topVia: topVia, source: remote)
                let binding = registrations.bind(contact.uri, of: key, nat: nat, at: now) {
                    Self.tokenPrefix + generator.tag()
                }
                var uri = SIPURI(user: binding.token, host: egress.uriHost, port: UInt16(clamping: egress.port))
                if egress.transport != .udp { uri.transport = egress.transport.rawValue }
                relayed.append(.address(NameAddress(uri: .sip(uri), parameters: contact.parameters)))
            }
        }
        var passList = RegistrationRelay.passList
        passList.extraToward = [
            .outbound: route.peer?.topology.passHeaders ?? [], .inbound: sourcePeer?.topology.passHeaders ?? [],
        ]
        do throws(B2BUAError) {
            var outgoing = try RegistrationRelay.outgoingRegister(
                from: register, contacts: relayed, callID: registration.outboundCallID,
                fromTag: registration.outboundFromTag, egress: egress, branch: generator.branch(), passList: passList)
            // A REGISTER starts an exchange of its own, as the call's INVITE does: the registrar peer's outbound
            // rules and numbering (its answer passes the stage toward the UA's peer in `respond`).
            var trace = PipelineTrace(recording: false)
            snapshot.border.egress(&outgoing, toward: route.peer, from: sourcePeer, trace: &trace)
            guard
                let clientKey = startRegistrationTransaction(
                    outgoing,
                    RegistrationTransaction(
                        purpose: .register(
                            RelayedRegister(
                                serverKey: serverKey, inbound: register, registration: registration,
                                isRemoveAll: isRemoveAll)),
                        route: .towardCallee(destination: destination, local: egress)),
                    isReliable: destination.transport.isStream)
            else {
                registrations.dropUnconfirmed(of: key)
                reject(register, serverKey, .serverInternalError, "Cannot relay the REGISTER")
                return
            }
            logger.debug(
                "REGISTER relayed",
                metadata: [
                    "aor": "\(aor)", "from": "\(flow)", "to": "\(destination)", "route": "\(route.reason)",
                    "transaction": "\(clientKey)",
                ])
        } catch {
            registrations.dropUnconfirmed(of: key)
            var answer = responder.response(to: register, status: error.status, reason: error.detail)
            error.decorate(&answer)
            respond(serverKey, with: answer)
        }
    }

    /// The registrar's final answer: the bindings it lists are confirmed with their grant, those it no longer
    /// lists go, and the UA gets the answer with its own Contacts.
    private func registrarAnswered(_ response: SIPMessage, _ relayed: RelayedRegister) {
        guard let code = response.statusCode, code >= 200 else { return }
        let registration = relayed.registration
        let now = registrationNow
        var contacts: [NameAddress] = []
        if (200...299).contains(code) {
            let defaultExpires = ((try? response.expires) ?? nil).map { Int($0.seconds) } ?? 3600
            var listed: Set<String> = []
            for case .address(let contact) in (try? response.contacts) ?? [] {
                guard let token = contact.sipURI?.user, let binding = registrations.binding(token: token) else {
                    // A binding the registrar holds from elsewhere: its address belongs to the core's side.
                    continue
                }
                let expires = contact.expires.map(Int.init) ?? defaultExpires
                registrations.confirm(token: token, expires: .seconds(expires), at: now)
                listed.insert(token)
                if expires > 0 { contacts.append(NameAddress(uri: binding.contact, parameters: contact.parameters)) }
            }
            if relayed.isRemoveAll {
                registrations.removeAll(addressOfRecord: registration.addressOfRecord)
                counters.countRegistration("deregistered")
            } else {
                registrations.forgetUnlisted(of: registration.key, listed: listed)
            }
            noteRegistered(registration, listed: listed)
        } else if code != 401 && code != 407 {
            // A challenge keeps the new bindings for the REGISTER that answers it (and they expire on their own
            // if none comes); a refusal drops them.
            registrations.dropUnconfirmed(of: registration.key)
        }
        do throws(B2BUAError) {
            respond(
                relayed.serverKey,
                with: try RegistrationRelay.incomingResponse(
                    response, answering: relayed.inbound, toTag: registration.inboundToTag, contacts: contacts))
        } catch {
            reject(relayed.inbound, relayed.serverKey, .serverInternalError, "Cannot relay the registrar's answer")
        }
    }

    /// Counts and logs the bindings of a registration the registrar confirmed.
    private func noteRegistered(_ registration: RelayedRegistration, listed: Set<String>) {
        let mine = registrations.registrations[registration.key]?.tokens.intersection(listed) ?? []
        for token in mine.sorted() {
            guard let binding = registrations.binding(token: token) else { continue }
            counters.countRegistration("registered")
            if binding.nat.isBehindNAT { counters.countRegistration("nat-detected") }
            logger.info(
                "registered",
                metadata: [
                    "aor": "\(binding.addressOfRecord)", "contact": "\(binding.contact)", "flow": "\(binding.flow)",
                    "nat": "\(binding.nat)", "token": "\(token)",
                ])
        }
    }

    /// The registrar could not be reached: the UA gets the failure, and new bindings go.
    private func registrarFailed(_ relayed: RelayedRegister, status: SIPStatus) {
        registrations.dropUnconfirmed(of: relayed.registration.key)
        reject(relayed.inbound, relayed.serverKey, status, "The registrar did not answer")
    }

    // MARK: Requests for registered UAs

    /// The binding a Request-URI names: `sip:TOKEN@<one of this node's addresses>`.
    func registeredBinding(addressedBy requestURI: SIPURI?) -> RegistrationBinding? {
        guard let requestURI, let user = requestURI.user,
            realms.keys.contains(where: { $0.uriHost == requestURI.host })
        else { return nil }
        guard let binding = registrations.binding(token: user) else {
            if user.hasPrefix(Self.tokenPrefix) { counters.countRegistration("unknown-binding") }
            return nil
        }
        return binding
    }

    /// A call for a registered UA: to the Contact it registered, sent where its NAT binding is (the source of
    /// its REGISTER, from the listener it reached) unless the realm says `fix_contact: false` and the Contact
    /// is an address.
    func routeToRegisteredUA(_ inbound: InboundCall, binding: RegistrationBinding) {
        var destination = binding.flow.remote
        let fixContact = policy.realm(named: binding.realm)?.nat.fixContact ?? true
        if !fixContact, let contact = binding.contact.sipURI, let address = SIPEndpoint(nextHop: contact),
            address.transport == binding.flow.remote.transport
        {
            destination = address
        }
        startCall(
            inbound,
            route: OutboundRoute(
                nextHop: .address(destination), realm: binding.realm, peer: nil, reason: .registration(binding),
                requestURI: binding.contact, egress: binding.flow.local),
            candidates: [destination])
    }

    // MARK: Housekeeping

    /// Once a second: bindings whose grant ran out go, and UAs due a keepalive get one.
    func sweepRegistrations() {
        let now = registrationNow
        let expired = registrations.expire(at: now)
        if !expired.isEmpty {
            counters.countRegistration("expired", by: expired.count)
            for binding in expired {
                logger.info(
                    "registration expired", metadata: ["aor": "\(binding.addressOfRecord)", "flow": "\(binding.flow)"])
            }
        }
        let due = registrations.dueKeepalives(at: now) { [policy] realm in
            guard let nat = policy.realm(named: realm)?.nat, let interval = nat.keepaliveInterval else { return nil }
            return (interval, nat.keepaliveTarget == .natted)
        }
        for binding in due { sendKeepalive(to: binding) }
    }

    /// An OPTIONS (answered: the UA is there) or a CRLF CRLF (RFC 5626 §4.4.1) from the listener the UA
    /// registered through to its NAT binding.
    private func sendKeepalive(to binding: RegistrationBinding) {
        counters.countRegistration("keepalive-sent")
        let route = LegRoute.towardCallee(destination: binding.flow.remote, local: binding.flow.local)
        let method = policy.realm(named: binding.realm)?.nat.keepaliveMethod ?? .options
        switch method {
        case .crlf:
            sendRequest(Array("\r\n\r\n".utf8), via: route, failing: nil)
        case .options:
            let local = binding.flow.local
            var from = NameAddress(uri: .sip(SIPURI(host: local.uriHost, port: UInt16(clamping: local.port))))
            from.tag = generator.tag()
            var headers = SIPHeaders()
            headers.append(.via, CallLeg.via(on: local, branch: generator.branch()))
            headers.append(.maxForwards, MaxForwards.recommended)
            headers.append(.from, from)
            headers.append(.to, NameAddress(uri: binding.contact))
            headers.append(.callID, CallID(generator.callID()))
            headers.append(.cseq, CSeq(1, .options))
            let options = SIPMessage(
                startLine: .request(RequestLine(method: .options, uri: binding.contact)), headers: headers)
            startRegistrationTransaction(
                options, RegistrationTransaction(purpose: .keepalive(token: binding.token), route: route),
                isReliable: binding.flow.remote.transport.isStream)
        }
    }

    // MARK: Transactions

    @discardableResult
    private func startRegistrationTransaction(
        _ request: SIPMessage, _ owner: RegistrationTransaction, isReliable: Bool
    ) -> TransactionKey? {
        do {
            let (key, actions) = try transactions.startClient(
                request, isReliable: isReliable, timers: transactionTimers)
            registrationTransactions[key] = owner
            perform(actions, for: key)
            return key
        } catch {
            logger.warning("cannot start a client transaction", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// A response for one of the relay's client transactions; false when the transaction is not the relay's.
    func deliverToRegistrations(_ response: SIPMessage, from key: TransactionKey) -> Bool {
        guard let owner = registrationTransactions[key] else { return false }
        switch owner.purpose {
        case .register(let relayed):
            registrarAnswered(response, relayed)
        case .keepalive(let token):
            registrations.keepaliveAnswered(token: token)
        }
        return true
    }

    /// A client transaction of the relay failed (Timer F, or the transport); false when it is not the relay's.
    func registrationTransactionFailed(_ key: TransactionKey, status: SIPStatus) -> Bool {
        guard let owner = registrationTransactions[key] else { return false }
        switch owner.purpose {
        case .register(let relayed):
            registrarFailed(relayed, status: status)
        case .keepalive(let token):
            counters.countRegistration("keepalive-unanswered")
            let limit =
                registrations.binding(token: token).flatMap { policy.realm(named: $0.realm)?.nat }?
                .keepaliveFailures ?? 3
            if let gone = registrations.keepaliveUnanswered(token: token, limit: limit) {
                counters.countRegistration("unreachable")
                logger.notice(
                    "registered UA unreachable: binding dropped",
                    metadata: ["aor": "\(gone.addressOfRecord)", "flow": "\(gone.flow)"])
            }
        }
        return true
    }
}

extension SIPEndpoint {
    /// The endpoint a socket address is, over `transport`; nil for a non-IP address.
    init?(_ address: SocketAddress, transport: SIPTransport) {
        guard let ip = address.ipAddress, let port = address.port else { return nil }
        self.init(transport: transport, host: ip, port: port)
    }
}
