import SIPMessage

extension HeaderName {
    /// `P-Gatehouse-Flow: udp:1.2.3.4:5060`: an internal header the P-CSCF adds to a REGISTER it forwards, naming
    /// the flow (transport, address, port) the REGISTER reached it on; the S-CSCF consumes it into the binding's
    /// `receivedFrom` (for `hss show` and flow-bound routing). It lives only between the CSCFs of one node: the
    /// P-CSCF strips any copy a UE sends, and nothing forwards it past the S-CSCF.
    public static let gatehouseFlow = HeaderName("P-Gatehouse-Flow")
}
