import Prometheus

/// Every metric family the node exports, with its help text: one place to read what `/metrics` holds, and the
/// guarantee that a family always gets the same help (the registry refuses a second, different one).
enum MetricCatalog {
    static let families: [String: String] = [
        // Signalling
        "gatehouse_sip_messages_received_total": "SIP messages received, by realm and method (response for responses)",
        "gatehouse_sip_messages_sent_total":
            "SIP messages handed to the transport, retransmissions included, by realm and method (response for responses)",
        "gatehouse_sip_responses_sent_total": "SIP responses the node originated or relayed, by status class",
        "gatehouse_sip_parse_errors_total": "Messages rejected by the parser or validation, by error kind",
        "gatehouse_sip_dropped_total": "Messages dropped without an answer, by reason",
        "gatehouse_border_refusals_total":
            "Messages the border stages refused (answered or dropped), by stage.reason: admission.rate-limited, admission.blocked, sanity.scanner, node.draining",
        // Calls
        "gatehouse_calls_attempted_total": "Calls routed (an outbound INVITE sent), by caller's and callee's peer",
        "gatehouse_calls_answered_total": "Calls answered with a 2xx, by caller's and callee's peer",
        "gatehouse_calls_failed_total":
            "Routed calls that ended unanswered, by peers and the status class the caller got",
        "gatehouse_calls_active": "Calls in progress, by the callee's peer",
        "gatehouse_call_setup_seconds": "Time from the caller's INVITE to the callee's 2xx",
        // Media (counted when a call's stream ends)
        "gatehouse_media_streams_total": "Media streams anchored and ended",
        "gatehouse_media_rtp_packets_total":
            "RTP packets received from each leg (caller, callee), counted at stream end",
        "gatehouse_media_rtp_bytes_total": "RTP bytes received from each leg, counted at stream end",
        "gatehouse_media_rtcp_packets_total": "RTCP packets received from each leg, counted at stream end",
        "gatehouse_media_lost_packets_total":
            "RTP packets lost before each leg's packets reached the node (sequence gaps)",
        "gatehouse_media_dropped_packets_total":
            "Packets the relay refused from each leg (not RTP/RTCP, from an address it did not latch, failed SRTP)",
        "gatehouse_media_srtp_auth_failures_total":
            "SRTP/SRTCP packets from each leg whose authentication tag did not match (wrong key, tampering)",
        "gatehouse_media_srtp_replays_total":
            "SRTP/SRTCP packets from each leg refused as replays (seen already, or older than the replay window)",
        "gatehouse_media_dtls_failures_total":
            "DTLS-SRTP associations that failed on each leg, by reason (fingerprint-mismatch, handshake-failed, timed-out, no-srtp-profile, key-export, no-usable-fingerprint); the leg relays nothing",
        // Registrations
        "gatehouse_registrations_active":
            "Registrations in force: kind=relayed (NAT bindings through the node), kind=ims (implicit registration sets in the embedded S-CSCF)",
        "gatehouse_registration_events_total": "Registration relay and NAT keepalive events, by event",
        // Admission and blocklist
        "gatehouse_admission_decisions_total": "Admission control's refusals, by reason",
        "gatehouse_blocklist_entries": "Addresses on the blocklist now",
        "gatehouse_detections_total":
            "Threat detections (scanner, sweep, enumeration, malformed-storm, authentication-failures) by reason and the action taken",
        // Transport
        "gatehouse_connections_open": "Stream (TCP/TLS) connections open",
        "gatehouse_connection_events_total": "Stream connection events: accepted, refused, reaped, outbound, failed",
        "gatehouse_send_failures_total": "Messages the transport could not send",
        // Node
        "gatehouse_policy_generation": "Generation of the policy in force (1 at start, +1 per reload)",
        "gatehouse_policy_reloads_total": "Policy reloads, by result (applied, refused)",
        "gatehouse_draining": "1 while the node drains (new calls refused), else 0",
        "gatehouse_build_info": "Always 1; the version and node name are labels",
    ]

    /// Call setup time buckets.
    static let setupBuckets: [Duration] = [
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2),
        .seconds(4), .seconds(8), .seconds(15), .seconds(30), .seconds(60),
    ]

    /// The descriptor of a family named in `families`.
    static func descriptor(_ name: String) -> MetricNameDescriptor {
        assert(families[name] != nil, "\(name) is not in the metric catalog")
        return MetricNameDescriptor(metricName: name, unitName: "", helpText: families[name] ?? name)
    }
}
