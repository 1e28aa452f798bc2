// Error codes of the typed header views. The codes of RFC 3261's core headers (`.badVia`, `.badCSeq`,
// `.badMaxForwards`, `.badExpires`, `.badContentLength`, `.badMethod`, `.missingHeader`, `.duplicateHeader`) live in
// Core/SIPParseError.swift; these name the other headers, so that a counter or a test can tell which one was wrong.
// Every one of them is answered with 400 Bad Request.

extension SIPParseError.Code {
    /// A name-addr or addr-spec (From, To, Route, Record-Route, Path, P-Asserted-Identity, …) is malformed: a bad
    /// display name, a missing `>`, a bare addr-spec holding `,` or `?`, or bad header parameters (RFC 3261 §20.10).
    public static let badNameAddress = Self(rawValue: "bad-name-address")
    /// A Contact value is malformed beyond its name-addr: a bad `q` or `expires`, or `*` with parameters
    /// (RFC 3261 §20.10).
    public static let badContact = Self(rawValue: "bad-contact")
    /// A Call-ID is not `word [ "@" word ]` (RFC 3261 §20.8).
    public static let badCallID = Self(rawValue: "bad-call-id")
    /// A Content-Type is not `type "/" subtype *( ";" parameter )` (RFC 3261 §20.15).
    public static let badContentType = Self(rawValue: "bad-content-type")
    /// An option tag in Require, Supported, Proxy-Require or Unsupported is not a token (RFC 3261 §19.2).
    public static let badOptionTag = Self(rawValue: "bad-option-tag")
    /// A Session-Expires or Min-SE value is malformed (RFC 4028 §4, §5).
    public static let badSessionExpires = Self(rawValue: "bad-session-expires")
    /// A P-Charging-Vector is malformed or lacks its `icid-value` (RFC 7315 §4.6).
    public static let badChargingVector = Self(rawValue: "bad-charging-vector")
    /// A Security-Client, Security-Server or Security-Verify value is malformed (RFC 3329 §2.2, TS 33.203 §7.2).
    public static let badSecurityMechanism = Self(rawValue: "bad-security-mechanism")
    /// An Authorization or Proxy-Authorization value is malformed (RFC 3261 §20.7, §25.1; RFC 7616 §3.4).
    public static let badCredentials = Self(rawValue: "bad-credentials")
    /// A WWW-Authenticate or Proxy-Authenticate value is malformed (RFC 3261 §20.44, §25.1; RFC 7616 §3.3).
    public static let badChallenge = Self(rawValue: "bad-challenge")
}
