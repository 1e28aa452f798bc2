import GatehousePolicy
import IMSInterfaces

/// The policy's (and `hss import`'s) subscribers as the HSS models them. GatehousePolicy reads and validates the
/// YAML without knowing the IMS model (ARCHITECTURE.md: it sits above `IMSInterfaces`); this is where the two meet.
enum SubscriberProvisioning {
    /// What could not be mapped; the policy reader validated everything it could, so this is a syntax only the
    /// IMS model knows (a wildcard's expression, say).
    struct Problem: Error, CustomStringConvertible {
        var privateIdentity: String
        var detail: String
        var description: String { "\(privateIdentity): \(detail)" }
    }

    static func subscriber(_ provisioned: ProvisionedSubscriber, domain: String) throws(Problem) -> Subscriber {
        guard let privateIdentity = PrivateIdentity(provisioned.privateIdentity) else {
            throw Problem(privateIdentity: provisioned.privateIdentity, detail: "not a private identity")
        }
        var entries: [PublicIdentityEntry] = []
        for identity in provisioned.publicIdentities {
            let kind: PublicIdentityEntry.Identity
            if identity.isWildcard {
                do {
                    kind = .wildcarded(try WildcardedIdentity(parsing: identity.identity))
                } catch {
                    throw Problem(
                        privateIdentity: provisioned.privateIdentity, detail: "\(identity.identity): \(error)")
                }
            } else {
                guard let distinct = PublicIdentity(parsing: identity.identity) else {
                    throw Problem(
                        privateIdentity: provisioned.privateIdentity,
                        detail: "\(identity.identity) is not a SIP or tel URI")
                }
                kind = .distinct(distinct)
            }
            entries.append(
                PublicIdentityEntry(
                    kind, implicitSet: identity.implicitSet, isBarred: identity.isBarred,
                    serviceProfile: identity.serviceProfile, isServiceIdentity: identity.isServiceIdentity))
        }
        return Subscriber(
            privateIdentity: privateIdentity, publicIdentities: entries,
            credentials: credentials(provisioned, domain: domain),
            serviceProfiles: provisioned.serviceProfiles.map(serviceProfile),
            capabilities: SCSCFCapabilities(
                mandatory: provisioned.capabilities.mandatory, optional: provisioned.capabilities.optional))
    }

    private static func credentials(_ provisioned: ProvisionedSubscriber, domain: String) -> SubscriberCredentials {
        let aka = provisioned.aka.map { aka in
            AKACredentials(
                key: aka.key,
                operatorKey: {
                    switch aka.operatorKey {
                    case .op(let op): .op(op)
                    case .opc(let opc): .opc(opc)
                    }
                }(), amf: aka.amf)
        }
        let digest = provisioned.digest.map { digest in
            DigestCredentials(
                realm: digest.realm,
                secret: {
                    switch digest.secret {
                    case .password(let password): .password(password)
                    case .ha1(let values):
                        .ha1(
                            Dictionary(
                                uniqueKeysWithValues: values.map { hash, value in
                                    (hash == .md5 ? DigestHash.md5 : DigestHash.sha256, value.lowercased())
                                }))
                    }
                }())
        }
        let preferred: AuthenticationScheme =
            switch provisioned.preferredScheme {
            case .aka: .akaV1MD5
            case .digestMD5: .digestMD5
            case .digestSHA256: .digestSHA256
            }
        return SubscriberCredentials(aka: aka, digest: digest, preferredScheme: preferred)
    }

    private static func serviceProfile(_ profile: ProvisionedSubscriber.ServiceProfile) -> ServiceProfile {
        ServiceProfile(
            name: profile.name,
            initialFilterCriteria: profile.filterCriteria.map { criterion in
                InitialFilterCriterion(
                    priority: criterion.priority,
                    triggerPoint: criterion.trigger.map { trigger in
                        TriggerPoint(
                            form: trigger.form == .conjunctive ? .conjunctive : .disjunctive,
                            groups: trigger.groups.map { $0.map(servicePointTrigger) })
                    },
                    applicationServer: ApplicationServer(
                        serverName: criterion.applicationServer.uri.description,
                        defaultHandling: criterion.applicationServer.defaultHandling == .continue
                            ? .sessionContinued : .sessionTerminated,
                        serviceInfo: criterion.applicationServer.serviceInfo),
                    profilePart: criterion.profilePart.map { $0 == .registered ? .registered : .unregistered })
            })
    }

    private static func servicePointTrigger(_ condition: ProvisionedSubscriber.Condition) -> ServicePointTrigger {
        let kind: ServicePointTrigger.Condition =
            switch condition.kind {
            case .method(let method): .method(method.rawValue)
            case .requestURI(let expression): .requestURI(expression)
            case .header(let name, let value): .header(name: name.description, value: value)
            case .sessionCase(let sessionCase):
                .sessionCase(SessionCase(rawValue: sessionCase.rawValue) ?? .originating)
            case .sdpLine(let line, let content): .sdpLine(line: line, content: content)
            }
        return ServicePointTrigger(kind, isNegated: condition.isNegated)
    }
}
