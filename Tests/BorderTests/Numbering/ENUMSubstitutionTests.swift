import Testing

@testable import Border

/// NAPTR regexps (RFC 3402 §3.2): delimiters, back-references, the `i` flag, the ERE subset, and the step cap.
@Suite struct ENUMSubstitutionTests {
    private func apply(_ regexp: String, to subject: String = "+15551230000") throws -> String? {
        try ENUMSubstitution(parsing: regexp).apply(to: subject)
    }

    @Test func wholeReplacement() throws {
        #expect(try apply("!^.*$!sip:info@example.com!") == "sip:info@example.com")
    }

    @Test func backReferences() throws {
        #expect(try apply(#"!^\+(.*)$!sip:\1@carrier.example.net!"#) == "sip:15551230000@carrier.example.net")
        #expect(
            try apply(#"!^(\+1)([0-9]{3})([0-9]{7})$!sip:\3@\2.area.example;cc=\1!"#)
                == "sip:1230000@555.area.example;cc=+1")
        #expect(try apply(#"!^.*$!sip:\\x@example.com!"#) == #"sip:\x@example.com"#)
        // A group that took no part expands to nothing.
        #expect(try apply(#"!^\+1(9)?(.*)$!sip:\1\2@h!"#) == "sip:5551230000@h")
    }

    @Test func otherDelimitersAndEscapedDelimiters() throws {
        #expect(try apply("/^.*$/sip:a@b/") == "sip:a@b")
        #expect(try apply(#"#^\+1(.*)$#sip:\1@h#"#) == "sip:5551230000@h")
        #expect(try apply(#"!^.*$!sip:a\!b@h!"#) == "sip:a!b@h")
        #expect(try apply(#"|^a\|b$|x|"#, to: "a|b") == "x")
    }

    @Test func caseInsensitiveFlag() throws {
        #expect(try apply("!^user$!sip:u@h!", to: "USER") == nil)
        #expect(try apply("!^user$!sip:u@h!i", to: "USER") == "sip:u@h")
        #expect(try apply("!^[a-c]+$!ok!i", to: "ABCabc") == "ok")
        #expect(try ENUMSubstitution(parsing: "!a!b!i").ignoresCase)
    }

    @Test func sedSemanticsKeepUnmatchedText() throws {
        // Unanchored: only the first match is replaced, the rest of the string stays (sed's `s`).
        #expect(try apply("!555!666!") == "+16661230000")
        #expect(try apply("!x!y!") == nil)
    }

    @Test func ereSubset() throws {
        #expect(try apply(#"!^\+(1|44)(.*)$!\1-\2!"#) == "1-5551230000")
        #expect(try apply(#"!^\+[[:digit:]]{11}$!ok!"#) == "ok")
        #expect(try apply(#"!^\+[^0]+0+$!ok!"#) == "ok")
        #expect(try apply(#"!^\+15?5*1?23?0{4}$!ok!"#) == "ok")
        #expect(try apply(#"!^\+1(55){1,}(.*)$!\2!"#) == "51230000")
        #expect(try apply(#"!^\+1[]5]+!x!"#) == "x1230000")
        #expect(try apply(#"!^(a*)*$!empty-loop!"#, to: "aaaa") == "empty-loop")
    }

    @Test(arguments: [
        "", "!", "!a!", "1a1b1", "iaibi", "\\a\\b\\", "!a!b!g", "!a!b!ii",
        "!!b!",  // empty pattern
        "!(a!b!", "!a)!b!", "!*a!b!", "!a{2!b!", "!a{3,2}!b!", "!a{99}!b!", "![a!b!", "![[.a.]]!b!",
        "![[:bogus:]]!b!", "!(a)\\1!b!", "!^*!b!", "!a!\\2!", "!(a)!\\0!", "![z-a]!b!",
        "!((((((((((((((((((a))))))))))))))))))!b!",
    ])
    func badRegexps(regexp: String) {
        let error = #expect(throws: NumberingError.self) { try ENUMSubstitution(parsing: regexp) }
        #expect(error?.code == .enumBadRegexp)
    }

    @Test func catastrophicPatternsStopAtTheCap() throws {
        for regexp in [#"!^\+(([0-9]|[0-9])*)*x$!y!"#, #"!^(\+?[0-9]+)+x$!y!"#, #"!(.*)*(.*)*(.*)*x!y!"#] {
            let substitution = try ENUMSubstitution(parsing: regexp)
            let error = #expect(throws: NumberingError.self) {
                try substitution.apply(to: "+155512300001234")
            }
            #expect(error?.code == .enumRegexpTooComplex, "\(regexp)")
        }
        // The same patterns on a subject they match cheaply finish well inside the cap.
        #expect(try apply(#"!^(\+?[0-9]+)+$!ok!"#) == "ok")
    }

    @Test func hugeUnrolledProgramsAreRefused() {
        let error = #expect(throws: NumberingError.self) {
            try ENUMSubstitution(parsing: "!((((a{32}){32}){32}){32})!b!")
        }
        #expect(error?.code == .enumBadRegexp)
    }
}
