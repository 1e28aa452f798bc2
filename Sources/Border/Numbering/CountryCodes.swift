/// The country codes assigned in ITU-T E.164 (the list annexed to the ITU Operational Bulletin), for finding where
/// the country code of an international number ends.
///
/// The codes form a prefix code: no assigned code starts another, so at most one length (1, 2 or 3) matches and
/// detection needs no priority rule. Integrated plans share a code: all of NANP is `1` (`+1242` Bahamas is CC 1,
/// area 242), Russia and Kazakhstan are `7`. Global services have codes of their own: 800/808 freephone and
/// shared cost, 870 Inmarsat, 878 UPT, 881 satellite, 882/883 international networks, 888 OCHA, 979 premium rate,
/// 991 ITPCS. Spare codes (28x, 210, 259, 384, 422, 671, 684, 969, 997, …) and withdrawn ones (388 ETNS) are absent,
/// so numbers under them are refused as nowhere (604).
enum CountryCodes {
    static let oneDigit: Set<String> = ["1", "7"]

    static let twoDigit: Set<String> = [
        "20", "27",
        "30", "31", "32", "33", "34", "36", "39",
        "40", "41", "43", "44", "45", "46", "47", "48", "49",
        "51", "52", "53", "54", "55", "56", "57", "58",
        "60", "61", "62", "63", "64", "65", "66",
        "81", "82", "84", "86",
        "90", "91", "92", "93", "94", "95", "98",
    ]

    static let threeDigit: Set<String> = [
        // Africa
        "211", "212", "213", "216", "218",
        "220", "221", "222", "223", "224", "225", "226", "227", "228", "229",
        "230", "231", "232", "233", "234", "235", "236", "237", "238", "239",
        "240", "241", "242", "243", "244", "245", "246", "247", "248", "249",
        "250", "251", "252", "253", "254", "255", "256", "257", "258",
        "260", "261", "262", "263", "264", "265", "266", "267", "268", "269",
        "290", "291", "297", "298", "299",
        // Europe
        "350", "351", "352", "353", "354", "355", "356", "357", "358", "359",
        "370", "371", "372", "373", "374", "375", "376", "377", "378", "379",
        "380", "381", "382", "383", "385", "386", "387", "389",
        "420", "421", "423",
        // Americas
        "500", "501", "502", "503", "504", "505", "506", "507", "508", "509",
        "590", "591", "592", "593", "594", "595", "596", "597", "598", "599",
        // Oceania
        "670", "672", "673", "674", "675", "676", "677", "678", "679",
        "680", "681", "682", "683", "685", "686", "687", "688", "689",
        "690", "691", "692",
        // Global services
        "800", "808", "870", "878", "881", "882", "883", "888", "979", "991",
        // Asia
        "850", "852", "853", "855", "856", "880", "886",
        "960", "961", "962", "963", "964", "965", "966", "967", "968",
        "970", "971", "972", "973", "974", "975", "976", "977",
        "992", "993", "994", "995", "996", "998",
    ]

    /// How many leading digits of `digits` are an assigned country code, or nil when none is.
    static func prefixLength(of digits: String) -> Int? {
        // Read as numbers against `assigned`: every number of every numbered field comes here, some twice.
        var value = 0
        var length = 0
        for byte in digits.utf8.prefix(3) {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            length += 1
            if assigned[length - 1][value] { return length }
        }
        return nil
    }

    /// The three code sets as tables indexed by the code's value (`assigned[1][44]`: is `44` a two-digit code).
    private static let assigned: [[Bool]] = [oneDigit, twoDigit, threeDigit].enumerated().map { index, codes in
        var table = [Bool](repeating: false, count: [10, 100, 1000][index])
        for code in codes { if let value = Int(code) { table[value] = true } }
        return table
    }

    /// Whether `code` (digits, no `+`) is an assigned country code.
    static func isAssigned(_ code: String) -> Bool {
        switch code.utf8.count {
        case 1: oneDigit.contains(code)
        case 2: twoDigit.contains(code)
        case 3: threeDigit.contains(code)
        default: false
        }
    }
}
