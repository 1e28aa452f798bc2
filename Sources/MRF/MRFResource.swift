import IMSInterfaces
import SIPMessage

/// What a call to the MRF asks for, read from the user part of its public service identity (PSI): the routing
/// policy, the filter criteria or a border rejection send a call to `sip:announce=closed@mrf.example.net`,
/// `sip:conf=team@…`, `sip:tone=busy@…` or `sip:menu=main@…`.
public enum MRFResource: Hashable, Sendable, CustomStringConvertible {
    /// Play the named announcement once, then hang up.
    case announcement(String)
    /// Join the named conference room (created by the first participant, gone with the last).
    case conference(String)
    /// Play a call-progress tone until the caller hangs up.
    case tone(MRFTone)
    /// Play the menu's prompt, collect a digit, act on it.
    case menu(String)

    /// The user part (`kind=NAME`) of this resource's PSI.
    public var userPart: String {
        switch self {
        case .announcement(let name): "announce=\(name)"
        case .conference(let room): "conf=\(room)"
        case .tone(let tone): "tone=\(tone.rawValue)"
        case .menu(let name): "menu=\(name)"
        }
    }

    public var description: String { userPart }

    /// Reads `kind=NAME`. Names are case-sensitive (they are keys in the policy); kinds are not.
    public init(userPart: String) throws(MRFError) {
        guard let equals = userPart.firstIndex(of: "=") else {
            throw MRFError(.unknownResource, status: .notFound, "'\(userPart)' is not kind=NAME")
        }
        let kind = userPart[..<equals].lowercased()
        let name = String(userPart[userPart.index(after: equals)...])
        guard !name.isEmpty else {
            throw MRFError(.unknownResource, status: .notFound, "'\(userPart)' names no \(kind)")
        }
        switch kind {
        case "announce": self = .announcement(name)
        case "conf": self = .conference(name)
        case "menu": self = .menu(name)
        case "tone":
            guard let tone = MRFTone(rawValue: name.lowercased()) else {
                throw MRFError(.unknownTone, status: .notFound, "no tone '\(name)' (ringback, busy, congestion)")
            }
            self = .tone(tone)
        default:
            throw MRFError(.unknownResource, status: .notFound, "'\(kind)' is not announce, conf, tone or menu")
        }
    }

    /// The resource a request URI asks for, or nil when the URI is not in the MRF's domain (the call is not for the
    /// MRF). A URI in the domain that names nothing the MRF knows is an error (404).
    public init?(requestURI: URI, domain: String) throws(MRFError) {
        guard case .sip(let sip) = requestURI, sip.host.description.lowercased() == domain.lowercased() else {
            return nil
        }
        try self.init(userPart: sip.user ?? "")
    }

    /// The PSI that reaches this resource in `domain` (TS 23.003 §13.5: a PSI is a SIP URI the network routes to
    /// the function that hosts the service).
    public func psi(in domain: String) -> PublicIdentity? {
        PublicIdentity(parsing: "sip:\(userPart)@\(domain)")
    }
}

/// The call-progress tones an MRF plays (the Media module's `CallProgressTone` has the same names; the assembly maps
/// one to the other).
public enum MRFTone: String, Hashable, Sendable, CaseIterable {
    case ringback
    case busy
    case congestion
}
